"""Form parsing helpers: values back into the form, validation errors next to their fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import FormData

if TYPE_CHECKING:
    from app.web.context import PageContext

# Languages offered as checkboxes on forms (the API accepts any ISO 639 code).
COMMON_LANGUAGES = ("zh", "en", "es", "fr", "de", "ru", "ar", "ja", "ko", "pt", "it", "vi")
MAX_FORM_FIELDS = 200


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
_FIELD_ALIASES = {("organization", "name"): "organization_name"}


def form_errors(exc: ValidationError, ctx: PageContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = tuple(str(p) for p in error["loc"] if not isinstance(p, int))
        field = _FIELD_ALIASES.get(loc[:2]) or (loc[-1] if loc else "form")
        errors.setdefault(field, _humanize(error, ctx))
    return errors


def _humanize(error: Any, ctx: PageContext) -> str:
    kind = error.get("type", "")
    ctx_info = error.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and ctx_info.get("min_length") == 1):
        return ctx.gettext("This field is required.")
    if kind == "string_too_short":
        return ctx.gettext("Use at least %(n)s characters.", n=ctx_info.get("min_length"))
    if kind == "string_too_long":
        return ctx.gettext("Use at most %(n)s characters.", n=ctx_info.get("max_length"))
    if kind == "value_error" and "email" in str(error.get("msg", "")).lower():
        return ctx.gettext("Enter a valid email address.")
    if kind == "literal_error":
        return ctx.gettext("Choose one of the options.")
    if kind == "url_parsing" or kind.startswith("url_"):
        return ctx.gettext("Enter a full web address, starting with https://")
    message = str(error.get("msg", "Invalid value."))
    return message.removeprefix("Value error, ")
