"""An exhibitor's booths: applying to events, the booth editor, the logo and banner.

(The product manager is ``product_pages``.)

Members of supplier organizations only; the services decide (a buyer gets their 403, another
supplier's booth or product is 404), the pages show the refusals of bad input next to the
fields, keep what was typed, and answer 4xx. Every form carries the CSRF token; the forms
with a file (logo, banner, product picture, CSV import) are multipart.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from app.booths import service as booths
from app.booths.schemas import (
    MAX_CERTIFICATIONS,
    BoothApply,
    BoothRead,
    BoothSummary,
    BoothUpdate,
)
from app.errors import AppError, NotFound
from app.events import service as events
from app.events.schemas import EventRead, HallRead
from app.kit.validation import Id, is_country_code
from app.media import service as media
from app.media.service import image_url
from app.media.storage import storage_for
from app.web.exhibition_view import (
    View,
    ViewDep,
    field_of,
    form_list,
    form_text,
    is_page_error,
    parse_upload_form,
    query_int,
)
from app.web.forms import parse_form
from app.web.messages import N_

router = APIRouter(include_in_schema=False)


OPEN_STATUSES = ("published", "live")
MAX_EVENTS = 50
# Certificate rows on the booth editor: the booth's own, plus these empty ones.
BLANK_CERTIFICATE_ROWS = 2


def _require_supplier(view: View) -> None:
    """The exhibitor pages are for supplier organizations (the services' own refusal)."""
    if view.organization_kind != "supplier":
        raise booths.SupplierRequired()


# --- booths and applications ----------------------------------------------------------------


async def _own_booths(view: View) -> list[tuple[EventRead, BoothSummary]]:
    """The viewer's booths in every event (any status), each with its event."""
    assert view.viewer is not None  # noqa: S101 - the route redirected anonymous viewers
    found: list[tuple[EventRead, BoothSummary]] = []
    seen: dict[int, EventRead] = {}
    for booth in await booths.list_own_booths(view.session, view.viewer):
        if booth.event_id not in seen:
            try:
                seen[booth.event_id] = await events.get_event(
                    view.session, view.viewer, booth.event_id
                )
            except NotFound:  # not visible to the exhibitor (cannot happen today)
                continue
        found.append((seen[booth.event_id], booth))
    return found


async def _booths_page(
    view: View,
    errors: dict[int, str] | None = None,
    chosen: dict[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    own = await _own_booths(view)
    has_booth = {event.id for event, _booth in own}
    listed, _ = await events.list_events(
        view.session, view.viewer, statuses=OPEN_STATUSES, limit=MAX_EVENTS, cursor=None
    )
    open_events = [e for e in listed if e.id not in has_booth]
    halls: dict[int, list[HallRead]] = {}
    for event in open_events:
        halls[event.id], _ = await events.list_halls(
            view.session, view.viewer, event.id, limit=100, cursor=None
        )
    return view.render(
        "exhibition/exhibitor_booths.html",
        status_code=status_code,
        booths=own,
        open_events=open_events,
        halls=halls,
        errors=errors or {},
        chosen=chosen or {},
    )


@router.get("/exhibitor/booths", response_class=HTMLResponse)
async def exhibitor_booths(view: ViewDep) -> Response:
    """The exhibitor's booths with their status, and the open events it can apply to."""
    if view.viewer is None:
        return view.login()
    _require_supplier(view)
    return await _booths_page(view)


@router.post("/exhibitor/booths/apply", response_class=HTMLResponse)
async def apply_for_booth(view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    event_id = query_int(form_text(form, "event_id"))
    hall_text = form_text(form, "hall_id")
    if event_id is None:
        return await _booths_page(view, status_code=422)
    try:
        data = BoothApply.model_validate({"hall_id": hall_text})
    except ValidationError:
        return await _booths_page(view, {event_id: view._("Choose a hall for your booth.")},
                                  {event_id: hall_text}, status_code=422)
    try:
        booth = await booths.apply(view.session, view.viewer, event_id, data)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return await _booths_page(view, {event_id: view.error_text(exc)}, {event_id: hall_text},
                                  status_code=exc.status_code)
    return view.redirect(f"/exhibitor/booths/{booth.id}/edit?applied=1")


# --- the booth editor -----------------------------------------------------------------------


async def _editable_booth(view: View, booth_id: int) -> BoothRead:
    """The booth if the viewer is on its exhibitor's team: 404 for strangers (the service's
    rule for changes), 403 for the event's organizer, who may see it but not edit it."""
    assert view.viewer is not None  # noqa: S101
    booth = await booths.party_booth(view.session, view.viewer, booth_id)
    if not view.viewer.is_member_of(booth.supplier_id):
        raise booths.ExhibitorRequired()
    return await booths.get_booth(view.session, view.viewer, booth.id)


def _booth_values(booth: BoothRead) -> dict[str, Any]:
    def text(value: Any) -> str:
        if value is None:
            return ""
        return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)

    return {
        "hall_id": str(booth.hall_id),
        "description": booth.description,
        "description_zh": booth.description_zh,
        "video_url": booth.video_url or "",
        "export_markets": list(booth.export_markets),
        "other_markets": "",
        "founded_year": text(booth.founded_year),
        "staff_count": text(booth.staff_count),
        "annual_output_tonnes": text(booth.annual_output_tonnes),
        "cold_storage_tonnes": text(booth.cold_storage_tonnes),
        "certifications": [
            {"scheme": c.scheme, "number": c.number, "issuer": c.issuer,
             "expires_on": c.expires_on.isoformat() if c.expires_on else ""}
            for c in booth.certifications
        ],
    }


async def _editor(
    view: View,
    booth: BoothRead,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    image_errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    event = await events.get_event(view.session, view.viewer, booth.event_id)
    halls, _ = await events.list_halls(
        view.session, view.viewer, booth.event_id, limit=100, cursor=None
    )
    values = values or _booth_values(booth)
    rows = list(values["certifications"])
    blank = {"scheme": "", "number": "", "issuer": "", "expires_on": ""}
    rows += [blank] * min(BLANK_CERTIFICATE_ROWS, MAX_CERTIFICATIONS - len(rows))
    params = view.request.query_params
    return view.render(
        "exhibition/booth_edit.html",
        status_code=status_code,
        booth=booth,
        event=event,
        halls=halls,
        values=values,
        certificate_rows=rows,
        errors=errors or {},
        image_errors=image_errors or {},
        saved=params.get("saved"),
        applied=params.get("applied") == "1",
        logo_url=image_url(booth.logo_id, thumbnail=True) if booth.logo_id else None,
        banner_url=image_url(booth.banner_id, thumbnail=True) if booth.banner_id else None,
        max_upload_mb=media.MAX_UPLOAD_BYTES // (1024 * 1024),
        max_certificates=MAX_CERTIFICATIONS,
    )


@router.get("/exhibitor/booths/{booth_id}/edit", response_class=HTMLResponse)
async def booth_editor(booth_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _editor(view, await _editable_booth(view, booth_id))


_MARKET_SEPARATORS = re.compile(r"[\s,;，、]+")


def _booth_form(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: form_text(form, name)
        for name in ("hall_id", "description", "description_zh", "video_url", "other_markets",
                     "founded_year", "staff_count", "annual_output_tonnes",
                     "cold_storage_tonnes")
    }
    values["export_markets"] = form_list(form, "export_markets")
    values["certifications"] = [
        {part: form_text(form, f"cert-{i}-{part}")
         for part in ("scheme", "number", "issuer", "expires_on")}
        for i in range(MAX_CERTIFICATIONS)
    ]
    last = max((i for i, row in enumerate(values["certifications"]) if any(row.values())),
               default=-1)
    values["certifications"] = values["certifications"][: last + 1]
    return values


def _booth_payload(
    view: View, values: dict[str, Any], errors: dict[str, str], *, hall_editable: bool
) -> tuple[dict[str, Any], list[int]]:
    """``BoothUpdate``'s body from the form; errors of the form's own making go in ``errors``.

    Returns the body and, for each certificate in it, the form row it came from.
    """
    markets = list(values["export_markets"])
    for code in _MARKET_SEPARATORS.split(values["other_markets"].upper()):
        if not code:
            continue
        if is_country_code(code):
            markets.append(code)
        else:
            errors["other_markets"] = view._(
                "Use two-letter country codes such as US, ES or JP, separated by commas.")
    body: dict[str, Any] = {
        "description": values["description"],
        "description_zh": values["description_zh"],
        "video_url": values["video_url"] or None,
        "export_markets": markets,
    }
    if hall_editable and values["hall_id"]:
        body["hall_id"] = values["hall_id"]
    for name in ("founded_year", "staff_count"):
        raw = values[name]
        if raw and not raw.isdigit():
            errors[name] = view._("Enter a whole number, or leave it empty.")
        body[name] = int(raw) if raw.isdigit() else None
    for name in ("annual_output_tonnes", "cold_storage_tonnes"):
        raw = values[name].replace(",", "")
        try:
            body[name] = Decimal(raw) if raw else None
        except InvalidOperation:
            errors[name] = view._("Enter a number of tonnes such as 1200, or leave it empty.")
            body[name] = None
    rows = [i for i, row in enumerate(values["certifications"]) if any(row.values())]
    certificates = []
    for i in rows:
        row = values["certifications"][i]
        expires: date | None = None
        if row["expires_on"]:
            try:
                expires = date.fromisoformat(row["expires_on"])
            except ValueError:
                errors[f"cert-{i}-expires_on"] = view._("Enter a date such as 2027-06-30.")
        certificates.append({"scheme": row["scheme"], "number": row["number"],
                             "issuer": row["issuer"], "expires_on": expires})
    body["certifications"] = certificates
    return body, rows


_BOOTH_FIELD_MESSAGES = {
    "video_url": N_("Enter a full web address, starting with https://"),
    "founded_year": N_("Enter the year the company was founded, such as 2004."),
    "staff_count": N_("Enter a whole number, or leave it empty."),
    "annual_output_tonnes": N_("Enter a number of tonnes such as 1200, or leave it empty."),
    "cold_storage_tonnes": N_("Enter a number of tonnes such as 1200, or leave it empty."),
    "export_markets": N_("Choose countries from the list."),
    "description": N_("Use at most 20,000 characters."),
    "description_zh": N_("Use at most 20,000 characters."),
    "scheme": N_("Choose a certification from the list."),
    "number": N_("Enter the certificate number."),
    "issuer": N_("Use at most 200 characters."),
    "expires_on": N_("Enter a date between 1990 and 2100, such as 2027-06-30."),
}


def _booth_errors(view: View, exc: ValidationError, rows: list[int]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = [p for p in error["loc"] if p != "body"]
        if not loc:
            continue
        if loc[0] == "certifications":
            index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
            part = str(loc[2]) if len(loc) > 2 else "number"
            if error["type"] == "duplicate_certification" or index is None:
                errors.setdefault("certifications", view._(
                    "A certificate is listed twice: remove one of the rows."))
                continue
            row = rows[index] if index < len(rows) else index
            errors.setdefault(f"cert-{row}-{part}", view._(_BOOTH_FIELD_MESSAGES.get(
                part, N_("Check this value and try again."))))
            continue
        name = str(loc[0])
        errors.setdefault(name, view._(_BOOTH_FIELD_MESSAGES.get(
            name, N_("Check this value and try again."))))
    return errors


@router.post("/exhibitor/booths/{booth_id}/edit", response_class=HTMLResponse)
async def booth_editor_submit(booth_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    booth = await _editable_booth(view, booth_id)
    values = _booth_form(form)
    errors: dict[str, str] = {}
    body, rows = _booth_payload(view, values, errors, hall_editable=booth.status == "applied")
    try:
        data = BoothUpdate.model_validate(body)
    except ValidationError as exc:
        errors = {**_booth_errors(view, exc, rows), **errors}
    if errors:
        return await _editor(view, booth, values, errors, status_code=422)
    try:
        await booths.update_booth(view.session, view.viewer, booth.id, data)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        where = field_of(exc) or "form"
        booth = await booths.get_booth(view.session, view.viewer, booth.id)
        return await _editor(view, booth, values, {where: view.error_text(exc)},
                             status_code=exc.status_code)
    return view.redirect(f"/exhibitor/booths/{booth.id}/edit?saved=profile")


@router.post("/exhibitor/booths/{booth_id}/images", response_class=HTMLResponse)
async def booth_images_submit(booth_id: Id, view: ViewDep) -> Response:
    """Upload a logo or banner (the media service checks and re-encodes it), or remove one."""
    if view.viewer is None:
        return view.login()
    try:
        upload = await parse_upload_form(
            view.request, limit=media.MAX_UPLOAD_BYTES, file_field="file"
        )
    except AppError as exc:
        # Nothing could be read, not even the CSRF token: nothing was done either.
        booth = await _editable_booth(view, booth_id)
        return await _editor(view, booth, image_errors={"file": view.error_text(exc)},
                             status_code=exc.status_code)
    view.ctx.require_csrf(upload.fields.get("csrf_token"))
    booth = await _editable_booth(view, booth_id)
    kind = form_text(upload.fields, "kind")
    removing = form_text(upload.fields, "remove")
    try:
        if removing in ("logo", "banner"):
            await booths.update_booth(view.session, view.viewer, booth.id,
                                      BoothUpdate.model_validate({f"{removing}_id": None}))
            return view.redirect(f"/exhibitor/booths/{booth.id}/edit?saved={removing}#images")
        if kind not in ("logo", "banner"):
            return await _editor(view, booth, image_errors={
                "kind": view._("Choose whether this is the logo or the banner.")},
                status_code=422)
        stored = await media.upload_image(
            view.session, storage_for(view.ctx.settings), view.viewer, upload.file
        )
        await booths.update_booth(view.session, view.viewer, booth.id,
                                  BoothUpdate.model_validate({f"{kind}_id": stored.id}))
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        booth = await booths.get_booth(view.session, view.viewer, booth.id)
        return await _editor(view, booth, image_errors={"file": view.error_text(exc)},
                             status_code=exc.status_code)
    return view.redirect(f"/exhibitor/booths/{booth.id}/edit?saved={kind}#images")
