"""Reusable field types for pydantic schemas: ids, plain text, countries, languages, time
zones, passwords."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Annotated, Any

from babel import Locale
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.kit.timezones import SUPPORTED_LOCALES, is_valid_time_zone


class InputModel(BaseModel):
    """Base for request bodies: unknown fields are refused (no mass assignment)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Ids are 32-bit integers in the database: a bigger one is refused (422) before any query,
# never sent to it. ``Id`` works as a body field, a path parameter and a query parameter.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def not_null(value: object, info: ValidationInfo) -> object:
    """For ``field_validator``s of update bodies: a field the client sent as null is refused
    instead of being read as "keep the current value", which would hide a client bug (the
    validator runs only for fields that were sent)."""
    if value is None:
        raise PydanticCustomError(
            "not_nullable", "{field} cannot be null; leave it out to keep the current value.",
            {"field": info.field_name},
        )
    return value


def has_control_characters(text: str) -> bool:
    """NUL cannot be stored in PostgreSQL text; the other control characters only cause harm
    (tabs and line breaks are text)."""
    return any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text)


def refuse_control_characters(value: Any) -> Any:
    """A string (or each string of a list) without control characters, else a 422."""
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if isinstance(text, str) and has_control_characters(text):
            raise PydanticCustomError("control_character", "must not contain control characters")
    return value


class TextInput(InputModel):
    """A request body whose strings (and lists of strings) hold no control characters."""

    @field_validator("*")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        return refuse_control_characters(value)


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_text(value: Any) -> Any:
    # Pydantic would also read "0.5" as seconds since 1970; the API promises ISO 8601.
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise PydanticCustomError(
            "datetime_format",
            "use an ISO 8601 date and time with offset, e.g. 2031-05-10T09:00:00Z",
        )
    return value


# A moment written as ISO 8601 with an offset (a query parameter's ``since``...).
IsoMoment = Annotated[AwareDatetime, BeforeValidator(_iso_text)]

# Codes CLDR lists as territories that are not countries (unknown region, EU, UN, pseudo).
_NOT_COUNTRIES = frozenset({"ZZ", "QO", "EU", "EZ", "UN", "XA", "XB"})


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    return frozenset(
        code
        for code in map(str, Locale("en").territories)
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    return frozenset(code for code in map(str, Locale("en").languages) if "_" not in code)


def is_country_code(code: str) -> bool:
    return code in _countries()


def _country(value: str) -> str:
    code = value.upper()
    if code not in _countries():
        raise ValueError("must be an ISO 3166-1 alpha-2 country code, e.g. CN, ES, US")
    return code


def _language(value: str) -> str:
    code = value.lower()
    if code not in _languages():
        raise ValueError("must be an ISO 639 language code, e.g. zh, en, es")
    return code


def _time_zone(value: str) -> str:
    if not is_valid_time_zone(value):
        raise ValueError("must be an IANA time zone name, e.g. Asia/Shanghai, Europe/Madrid")
    return value


def _locale(value: str) -> str:
    if value not in SUPPORTED_LOCALES:
        raise ValueError(f"must be one of: {', '.join(SUPPORTED_LOCALES)}")
    return value


CountryCode = Annotated[
    str, StringConstraints(min_length=2, max_length=2), AfterValidator(_country)
]
LanguageCode = Annotated[
    str, StringConstraints(min_length=2, max_length=3), AfterValidator(_language)
]
TimeZoneName = Annotated[str, StringConstraints(max_length=64), AfterValidator(_time_zone)]
UiLocale = Annotated[str, AfterValidator(_locale)]
# Argon2 accepts any length, but an upper bound keeps a login request from costing seconds.
Password = Annotated[str, Field(min_length=10, max_length=128)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LanguageList = Annotated[list[LanguageCode], Field(max_length=20)]
