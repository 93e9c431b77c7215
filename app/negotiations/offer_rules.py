"""The rules every offer satisfies before it is stored, each broken rule with a stable code.

Pure functions: the products an offer may name are looked up by the service and passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app.catalog import reference
from app.kit.money import minor_units, places, round_money
from app.negotiations.schemas import OfferCreate

MAX_PRICE = Decimal(10) ** 10
MAX_QUANTITY = Decimal(10) ** 12
QUANTITY_PLACES = 3
PERCENT_PLACES = 2


@dataclass(frozen=True, slots=True)
class Problem:
    loc: tuple[str | int, ...]
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Priced:
    """An offer's money, rounded to its currency: each line's total and the sum of them."""

    line_totals: tuple[Decimal, ...]
    total: Decimal


def _line_problems(
    data: OfferCreate, currency_ok: bool, products: Mapping[int, str]
) -> list[Problem]:
    problems: list[Problem] = []
    for index, line in enumerate(data.lines):
        where = ("lines", index)
        if line.currency is not None and line.currency.upper() != data.currency.upper():
            problems.append(Problem(
                (*where, "currency"), "mixed_currencies",
                "Every line of an offer is in the offer's currency: make one offer per "
                "currency.",
            ))
        q = line.quantity
        if not q.is_finite() or q <= 0:
            problems.append(Problem((*where, "quantity"), "invalid_quantity",
                                    "Quantities must be greater than zero."))
        elif q >= MAX_QUANTITY or places(q) > QUANTITY_PLACES:
            problems.append(Problem(
                (*where, "quantity"), "invalid_quantity",
                f"Quantities must be below {MAX_QUANTITY:,} with at most "
                f"{QUANTITY_PLACES} decimals.",
            ))
        p = line.unit_price
        if not p.is_finite() or p <= 0:
            problems.append(Problem((*where, "unit_price"), "invalid_price",
                                    "Unit prices must be greater than zero."))
        elif p >= MAX_PRICE:
            problems.append(Problem((*where, "unit_price"), "invalid_price",
                                    f"Unit prices must be below {MAX_PRICE:,}."))
        elif currency_ok and places(p) > minor_units(data.currency):
            # 1.005 USD is a rounding trap: nobody can pay it, and totals would disagree.
            problems.append(Problem(
                (*where, "unit_price"), "price_precision",
                f"{data.currency} prices have at most {minor_units(data.currency)} decimals.",
            ))
        if line.unit not in reference.UNIT_CODES:
            problems.append(Problem((*where, "unit"), "unknown_unit",
                                    "Use a unit code from GET /products/reference."))
        if line.product_id is not None and line.product_id not in products:
            problems.append(Problem(
                (*where, "product_id"), "unknown_product",
                "Name one of the supplier's products, or leave product_id out and describe "
                "the goods.",
            ))
        if line.product_id is None and not line.description:
            problems.append(Problem((*where, "description"), "description_required",
                                    "Describe the goods of a line without a product."))
    return problems


def check_offer(
    data: OfferCreate, *, now: datetime, products: Mapping[int, str]
) -> list[Problem]:
    """Every rule the offer breaks; ``products`` maps the supplier's product ids to names."""
    problems: list[Problem] = []
    currency_ok = reference.is_currency(data.currency)
    if not currency_ok:
        problems.append(Problem(("currency",), "unknown_currency",
                                "Use an ISO 4217 currency code in use today, e.g. USD, CNY."))
    if data.incoterm not in reference.INCOTERM_CODES:
        problems.append(Problem(("incoterm",), "unknown_incoterm",
                                "Use an Incoterms 2020 rule: EXW, FCA, FAS, FOB, CFR, CIF, CPT, "
                                "CIP, DAP, DPU or DDP."))
    d = data.deposit_percent
    if not d.is_finite() or d < 0 or d > 100 or places(d) > PERCENT_PLACES:
        problems.append(Problem(("deposit_percent",), "invalid_deposit",
                                "The deposit is a percentage from 0 to 100."))
    if data.valid_until <= now:
        problems.append(Problem(("valid_until",), "valid_until_past",
                                "An offer must be valid until a moment in the future."))
    problems.extend(_line_problems(data, currency_ok, products))
    return problems


def price(data: OfferCreate) -> Priced:
    """Line totals rounded half up to the currency's minor units, and their sum.

    Call only on an offer ``check_offer`` passed.
    """
    totals = tuple(round_money(line.quantity * line.unit_price, data.currency)
                   for line in data.lines)
    return Priced(totals, round_money(sum(totals, Decimal(0)), data.currency))
