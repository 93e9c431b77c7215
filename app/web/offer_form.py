"""The offer composer form: its fields to ``OfferCreate``, refusals back next to the fields.

Lines are numbered rows (``lines-0-quantity``...); a row left wholly empty is not a line.
Valid-until is typed in the viewer's own zone (a ``datetime-local`` control) and stored aware.
The service's rule codes become sentences in the viewer's language here, because its own
messages carry numbers formatted for English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from starlette.datastructures import FormData

from app.errors import AppError
from app.negotiations.schemas import MAX_LINES, OfferRead
from app.web.messages import N_

LINE_FIELDS = ("product_id", "description", "quantity", "unit", "unit_price")
TERM_FIELDS = ("currency", "incoterm", "named_place", "shipment_date", "deposit_percent",
               "balance_terms", "valid_until", "notes")
BLANK_ROWS = 2
DEFAULT_VALIDITY = timedelta(days=7)
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"

# Offer rule codes (app/negotiations/offer_rules.py) in words a person can act on.
RULE_MESSAGES = {
    "mixed_currencies": N_("Every line is in the offer's currency."),
    "invalid_quantity": N_("Enter a quantity greater than zero, with at most 3 decimals."),
    "invalid_price": N_("Enter a unit price greater than zero."),
    "price_precision": N_("This currency's prices have fewer decimals: round the price."),
    "unknown_unit": N_("Choose a unit from the list."),
    "unknown_product": N_("Choose one of the supplier's products, or describe the goods."),
    "description_required": N_("Describe the goods, or choose a product."),
    "unknown_currency": N_("Choose a currency from the list."),
    "unknown_incoterm": N_("Choose an Incoterms rule from the list."),
    "invalid_deposit": N_("Enter a deposit from 0 to 100 percent."),
    "valid_until_past": N_("Choose a moment in the future."),
}
NO_LINES = N_("Fill in at least one line: quantity, unit and unit price.")
NOT_A_NUMBER = N_("Enter a number, such as 6.45 (use a dot for decimals).")
NOT_A_DATE = N_("Enter a date and time.")


@dataclass
class OfferForm:
    """What the composer shows: its values (strings, as typed) and errors by field name."""

    values: dict[str, str]
    rows: int
    errors: dict[str, str] = field(default_factory=dict)
    # The page rows sent as lines, in order: line N of the body is row sent_rows[N].
    sent_rows: list[int] = field(default_factory=list)


def _line_key(index: int, name: str) -> str:
    return f"lines-{index}-{name}"


def _local(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime(LOCAL_MINUTE)


def empty_form(zone: ZoneInfo, now: datetime, currency: str = "USD") -> OfferForm:
    values = {
        "currency": currency, "incoterm": "FOB", "deposit_percent": "30",
        "valid_until": _local(now + DEFAULT_VALIDITY, zone),
        **{_line_key(0, "unit"): "kg"},
    }
    return OfferForm(values=values, rows=1 + BLANK_ROWS)


def form_of(offer: OfferRead, zone: ZoneInfo) -> OfferForm:
    """A counter starts from the terms it answers, so only what the viewer edits changes."""
    values: dict[str, str] = {
        "currency": offer.currency, "incoterm": offer.incoterm,
        "named_place": offer.named_place,
        "shipment_date": offer.shipment_date.isoformat() if offer.shipment_date else "",
        "deposit_percent": format(offer.deposit_percent.normalize(), "f"),
        "balance_terms": offer.balance_terms,
        "valid_until": _local(offer.valid_until, zone),
        "notes": "",
    }
    for index, line in enumerate(offer.lines):
        values.update({
            _line_key(index, "product_id"): str(line.product_id or ""),
            _line_key(index, "description"): line.description if line.product_id is None else "",
            _line_key(index, "quantity"): format(line.quantity.normalize(), "f"),
            _line_key(index, "unit"): line.unit,
            _line_key(index, "unit_price"): format(line.unit_price.normalize(), "f"),
        })
    return OfferForm(values=values, rows=len(offer.lines) + 1)


def read_form(form: FormData) -> OfferForm:
    values = {
        key: raw.strip() for key in form
        if key != "csrf_token" and isinstance(raw := form.get(key), str)
    }
    rows = 0
    for index in range(MAX_LINES):
        if any(values.get(_line_key(index, name)) for name in LINE_FIELDS):
            rows = index + 1
    return OfferForm(values=values, rows=max(rows, 1) + 1)


def _filled_rows(offer_form: OfferForm) -> list[int]:
    """Rows with a quantity, price or goods typed in (a unit alone is the default)."""
    meaningful = ("product_id", "description", "quantity", "unit_price")
    return [
        index for index in range(offer_form.rows)
        if any(offer_form.values.get(_line_key(index, name)) for name in meaningful)
    ]


def payload(offer_form: OfferForm, zone: ZoneInfo) -> dict[str, Any] | None:
    """The API body the form stands for; None (with errors set) when it cannot say yet."""
    v = offer_form.values
    rows = _filled_rows(offer_form)
    if not rows:
        offer_form.errors["lines"] = NO_LINES
        return None
    try:
        valid_until: Any = datetime.strptime(v.get("valid_until", ""), LOCAL_MINUTE).replace(
            tzinfo=zone
        )
    except ValueError:
        offer_form.errors["valid_until"] = NOT_A_DATE
        return None
    lines = []
    for index in rows:
        product = v.get(_line_key(index, "product_id"), "")
        lines.append({
            "product_id": int(product) if product.isdigit() else None,
            "description": v.get(_line_key(index, "description"), ""),
            "quantity": v.get(_line_key(index, "quantity"), ""),
            "unit": v.get(_line_key(index, "unit"), ""),
            "unit_price": v.get(_line_key(index, "unit_price"), ""),
        })
    # Row numbers on the page and line positions in the body differ when a row was skipped.
    offer_form.sent_rows = rows
    return {
        "lines": lines,
        "currency": v.get("currency", ""),
        "incoterm": v.get("incoterm", ""),
        "named_place": v.get("named_place", ""),
        "shipment_date": v.get("shipment_date") or None,
        "deposit_percent": v.get("deposit_percent", ""),
        "balance_terms": v.get("balance_terms", ""),
        "valid_until": valid_until,
        "notes": v.get("notes", ""),
    }


def _field_name(offer_form: OfferForm, loc: list[Any]) -> str:
    parts = [p for p in loc if p != "body"]
    if len(parts) >= 3 and parts[0] == "lines" and isinstance(parts[1], int):
        rows = offer_form.sent_rows
        row = rows[parts[1]] if parts[1] < len(rows) else parts[1]
        return _line_key(row, str(parts[2]))
    return str(parts[0]) if parts else "lines"


def validation_errors(
    offer_form: OfferForm, exc: ValidationError, translate: Callable[..., str]
) -> dict[str, str]:
    """Pydantic's refusals: mostly a number or date that does not parse."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = _field_name(offer_form, list(error["loc"]))
        kind = str(error.get("type", ""))
        if kind in ("missing", "string_too_short"):
            message = translate("This field is required.")
        elif kind.startswith(("decimal", "float")) or name.endswith(
            ("quantity", "unit_price", "deposit_percent")
        ):
            message = translate(NOT_A_NUMBER)
        elif kind.startswith(("date", "datetime")):
            message = translate(NOT_A_DATE)
        elif kind == "string_too_long":
            message = translate("Use at most %(n)s characters.",
                                n=(error.get("ctx") or {}).get("max_length"))
        else:
            message = translate("Check this value and try again.")
        errors.setdefault(name, message)
    return errors


def service_errors(
    offer_form: OfferForm, exc: AppError, translate: Callable[..., str]
) -> dict[str, str]:
    """The offer rules' refusals (``details`` lists each problem with its ``loc``)."""
    errors: dict[str, str] = {}
    for item in exc.details if isinstance(exc.details, list) else []:
        if not isinstance(item, dict):
            continue
        name = _field_name(offer_form, list(item.get("loc") or []))
        rule = RULE_MESSAGES.get(str(item.get("type")))
        errors.setdefault(name, translate(rule) if rule else translate(exc.message))
    return errors or {"form": translate(exc.message)}
