"""Search request parameters and the results page."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.catalog.reference import INCOTERM_CODES, is_currency
from app.catalog.schemas import MoneyOut, QuantityOut
from app.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT
from app.kit.validation import CountryCode

Sort = Literal["relevance", "price_asc", "price_desc", "newest"]
SORTS: tuple[Sort, ...] = ("relevance", "price_asc", "price_desc", "newest")

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# Prices are Numeric(18, 4): anything larger cannot match and would only overflow a cast.
MAX_PRICE = Decimal("99999999999999")


def _printable(value: str) -> str:
    # PostgreSQL text cannot hold NUL, and no product text has control characters.
    if any(ord(c) < 32 and c not in "\t\n\r" or ord(c) == 127 for c in value):
        raise ValueError("must not contain control characters")
    return value


Text = Annotated[str, AfterValidator(_printable)]


def _currency(value: str) -> str:
    code = value.upper()
    if not is_currency(code):
        raise ValueError("must be an ISO 4217 currency code, e.g. USD, CNY, EUR")
    return code


def _incoterm(value: str) -> str:
    code = value.upper()
    if code not in INCOTERM_CODES:
        raise ValueError(f"must be an Incoterms 2020 rule: {', '.join(sorted(INCOTERM_CODES))}")
    return code


def _certification(value: str) -> str:
    # Stored the way the catalog normalises them: "iso 22000" and "ISO-22000" are ISO22000.
    return re.sub(r"[\s.\-]", "", value).upper()


CurrencyCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=3),
    AfterValidator(_currency),
]
Incoterm = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=3),
    AfterValidator(_incoterm),
]
Certification = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32),
    AfterValidator(_printable), AfterValidator(_certification),
]
Price = Annotated[Decimal, Field(ge=0, le=MAX_PRICE, max_digits=18, decimal_places=4)]


class SearchParams(BaseModel):
    """``GET /events/{id}/products`` query parameters (checked field by field; the
    cross-field rules, such as price_min <= price_max, are the service's)."""

    model_config = ConfigDict(extra="forbid")

    q: Text | None = Field(
        default=None,
        max_length=MAX_QUERY_LENGTH,
        description="Free text, English or Chinese. Every whitespace-separated term must "
        "occur in the product's name, description, species, Latin name, category or HS "
        "code (as a substring, ignoring case): `虾` finds 南美白对虾, `white shrimp` finds "
        "Frozen Vannamei White Shrimp.",
    )
    hall_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    category: Text | None = Field(default=None, min_length=1, max_length=64)
    certification: Certification | None = None
    incoterm: Incoterm | None = None
    origin: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2")
    currency: CurrencyCode | None = Field(
        default=None,
        description="Only products priced in this currency. Needed by price_min, price_max "
        "and the price sorts: prices are compared within one currency, never converted.",
    )
    price_min: Price | None = None
    price_max: Price | None = None
    moq_max: Annotated[Decimal, Field(gt=0, le=MAX_PRICE, max_digits=21, decimal_places=3)] | (
        None
    ) = Field(default=None, description="Minimum order quantity at most this (product unit)")
    sort: Sort | None = Field(
        default=None, description="Default: relevance when q is given, else newest."
    )
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(default=None, max_length=500)


class SupplierRef(BaseModel):
    id: int
    name: str


class SearchItem(BaseModel):
    """What a results page shows of a product."""

    id: int
    name: str
    name_zh: str
    category: str
    supplier: SupplierRef
    booth_id: int
    hall_id: int
    price_from: MoneyOut
    currency: str
    unit: str
    moq: QuantityOut
    incoterms: list[str]
    certifications: list[str]
    origin_country: str
    origin_region: str
    image_id: int | None = Field(description="The first image's media id, if any")


class FacetCount(BaseModel):
    value: str
    count: int


class HallFacetCount(BaseModel):
    value: int
    name: str
    name_zh: str
    count: int


class Facets(BaseModel):
    """Counts per value over the results with every filter applied except the facet's own
    (so picking MSC still shows how many ASC products there are). Currency ignores the
    price range too: a range only means something in one currency."""

    category: list[FacetCount]
    certification: list[FacetCount]
    incoterm: list[FacetCount]
    origin: list[FacetCount]
    hall: list[HallFacetCount]
    currency: list[FacetCount]


class SearchPage(BaseModel):
    items: list[SearchItem]
    next_cursor: str | None
    facets: Facets
    total: int
