"""Reasons in words: each reader sees a score's reasons in their language and from their side.

Scores store reasons as keys plus data (app/matchmaking/scoring.py); this module turns one
into a sentence when it is shown. A buyer reads "Holds MSC" where the supplier reads
"Requires MSC, which you hold". The adapter gives the reader's language as a ``Voice``
(their locale and the catalog's gettext), so this domain module needs no web code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale
from babel.numbers import format_currency

from app.catalog import reference
from app.kit.translation import N_


def _identity(message: str, **variables: Any) -> str:
    return message % variables if variables else message


@dataclass(frozen=True)
class Voice:
    """The reader's language: a locale ("en", "zh") and the gettext of its catalog."""

    locale: str = "en"
    gettext: Callable[..., str] = field(default=_identity)

    @property
    def babel(self) -> Locale:
        return Locale.parse("zh_Hans_CN" if self.locale == "zh" else "en_US")


ENGLISH = Voice()

# key → (what the buyer reads about the supplier, what the supplier reads about the buyer)
_TEXTS: dict[str, tuple[str, str]] = {
    "has_products_you_named": (N_("Has the products you named: %(products)s"),
                               N_("Wants your products: %(products)s")),
    "sells_categories": (N_("Sells %(categories)s"),
                         N_("Looks for %(categories)s, which you sell")),
    "hs_codes_match": (N_("Sells HS %(hs_codes)s, as you asked"),
                       N_("Looks for HS %(hs_codes)s, which you sell")),
    "species_match": (N_("Offers %(species)s"),
                      N_("Looks for %(species)s, which you offer")),
    "holds_certifications": (N_("Holds %(certs)s"),
                             N_("Requires %(certs)s, which you hold")),
    "missing_certifications": (N_("Lacks %(certs)s, which you require"),
                               N_("Requires %(certs)s, which you lack")),
    "moq_fits": (N_("MOQ %(moq)s fits your %(volume)s a year"),
                 N_("Your MOQ %(moq)s fits their %(volume)s a year")),
    "moq_above_volume": (N_("MOQ %(moq)s is above your %(volume)s a year"),
                         N_("Your MOQ %(moq)s is above their %(volume)s a year")),
    "capacity_fits": (N_("Can supply %(capacity)s a year, enough for your %(volume)s"),
                      N_("Your %(capacity)s a year covers their %(volume)s")),
    "capacity_below_volume": (N_("Supplies %(capacity)s a year, less than your %(volume)s"),
                              N_("Your %(capacity)s a year is less than their %(volume)s")),
    "ships_incoterm": (N_("Ships %(terms)s"), N_("Wants %(terms)s, which you offer")),
    "no_shared_incoterm": (N_("Does not offer %(incoterms)s"),
                           N_("Wants %(incoterms)s, which you do not offer")),
    "exports_to_market": (N_("Already exports to %(market)s"),
                          N_("Buys for %(market)s, where you already export")),
    "shared_languages": (N_("Speaks %(languages)s"), N_("Speaks %(languages)s")),
    "no_shared_language": (N_("No language in common"), N_("No language in common")),
    "price_in_range": (N_("Prices from %(price)s, within your target of %(target)s"),
                       N_("Targets up to %(target)s; your prices start at %(price)s")),
    "price_above_target": (N_("Prices from %(price)s, above your target of %(target)s"),
                           N_("Targets up to %(target)s, below your prices from %(price)s")),
    "request_accepted": (N_("You both agreed to meet"), N_("You both agreed to meet")),
    "organizer_must_meet": (N_("The organizer wants you to meet"),
                            N_("The organizer wants you to meet")),
    "no_product_match": (N_("Sells nothing you asked for"),
                         N_("Looks for nothing you sell")),
}
_ASKED_BY_YOU = N_("You asked to meet")
_ASKED_BY_THEM = N_("They asked to meet you")


def _join(items: list[str]) -> str:
    return ", ".join(items)


def _money(value: str, currency: str, voice: Voice) -> str:
    try:
        return str(format_currency(Decimal(value), currency, locale=voice.babel))
    except (InvalidOperation, ValueError):
        return f"{value} {currency}"


def _variables(reason: dict[str, Any], voice: Voice) -> dict[str, str]:
    """The reason's data as the words its template expects, in the reader's language."""
    names = voice.babel
    data: dict[str, str] = {}
    if "products" in reason:
        data["products"] = _join([str(p) for p in reason["products"]])
    if "categories" in reason:
        data["categories"] = _join([reference.label(reference.CATEGORIES, str(c), voice.locale)
                                    for c in reason["categories"]])
    if "hs_codes" in reason:
        data["hs_codes"] = _join([reference.format_hs_code(str(c)) for c in reason["hs_codes"]])
    for key in ("species", "certs", "incoterms"):
        if key in reason:
            data[key] = _join([str(v) for v in reason[key]])
    if "moq" in reason:
        data["moq"] = f"{reason['moq']} {reason['moq_unit']}"
    if "volume" in reason:
        data["volume"] = f"{reason['volume']} {reason['volume_unit']}"
    if "yearly_capacity" in reason:
        data["capacity"] = f"{reason['yearly_capacity']} {reason['volume_unit']}"
    if reason.get("key") == "ships_incoterm":
        terms = _join([str(t) for t in reason.get("incoterms", [])])
        place = str(reason.get("place") or "")
        data["terms"] = f"{terms} {place}".strip()
    if "market" in reason:
        data["market"] = str(names.territories.get(reason["market"], reason["market"]))
    if "languages" in reason:
        data["languages"] = _join([str(names.languages.get(code, code))
                                   for code in reason["languages"]])
    if "price_from" in reason:
        data["price"] = _money(str(reason["price_from"]), str(reason["currency"]), voice)
        data["target"] = _money(str(reason["target"]), str(reason["currency"]), voice)
    return data


def describe(reason: dict[str, Any], reader_side: str, voice: Voice = ENGLISH) -> str:
    """One reason as a sentence for a reader on ``reader_side`` ("buyer" or "supplier")."""
    key = str(reason.get("key", ""))
    if key == "request_pending":
        mine = reason.get("requested_by") == reader_side
        return voice.gettext(_ASKED_BY_YOU if mine else _ASKED_BY_THEM)
    texts = _TEXTS.get(key)
    if texts is None:
        return key
    template = texts[0] if reader_side == "buyer" else texts[1]
    try:
        return voice.gettext(template, **_variables(reason, voice))
    except (KeyError, TypeError, ValueError):
        # A reason stored by an older version may lack a field: show the key, never fail.
        return key


def shown(reasons: list[dict[str, Any]], reader_side: str, voice: Voice) -> list[dict[str, Any]]:
    """Reasons as the API returns them: key, points, data and the reader's sentence."""
    return [
        {"key": r.get("key", ""), "points": int(r.get("points", 0)),
         "data": {k: v for k, v in r.items() if k not in ("key", "points")},
         "text": describe(r, reader_side, voice)}
        for r in reasons
    ]
