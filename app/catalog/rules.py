"""The trade rules every product satisfies, whether it comes from the API or a CSV file.

``check_product`` normalises a product's fields (codes to their canonical case, HS codes to
digits) and lists every rule it breaks, each with a stable code. It needs no database: the
rules that do (images owned by the supplier) are the service's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.catalog import reference
from app.catalog.schemas import ProductCreate, format_quantity

# Bounds that keep every value exact in Numeric(18, 4) / Numeric(18, 3) columns, and within
# the 15 significant digits a SQLite REAL keeps.
MAX_PRICE = Decimal(10) ** 10
MAX_QUANTITY = Decimal(10) ** 12
PRICE_PLACES = 4
QUANTITY_PLACES = 3


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: where (``loc`` inside the product), a stable code, and what to do."""

    loc: tuple[str | int, ...]
    code: str
    message: str

    @property
    def field(self) -> str:
        return str(self.loc[0])


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _quantity_problem(value: Decimal, loc: tuple[str | int, ...], what: str) -> Problem | None:
    if not value.is_finite() or value <= 0:
        return Problem(loc, "invalid_quantity", f"{what} must be greater than zero.")
    if value >= MAX_QUANTITY or _places(value) > QUANTITY_PLACES:
        return Problem(
            loc,
            "invalid_quantity",
            f"{what} must be below {MAX_QUANTITY:,} with at most {QUANTITY_PLACES} decimals.",
        )
    return None


def _price_problem(value: Decimal, loc: tuple[str | int, ...]) -> Problem | None:
    if not value.is_finite() or value <= 0:
        return Problem(loc, "invalid_price", "A unit price must be greater than zero.")
    if value >= MAX_PRICE or _places(value) > PRICE_PLACES:
        return Problem(
            loc,
            "invalid_price",
            f"A unit price must be below {MAX_PRICE:,} with at most {PRICE_PLACES} decimals.",
        )
    return None


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _check_tiers(data: ProductCreate) -> list[Problem]:
    problems: list[Problem] = []
    if not data.price_tiers:
        return [
            Problem(
                ("price_tiers",),
                "price_tiers_required",
                "Give at least one price tier: from which quantity, at which unit price.",
            )
        ]
    previous: Decimal | None = None
    first_ok = True
    for index, tier in enumerate(data.price_tiers):
        where = f"Price tier {index + 1}"
        quantity = _quantity_problem(
            tier.min_quantity, ("price_tiers", index, "min_quantity"), f"{where}'s quantity"
        )
        price = _price_problem(tier.unit_price, ("price_tiers", index, "unit_price"))
        problems.extend(p for p in (quantity, price) if p is not None)
        if index == 0:
            first_ok = quantity is None
        if quantity is None:
            if previous is not None and tier.min_quantity <= previous:
                problems.append(
                    Problem(
                        ("price_tiers", index, "min_quantity"),
                        "price_tiers_not_ascending",
                        f"{where} starts at {format_quantity(tier.min_quantity)}, not above "
                        f"the tier before it ({format_quantity(previous)}): list tiers from "
                        "the smallest quantity up, each starting higher than the last.",
                    )
                )
            previous = tier.min_quantity
    first = data.price_tiers[0].min_quantity
    moq_ok = _quantity_problem(data.moq, ("moq",), "") is None
    if first_ok and moq_ok and first > data.moq:
        # Otherwise an order between the MOQ and the first tier would have no price.
        problems.append(
            Problem(
                ("price_tiers", 0, "min_quantity"),
                "first_tier_above_moq",
                f"The first price tier starts at {format_quantity(first)} but the MOQ is "
                f"{format_quantity(data.moq)}: start the first tier at the MOQ or below.",
            )
        )
    return problems


