"""UI languages from Babel message catalogs (frontend/translations/<locale>/LC_MESSAGES).

The .po files are compiled in memory at first use, so there is no build step and no binary
.mo file in the repository.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.dates import format_time as format_time_of_day
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from app import PROJECT_ROOT
from app.kit.timezones import DEFAULT_LOCALE, SUPPORTED_LOCALES
from app.kit.validation import is_country_code

TRANSLATIONS_DIR = PROJECT_ROOT / "frontend" / "translations"
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


@lru_cache(maxsize=len(SUPPORTED_LOCALES))
def translations(locale: str) -> NullTranslations:
    po_path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT_LOCALE or not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


Gettext = Callable[..., str]


def gettext_for(locale: str) -> Gettext:
    """``_("Hello %(name)s", name=...)`` for templates and code: newstyle gettext.

    Placeholders are filled after translation, so a translator can move them in the sentence.
    """
    catalog = translations(locale)

    def gettext(message: str, **variables: Any) -> str:
        text = catalog.gettext(message)
        return text % variables if variables else text

    return gettext


def ngettext_for(locale: str) -> Callable[..., str]:
    catalog = translations(locale)

    def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
        return catalog.ngettext(singular, plural, n) % {"num": n, **variables}

    return ngettext


def negotiate_locale(*candidates: str | None, accept_language: str = "") -> str:
    """First supported locale among explicit choices, then the browser's Accept-Language."""
    for candidate in candidates:
        if candidate in SUPPORTED_LOCALES:
            return candidate
    weighted: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((quality, tag.strip().lower().split("-")[0]))
    for _, language in sorted(weighted, key=lambda w: -w[0]):
        if language in SUPPORTED_LOCALES:
            return language
    return DEFAULT_LOCALE


def babel_locale(locale: str) -> Locale:
    return Locale.parse("zh_Hans_CN" if locale == "zh" else "en_US")


def format_time(value: datetime, zone: ZoneInfo, locale: str, fmt: str = "medium") -> str:
    """A timestamp in the viewer's zone and language, with the zone named.

    ``medium`` (the default) is the date plus hours and minutes: seconds are noise on a page.
    ``date`` is the calendar date in the viewer's zone, without the zone's name.
    """
    where = babel_locale(locale)
    local = value.astimezone(zone)
    if fmt == "date":
        return format_date(local, format="medium", locale=where)
    if fmt == "medium":
        pattern = str(where.datetime_formats["medium"])
        text = pattern.replace("{1}", format_date(local, format="medium", locale=where)).replace(
            "{0}", format_time_of_day(local, format="short", locale=where)
        )
    else:
        text = format_datetime(value, format=fmt, tzinfo=zone, locale=where)
    return f"{text} ({zone.key})"


def country_names(locale: str) -> list[tuple[str, str]]:
    territories = babel_locale(locale).territories
    return sorted(
        ((code, name) for code, name in territories.items() if is_country_code(code)),
        key=lambda item: item[1],
    )


def country_name(code: str, locale: str) -> str:
    return str(babel_locale(locale).territories.get(code, code))


def language_name(code: str, locale: str) -> str:
    return str(babel_locale(locale).languages.get(code, code))
