"""How well a buyer and a supplier fit: a score from 0 to 1000, with its reasons.

Pure functions on plain dataclasses (no database, no I/O), so every rule is unit-tested.
Each part of the score comes with a reason: a language-neutral key plus data, like a system
message (``{"key": "holds_certifications", "points": 150, "certs": ["MSC"]}``), so each
reader sees it in their own language. Negative reasons (a required certificate missing, an
MOQ above the buyer's volume) take points off and are shown too: a buyer should know why a
supplier ranks lower.

Weights (points): products (a named product 250, or categories 150 + HS code up to 100 +
species 50, at most 250), required certifications held (150, minus 50 per one missing),
volume against MOQ (50) and capacity (50), incoterm (70) and port (30), export experience in
the buyer's market (100), a shared language (50), price within the buyer's target (50), and
above all the participants' own wishes: an accepted request (300) or a pending one (150).
The sum is clamped to 0..1000.

A pair is a scheduling candidate when its score reaches ``MIN_CANDIDATE_SCORE`` and it is
relevant (the supplier offers something the buyer asked for, or the buyer asked for nothing
in particular) -- or when a request or the organizer says they should meet, whatever the
score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

MAX_SCORE = 1000
MIN_CANDIDATE_SCORE = 100

# Incoterms whose named place is at destination: "CIF Valencia" means shipping to the
# buyer's port; FOB and FAS name the port of loading.
DESTINATION_TERMS = frozenset({"CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"})
LOADING_TERMS = frozenset({"FOB", "FAS"})

# Reasons that count against a pair (shown after the others).
NEGATIVE_KEYS = frozenset({
    "no_product_match", "missing_certifications", "moq_above_volume",
    "capacity_below_volume", "no_shared_incoterm", "no_shared_language", "price_above_target",
})

# Mass units convert to kilograms; other units (cartons, cases) compare only with themselves.
KILOGRAMS = {"g": Decimal("0.001"), "kg": Decimal(1), "lb": Decimal("0.45359237"),
             "t": Decimal(1000)}


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str

    def to(self, unit: str) -> Decimal | None:
        """This quantity in ``unit``, or None when the units do not convert."""
        if unit == self.unit:
            return self.value
        if unit in KILOGRAMS and self.unit in KILOGRAMS:
            return self.value * KILOGRAMS[self.unit] / KILOGRAMS[unit]
        return None


@dataclass(frozen=True)
class Item:
    """One product of a supplier, with the facts buyers compare."""

    product_id: int
    name: str
    category: str
    hs_code: str
    species: frozenset[str] = frozenset()
    moq: Quantity | None = None
    monthly_capacity: Quantity | None = None
    price_from: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True)
class BuyerNeeds:
    participant_id: int
    market: str | None
    languages: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    hs_prefixes: frozenset[str] = frozenset()
    product_ids: frozenset[int] = frozenset()
    species: frozenset[str] = frozenset()
    yearly_volume: Quantity | None = None
    price_max: Decimal | None = None
    currency: str | None = None
    certifications: frozenset[str] = frozenset()
    incoterms: frozenset[str] = frozenset()
    destination_port: str = ""

    @property
    def asks_for_products(self) -> bool:
        return bool(self.categories or self.hs_prefixes or self.product_ids or self.species)


@dataclass(frozen=True)
class SupplierOffer:
    participant_id: int
    languages: frozenset[str] = frozenset()
    items: tuple[Item, ...] = ()
    # Beyond the products: what the booth and the registration add.
    categories: frozenset[str] = frozenset()
    hs_codes: frozenset[str] = frozenset()
    species: frozenset[str] = frozenset()
    certifications: frozenset[str] = frozenset()
    incoterms: frozenset[str] = frozenset()
    ports: tuple[str, ...] = ()
    export_markets: frozenset[str] = frozenset()
    moq: Quantity | None = None
    monthly_capacity: Quantity | None = None


@dataclass(frozen=True)
class Interest:
    """What the two parties (and the organizer) said about meeting."""

    request_status: str | None = None  # "pending" or "accepted"
    requested_by: str | None = None  # "buyer" or "supplier"
    must_meet: bool = False


@dataclass(frozen=True)
class Score:
    value: int
    reasons: tuple[dict[str, Any], ...]
    relevant: bool
    priority: int = 0

    @property
    def is_candidate(self) -> bool:
        return self.priority > 0 or (self.relevant and self.value >= MIN_CANDIDATE_SCORE)


@dataclass
class _Tally:
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def add(self, key: str, points: int, **data: Any) -> None:
        self.reasons.append({"key": key, "points": points, **data})

    @property
    def total(self) -> int:
        return sum(int(r["points"]) for r in self.reasons)


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _matches_prefix(code: str, prefixes: Iterable[str]) -> int:
    """The length of the longest buyer prefix the code starts with (0: none)."""
    return max((len(p) for p in prefixes if code.startswith(p)), default=0)


def _relevant_items(needs: BuyerNeeds, offer: SupplierOffer) -> list[Item]:
    """The supplier's products the buyer asked about (all of them if it asked nothing)."""
    if not needs.asks_for_products:
        return list(offer.items)
    return [
        item for item in offer.items
        if item.product_id in needs.product_ids or item.category in needs.categories
        or _matches_prefix(item.hs_code, needs.hs_prefixes) or item.species & needs.species
    ]


