"""Request and response shapes for booths: applying, the profile, decisions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    PlainSerializer,
    StringConstraints,
    UrlConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.booths.certifications import CERTIFICATION_SCHEMES, normalize_scheme
from app.kit.validation import CountryCode, Id, TextInput, not_null
from app.models.base import utcnow

BoothStatus = Literal["applied", "approved", "rejected"]

EARLIEST_FOUNDED_YEAR = 1800
MAX_CERTIFICATIONS = 50
MAX_EXPORT_MARKETS = 250


def _scheme(value: str) -> str:
    code = normalize_scheme(value)
    if code is None:
        raise PydanticCustomError(
            "unknown_certification_scheme",
            "Unknown certification scheme '{scheme}'; use one of: {known}.",
            {"scheme": value, "known": ", ".join(CERTIFICATION_SCHEMES)},
        )
    return code


def _sane_expiry(value: date) -> date:
    if not 1990 <= value.year <= 2100:
        raise PydanticCustomError(
            "date_out_of_range", "The expiry date must be between 1990 and 2100."
        )
    return value


def _founded(value: int) -> int:
    this_year = utcnow().year
    if not EARLIEST_FOUNDED_YEAR <= value <= this_year:
        raise PydanticCustomError(
            "year_out_of_range",
            "The founding year must be between {earliest} and {latest}.",
            {"earliest": EARLIEST_FOUNDED_YEAR, "latest": this_year},
        )
    return value


def _distinct_markets(value: list[str]) -> list[str]:
    return list(dict.fromkeys(value))  # keep the supplier's order, drop repeats


CertificationScheme = Annotated[str, StringConstraints(max_length=40), AfterValidator(_scheme)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
VideoUrl = Annotated[HttpUrl, UrlConstraints(max_length=500, allowed_schemes=["http", "https"])]
Tonnes = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


def _plain_decimal(value: Decimal) -> str:
    # The same text whether the value comes from the request or the database (scale 2):
    # no trailing zeros, never an exponent. 6000.00 -> "6000", 18000.50 -> "18000.5".
    return format(value.normalize(), "f")


TonnesOut = Annotated[Decimal, PlainSerializer(_plain_decimal, return_type=str)]
# Strict: JSON true is not a year nor a head count (pydantic would read it as 1).
FoundedYear = Annotated[int, Field(strict=True), AfterValidator(_founded)]
StaffCount = Annotated[int, Field(ge=0, le=10_000_000, strict=True)]
ExportMarkets = Annotated[
    list[CountryCode], Field(max_length=MAX_EXPORT_MARKETS), AfterValidator(_distinct_markets)
]


class CertificationIn(TextInput):
    scheme: CertificationScheme
    number: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    issuer: Annotated[str, StringConstraints(max_length=200)] = ""
    expires_on: Annotated[date, AfterValidator(_sane_expiry)] | None = None


class CertificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    scheme: str
    number: str
    issuer: str
    expires_on: date | None


class BoothApply(TextInput):
    """A supplier applies for a booth in an event, in one of its halls."""

    hall_id: Id
    description: LongText = ""
    description_zh: LongText = ""



class BoothUpdate(TextInput):
    """The exhibitor's profile. Fields left out keep their value; ``null`` clears the optional
    ones (logo, banner, video, factory facts). ``certifications`` replaces the whole list."""

    hall_id: Id | None = None
    description: LongText | None = None
    description_zh: LongText | None = None
    logo_id: Id | None = None
    banner_id: Id | None = None
    video_url: VideoUrl | None = None
    export_markets: ExportMarkets | None = None
    founded_year: FoundedYear | None = None
    staff_count: StaffCount | None = None
    annual_output_tonnes: Tonnes | None = None
    cold_storage_tonnes: Tonnes | None = None
    certifications: Annotated[
        list[CertificationIn], Field(max_length=MAX_CERTIFICATIONS)
    ] | None = None

    @field_validator("hall_id", "description", "description_zh", "export_markets",
                     "certifications")
    @classmethod
    def _refuse_nulls(cls, value: object, info: ValidationInfo) -> object:
        return not_null(value, info)

    @field_validator("certifications")
    @classmethod
    def _distinct_certificates(
        cls, value: list[CertificationIn] | None
    ) -> list[CertificationIn] | None:
        seen: set[tuple[str, str]] = set()
        for item in value or []:
            key = (item.scheme, item.number)
            if key in seen:
                raise PydanticCustomError(
                    "duplicate_certification",
                    "{scheme} certificate {number} is listed twice.",
                    {"scheme": item.scheme, "number": item.number},
                )
            seen.add(key)
        return value


class BoothReject(TextInput):
    # Sent to the exhibitor: a reason they can act on is required.
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class BoothSummary(BaseModel):
    """A booth in a list: what the lobby's booth grid shows."""

    id: int
    event_id: int
    hall_id: int
    hall_name: str
    hall_name_zh: str
    supplier_id: int
    supplier_name: str
    supplier_country: str
    status: BoothStatus
    description: str
    description_zh: str
    logo_id: int | None
    export_markets: list[str]
    certifications: list[CertificationRead]
    created_at: datetime


class BoothRead(BoothSummary):
    """The whole booth: profile, factory facts and the decision on the application."""

    banner_id: int | None
    video_url: str | None
    founded_year: int | None
    staff_count: int | None
    annual_output_tonnes: TonnesOut | None
    cold_storage_tonnes: TonnesOut | None
    rejection_reason: str | None
    decided_at: datetime | None
    updated_at: datetime | None
