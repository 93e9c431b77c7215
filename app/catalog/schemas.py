"""Request and response shapes for products.

Money and quantities travel as decimal strings ("12.50") both ways and are ``Decimal``
inside; a JSON float is refused, because it may already have lost digits before we see it.
The shapes check types and sizes; the trade rules (vocabularies, HS codes, price tiers) are
checked by ``app.catalog.rules`` so that the API and the CSV import report them alike.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from app.kit.validation import CountryCode, Id, TextInput


def _refuse_float(value: Any) -> Any:
    if isinstance(value, float):
        raise PydanticCustomError(
            "decimal_as_string",
            'send amounts as strings, e.g. "12.50", so no digit is lost on the way',
        )
    return value


def format_money(value: Decimal) -> str:
    """At least two decimals, no trailing zeros beyond them, never an exponent."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        normal = normal.quantize(Decimal("0.01"))
    return format(normal, "f")


def format_quantity(value: Decimal) -> str:
    """No trailing zeros, never an exponent: 1000.000 → "1000", 2.500 → "2.5"."""
    return format(value.normalize(), "f")


DecimalIn = Annotated[
    Decimal,
    BeforeValidator(_refuse_float),
    Field(allow_inf_nan=False),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$", "examples": ["12.50"]}),
]
MoneyOut = Annotated[Decimal, PlainSerializer(format_money, return_type=str)]
QuantityOut = Annotated[Decimal, PlainSerializer(format_quantity, return_type=str)]

# Vocabulary fields are checked against app.catalog.reference by the rules (with their own
# error codes), so here they only get a length bound.
Code = Annotated[str, Field(min_length=1, max_length=64)]


class Specification(TextInput):
    key: str = Field(min_length=1, max_length=80)
    value: str = Field(min_length=1, max_length=300)


class PriceTierIn(TextInput):
    """From ``min_quantity`` units (in the product's unit) on, each unit costs ``unit_price``."""

    min_quantity: DecimalIn
    unit_price: DecimalIn


MAX_SPECIFICATIONS = 50
MAX_PRICE_TIERS = 20
MAX_IMAGES = 20


class ProductCreate(TextInput):
    name: str = Field(min_length=1, max_length=200)
    name_zh: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=5000)
    description_zh: str = Field(default="", max_length=5000)
    category: Code = Field(description="A code from GET /products/reference (categories).")
    hs_code: str = Field(
        max_length=20, description="6 to 10 digits, dots allowed: 0306.17 or 03061700."
    )
    species: str = Field(default="", max_length=120)
    latin_name: str = Field(
        default="", max_length=120, description='"Genus species", e.g. "Penaeus vannamei".'
    )
    specifications: list[Specification] = Field(default_factory=list, max_length=MAX_SPECIFICATIONS)
    unit: Code = Field(description="A code from GET /products/reference (units).")
    moq: DecimalIn = Field(description="Minimum order quantity, in the unit.")
    price_tiers: list[PriceTierIn] = Field(max_length=MAX_PRICE_TIERS)
    currency: Code = Field(description="ISO 4217 code, e.g. USD, CNY, EUR.")
    incoterms: list[Code] = Field(max_length=20, description="Incoterms 2020 rules offered.")
    port_of_loading: str = Field(default="", max_length=120)
    lead_time_days: int | None = Field(default=None, ge=0, le=730)
    monthly_capacity: DecimalIn | None = None
    certifications: list[Code] = Field(default_factory=list, max_length=30)
    origin_country: CountryCode
    origin_region: str = Field(default="", max_length=120)
    images: list[Id] = Field(
        default_factory=list, max_length=MAX_IMAGES, description="Media ids, in display order."
    )


class ProductUpdate(TextInput):
    """Only the fields sent change; the result must still satisfy every product rule."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    name_zh: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    description_zh: str | None = Field(default=None, max_length=5000)
    category: Code | None = None
    hs_code: str | None = Field(default=None, max_length=20)
    species: str | None = Field(default=None, max_length=120)
    latin_name: str | None = Field(default=None, max_length=120)
    specifications: list[Specification] | None = Field(
        default=None, max_length=MAX_SPECIFICATIONS
    )
    unit: Code | None = None
    moq: DecimalIn | None = None
    price_tiers: list[PriceTierIn] | None = Field(default=None, max_length=MAX_PRICE_TIERS)
    currency: Code | None = None
    incoterms: list[Code] | None = Field(default=None, max_length=20)
    port_of_loading: str | None = Field(default=None, max_length=120)
    lead_time_days: int | None = Field(default=None, ge=0, le=730)
    monthly_capacity: DecimalIn | None = None
    certifications: list[Code] | None = Field(default=None, max_length=30)
    origin_country: CountryCode | None = None
    origin_region: str | None = Field(default=None, max_length=120)
    images: list[Id] | None = Field(default=None, max_length=MAX_IMAGES)


class PriceTierRead(BaseModel):
    min_quantity: QuantityOut
    unit_price: MoneyOut


class SpecificationRead(BaseModel):
    key: str
    value: str


class ProductImageRead(BaseModel):
    id: int
    url: str
    thumbnail_url: str
    width: int
    height: int


class ProductRead(BaseModel):
    id: int
    supplier_id: int
    name: str
    name_zh: str
    description: str
    description_zh: str
    category: str
    hs_code: str = Field(description="Digits only, as stored: 03061700.")
    species: str
    latin_name: str
    specifications: list[SpecificationRead]
    unit: str
    moq: QuantityOut
    price_tiers: list[PriceTierRead]
    price_from: MoneyOut = Field(description="The lowest unit price of the tiers.")
    currency: str
    incoterms: list[str]
    port_of_loading: str
    lead_time_days: int | None
    monthly_capacity: QuantityOut | None
    certifications: list[str]
    origin_country: str
    origin_region: str
    images: list[ProductImageRead]
    created_at: datetime
    updated_at: datetime | None


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int
    product_ids: list[int] = Field(description="Every row's product, in file order.")


class TermRead(BaseModel):
    code: str
    label: str
    label_zh: str


class ReferenceRead(BaseModel):
    """The vocabularies product fields take their codes from."""

    categories: list[TermRead]
    units: list[TermRead]
    incoterms: list[TermRead]
    certifications: list[TermRead]
    currencies: list[str]