def _products(needs: BuyerNeeds, offer: SupplierOffer, tally: _Tally) -> bool:
    """Points for what the supplier sells against what the buyer asked; True if relevant."""
    named = [i for i in offer.items if i.product_id in needs.product_ids]
    if named:
        tally.add("has_products_you_named", 250, products=sorted({i.name for i in named}))
        return True
    points = 0
    categories = (offer.categories | {i.category for i in offer.items}) & needs.categories
    if categories:
        points += 150
        tally.add("sells_categories", 150, categories=sorted(categories))
    codes = offer.hs_codes | {i.hs_code for i in offer.items}
    best = {code: _matches_prefix(code, needs.hs_prefixes) for code in codes}
    matched = sorted(code for code, length in best.items() if length)
    if matched:
        longest = max(best.values())
        hs_points = 100 if longest >= 6 else 70 if longest >= 4 else 40
        hs_points = min(hs_points, 250 - points)
        points += hs_points
        tally.add("hs_codes_match", hs_points, hs_codes=matched[:5])
    species = (offer.species | {s for i in offer.items for s in i.species}) & needs.species
    if species and points < 250:
        species_points = min(50, 250 - points)
        tally.add("species_match", species_points, species=sorted(species))
        points += species_points
    if needs.asks_for_products and not points:
        tally.add("no_product_match", 0)
        return False
    return True


def _certifications(needs: BuyerNeeds, offer: SupplierOffer, tally: _Tally) -> None:
    if not needs.certifications:
        return
    held = needs.certifications & offer.certifications
    missing = needs.certifications - offer.certifications
    if held:
        tally.add("holds_certifications", 150 * len(held) // len(needs.certifications),
                  certs=sorted(held))
    if missing:
        tally.add("missing_certifications", -min(150, 50 * len(missing)), certs=sorted(missing))


def _volume(needs: BuyerNeeds, offer: SupplierOffer, items: list[Item], tally: _Tally) -> None:
    volume = needs.yearly_volume
    if volume is None:
        return
    unit = volume.unit
    moqs = [q for q in [offer.moq, *(i.moq for i in items)] if q is not None]
    comparable = [(v, q) for q in moqs if (v := q.to(unit)) is not None]
    if comparable:
        in_unit, smallest = min(comparable, key=lambda pair: pair[0])
        data = {"moq": _text(smallest.value), "moq_unit": smallest.unit,
                "volume": _text(volume.value), "volume_unit": unit}
        if in_unit <= volume.value:
            tally.add("moq_fits", 50, **data)
        else:
            tally.add("moq_above_volume", -50, **data)
    capacities = [q for q in [offer.monthly_capacity, *(i.monthly_capacity for i in items)]
                  if q is not None]
    monthly = [v for v in (q.to(unit) for q in capacities) if v is not None]
    if monthly:
        yearly = max(monthly) * 12
        data = {"yearly_capacity": _text(yearly), "volume": _text(volume.value),
                "volume_unit": unit}
        if yearly >= volume.value:
            tally.add("capacity_fits", 50, **data)
        else:
            tally.add("capacity_below_volume", -25, **data)


def _shipping(needs: BuyerNeeds, offer: SupplierOffer, tally: _Tally) -> None:
    if not needs.incoterms:
        return
    shared = needs.incoterms & offer.incoterms
    if not shared:
        tally.add("no_shared_incoterm", -30, incoterms=sorted(needs.incoterms))
        return
    place = ""
    if shared & DESTINATION_TERMS and needs.destination_port:
        place = needs.destination_port
    elif shared & LOADING_TERMS and offer.ports:
        place = offer.ports[0]
    tally.add("ships_incoterm", 100 if place else 70, incoterms=sorted(shared), place=place)


def _market(needs: BuyerNeeds, offer: SupplierOffer, tally: _Tally) -> None:
    if needs.market and needs.market in offer.export_markets:
        tally.add("exports_to_market", 100, market=needs.market)


def _languages(needs: BuyerNeeds, offer: SupplierOffer, tally: _Tally) -> None:
    if not needs.languages or not offer.languages:
        return
    shared = needs.languages & offer.languages
    if shared:
        tally.add("shared_languages", 50, languages=sorted(shared))
    else:
        tally.add("no_shared_language", -25)


def _price(needs: BuyerNeeds, items: list[Item], tally: _Tally) -> None:
    if needs.price_max is None or needs.currency is None:
        return
    prices = [i.price_from for i in items
              if i.currency == needs.currency and i.price_from is not None]
    if not prices:
        return
    lowest = min(prices)
    data = {"price_from": _text(lowest), "currency": needs.currency,
            "target": _text(needs.price_max)}
    if lowest <= needs.price_max:
        tally.add("price_in_range", 50, **data)
    else:
        tally.add("price_above_target", -25, **data)


def _interest(interest: Interest, tally: _Tally) -> int:
    """Points for the parties' wishes; returns the scheduling priority they give."""
    priority = 0
    if interest.request_status == "accepted":
        tally.add("request_accepted", 300, requested_by=interest.requested_by)
        priority = 1
    elif interest.request_status == "pending":
        tally.add("request_pending", 150, requested_by=interest.requested_by)
    if interest.must_meet:
        tally.add("organizer_must_meet", 0)
        priority = 2
    return priority


def score(needs: BuyerNeeds, offer: SupplierOffer, interest: Interest | None = None) -> Score:
    """The pair's score and reasons (strongest first, negative ones last)."""
    tally = _Tally()
    relevant = _products(needs, offer, tally)
    items = _relevant_items(needs, offer)
    _certifications(needs, offer, tally)
    _volume(needs, offer, items, tally)
    _shipping(needs, offer, tally)
    _market(needs, offer, tally)
    _languages(needs, offer, tally)
    _price(needs, items, tally)
    priority = _interest(interest or Interest(), tally)
    value = max(0, min(MAX_SCORE, tally.total))
    ordered = sorted(tally.reasons, key=lambda r: (r["key"] in NEGATIVE_KEYS, -int(r["points"])))
    return Score(value, tuple(ordered), relevant, priority)
