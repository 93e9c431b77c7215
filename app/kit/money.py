"""Money in Decimal with an explicit currency, rounded to the currency's minor units."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import get_currency_precision


@lru_cache(maxsize=512)
def minor_units(currency: str) -> int:
    """Decimal places of the currency's smallest unit (CLDR): JPY 0, USD 2, KWD 3."""
    return int(get_currency_precision(currency))


def places(value: Decimal) -> int:
    """Decimal places a value really uses (trailing zeros do not count)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Half up to the minor unit: how invoices round, and what people check by hand."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def split(total: Decimal, percent: Decimal, currency: str) -> tuple[Decimal, Decimal]:
    """A total split into (part at ``percent``, rest), the rest taking the rounding so the
    two always add up to the total exactly.
    """
    part = round_money(total * percent / 100, currency)
    return part, round_money(total, currency) - part