def _check_codes(data: ProductCreate) -> list[Problem]:
    problems: list[Problem] = []
    if data.category not in reference.CATEGORY_CODES:
        problems.append(
            Problem(("category",), "unknown_category",
                    f"Unknown category {data.category!r}; see GET /products/reference.")
        )
    if data.unit not in reference.UNIT_CODES:
        problems.append(
            Problem(("unit",), "unknown_unit",
                    f"Unknown unit {data.unit!r}; use one of: "
                    f"{', '.join(t.code for t in reference.UNITS)}.")
        )
    if not reference.is_currency(data.currency):
        problems.append(
            Problem(("currency",), "unknown_currency",
                    f"{data.currency!r} is not a current ISO 4217 currency code "
                    "(USD, CNY, EUR...).")
        )
    if not data.incoterms:
        problems.append(
            Problem(("incoterms",), "incoterms_required",
                    "Offer at least one Incoterms 2020 rule, e.g. FOB or CIF.")
        )
    for index, term in enumerate(data.incoterms):
        if term not in reference.INCOTERM_CODES:
            problems.append(
                Problem(("incoterms", index), "unknown_incoterm",
                        f"{term!r} is not an Incoterms 2020 rule; use one of: "
                        f"{', '.join(t.code for t in reference.INCOTERMS)}.")
            )
    named = sorted(reference.INCOTERMS_NAMING_PORT_OF_LOADING.intersection(data.incoterms))
    if named and not data.port_of_loading:
        problems.append(
            Problem(("port_of_loading",), "port_of_loading_required",
                    f"{' and '.join(named)} name the port where the goods are loaded: "
                    "give the port of loading, e.g. Fuzhou.")
        )
    for index, scheme in enumerate(data.certifications):
        if scheme not in reference.CERTIFICATION_CODES:
            problems.append(
                Problem(("certifications", index), "unknown_certification",
                        f"Unknown certification {scheme!r}; see GET /products/reference.")
            )
    return problems


def check_product(data: ProductCreate) -> tuple[ProductCreate, list[Problem]]:
    """Normalise a product and list every rule it breaks (an empty list: it is valid).

    Rules: known category, unit, currency (ISO 4217), Incoterms 2020 rules (at least one;
    FOB/FAS need a port of loading) and certification schemes; HS code of 6, 8 or 10 digits in
    a real chapter; latin name "Genus species"; MOQ and capacity positive (capacity not
    below the MOQ); at least one price tier, quantities strictly ascending, the first at or
    below the MOQ, prices positive with at most four decimals.
    """
    hs_code = reference.normalize_hs_code(data.hs_code)
    normal = data.model_copy(
        update={
            "category": data.category.strip().lower(),
            "unit": data.unit.strip().lower(),
            "currency": data.currency.strip().upper(),
            "incoterms": _unique([t.strip().upper() for t in data.incoterms]),
            "certifications": _unique(
                [reference.certification_code(c) for c in data.certifications]
            ),
            "hs_code": hs_code if hs_code is not None else data.hs_code,
            "images": list(dict.fromkeys(data.images)),
        }
    )
    problems = _check_codes(normal)
    if hs_code is None:
        digits = data.hs_code.replace(".", "").strip()
        hint = (
            " A spreadsheet may have dropped its leading zero: format the column as text."
            if digits.isdigit() and len(digits) in (5, 7, 9)
            else ""
        )
        problems.append(
            Problem(("hs_code",), "invalid_hs_code",
                    f"{data.hs_code!r} is not an HS code: give 6, 8 or 10 digits, dots allowed "
                    f"(0306.17 or 0306.17.00), in chapters 01 to 97.{hint}")
        )
    if normal.latin_name and not reference.is_latin_name(normal.latin_name):
        problems.append(
            Problem(("latin_name",), "invalid_latin_name",
                    f"{normal.latin_name!r} is not a scientific name: write \"Genus species\", "
                    "e.g. \"Penaeus vannamei\" or \"Penaeus spp.\".")
        )
    moq = _quantity_problem(normal.moq, ("moq",), "The MOQ")
    if moq is not None:
        problems.append(moq)
    if normal.monthly_capacity is not None:
        capacity = _quantity_problem(
            normal.monthly_capacity, ("monthly_capacity",), "The monthly capacity"
        )
        if capacity is not None:
            problems.append(capacity)
        elif moq is None and normal.monthly_capacity < normal.moq:
            problems.append(
                Problem(("monthly_capacity",), "capacity_below_moq",
                        "The monthly capacity is below the MOQ, so no order could be filled.")
            )
    problems.extend(_check_tiers(normal))
    return normal, problems


def price_from(data: ProductCreate) -> Decimal:
    """The lowest unit price of the tiers: what price filters and sorts use."""
    return min(tier.unit_price for tier in data.price_tiers)
