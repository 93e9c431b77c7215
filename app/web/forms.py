"""Form parsing helpers: values back into the form, validation errors next to their fields."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, available_timezones

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import FormData

from app.kit.timezones import is_valid_time_zone
from app.web.messages import N_

if TYPE_CHECKING:
    from app.web.context import PageContext

# Languages offered as checkboxes on forms (the API accepts any ISO 639 code).
COMMON_LANGUAGES = ("zh", "en", "es", "fr", "de", "ru", "ar", "ja", "ko", "pt", "it", "vi")
MAX_FORM_FIELDS = 200
# Old aliases ("US/Eastern", "Etc/GMT+8", "PRC") are valid but only confuse people in a list.
_LEGACY_ZONE_PREFIXES = ("Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")


def language_options(selected: Iterable[str]) -> list[str]:
    """The common languages, plus any the organization already has (set through the API)."""
    return [*COMMON_LANGUAGES, *(c for c in selected if c not in COMMON_LANGUAGES)]


@lru_cache(maxsize=1)
def time_zone_names() -> list[str]:
    """IANA zones offered as suggestions on time zone fields (any valid name is accepted)."""
    zones = {
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(_LEGACY_ZONE_PREFIXES)
    }
    return ["UTC", *sorted(zones)]


def local_moment(value: str, zone: ZoneInfo | str) -> datetime | str | None:
    """A datetime-local field's value read in ``zone`` (a zone, or a zone's name typed on the
    same form): an aware moment; None for an empty field. Text that is not a moment, or a
    zone name that is not a zone, comes back as the text, so the schema refuses the field
    (next to it) instead of the page guessing."""
    if not value:
        return None
    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        return value
    if local.tzinfo is not None:
        return local
    if isinstance(zone, str):
        if not is_valid_time_zone(zone):
            return value
        zone = ZoneInfo(zone)
    return local.replace(tzinfo=zone)


async def parse_form(request: Request) -> FormData:
    return await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)


def form_values(form: FormData, multi: set[str] | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token":
            continue
        if multi and key in multi:
            values[key] = [str(v) for v in form.getlist(key)]
        else:
            raw = form.get(key)
            values[key] = raw.strip() if isinstance(raw, str) else ""
    for key in multi or ():
        values.setdefault(key, [])
    return values


# Form field names differ from the nested API schema in one place (organization.*).
_FIELD_ALIASES: dict[tuple[str, ...], str] = {("organization", "name"): "organization_name"}


def form_errors(exc: ValidationError, ctx: PageContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = tuple(str(p) for p in error["loc"] if not isinstance(p, int))
        field = _FIELD_ALIASES.get(loc[:2]) or (loc[-1] if loc else "form")
        errors.setdefault(field, _humanize(error, ctx))
    return errors


# Messages for a rule a field's own validator enforces (country codes, zone names...).
_FIELD_VALUE_ERRORS = {
    "country": N_("Choose a country from the list."),
    "languages": N_("Choose languages from the list."),
    "time_zone": N_("Enter a time zone such as Asia/Shanghai or Europe/Madrid."),
    "locale": N_("Choose a language from the list."),
    "email": N_("Enter a valid email address."),
    "contact_email": N_("Enter a valid email address."),
}

# Fields people pick from a list: whatever went wrong, the fix is to pick from the list.
_CHOSEN_FROM_A_LIST = frozenset({"country", "languages", "locale"})


def _humanize(error: Any, ctx: PageContext) -> str:
    """A pydantic error as a sentence in the viewer's language that says what to do."""
    kind = error.get("type", "")
    ctx_info = error.get("ctx") or {}
    field = next((str(p) for p in reversed(error.get("loc", ())) if isinstance(p, str)), "")
    if kind == "missing" or (kind == "string_too_short" and ctx_info.get("min_length") == 1):
        return ctx.gettext("This field is required.")
    if kind == "too_long":
        return ctx.gettext("Choose at most %(n)s.", n=ctx_info.get("max_length"))
    if field in _CHOSEN_FROM_A_LIST:
        return ctx.gettext(_FIELD_VALUE_ERRORS[field])
    if kind == "string_too_short":
        return ctx.gettext("Use at least %(n)s characters.", n=ctx_info.get("min_length"))
    if kind == "string_too_long":
        return ctx.gettext("Use at most %(n)s characters.", n=ctx_info.get("max_length"))
    if kind == "literal_error":
        return ctx.gettext("Choose one of the options.")
    if kind == "url_parsing" or kind.startswith("url_"):
        return ctx.gettext("Enter a full web address, starting with https://")
    if field in _FIELD_VALUE_ERRORS:
        return ctx.gettext(_FIELD_VALUE_ERRORS[field])
    return ctx.gettext("Check this value and try again.")
