"""Reusable field types for pydantic schemas (countries, languages, time zones, passwords)."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from babel import Locale
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.kit.timezones import SUPPORTED_LOCALES, is_valid_time_zone


class InputModel(BaseModel):
    """Base for request bodies: unknown fields are refused (no mass assignment)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
