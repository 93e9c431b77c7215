"""An organizer's tools: its events (drafts too), their halls, and the application queue.

The event and booth services decide who may do what: a supplier opening an organizer page of
a public event gets their 403, of a draft their 404. Status changes and decisions are POST
forms with the CSRF token; a refused move (409) is shown next to the event it was about.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.booths import service as booths
from app.booths.schemas import BoothReject, BoothStatus, BoothSummary
from app.errors import AppError
from app.events import service as events
from app.events.schemas import EventCreate, EventRead, HallCreate
from app.kit.validation import Id
from app.organizations import service as organizations
from app.web.exhibition_view import (
    View,
    ViewDep,
    field_of,
    form_text,
    is_page_error,
    url_with,
)
from app.web.forms import local_moment, parse_form, time_zone_names
from app.web.messages import N_

router = APIRouter(include_in_schema=False)


QUEUE_PAGE = 50
MAX_EVENT_PAGES = 20
EVENT_FIELDS = ("title", "title_zh", "theme", "description", "description_zh", "time_zone",
                "starts_at", "ends_at")
MOVES = {
    "publish": events.publish_event,
    "go-live": events.go_live,
    "close": events.close_event,
}
QUEUE_STATUSES: tuple[BoothStatus, ...] = ("applied", "approved", "rejected")

_EVENT_MESSAGES = {
    "title": N_("Give the event a title (at most 200 characters)."),
    "title_zh": N_("Use at most 200 characters."),
    "theme": N_("Use at most 200 characters."),
    "description": N_("Use at most 20,000 characters."),
    "description_zh": N_("Use at most 20,000 characters."),
    "time_zone": N_("Enter a time zone such as Asia/Shanghai or Europe/Madrid."),
    "starts_at": N_("Enter the date and time the event opens."),
    "ends_at": N_("The event must end after it starts."),
}
_HALL_MESSAGES = {
    "name": N_("Give the hall a name (at most 120 characters)."),
    "name_zh": N_("Use at most 120 characters."),
    "description": N_("Use at most 20,000 characters."),
}


def _require_organizer(view: View) -> None:
    if view.organization_kind != "organizer":
        raise events.OrganizerRequired("Only organizer organizations can create events.")


async def _own_events(view: View) -> list[EventRead]:
    """The viewer's organization's events, drafts included, newest first.

    The event service lists every public event plus the viewer's drafts; this keeps the
    viewer's own. (``events.list_own_events`` would do it in one query: see the report.)
    """
    assert view.viewer is not None  # noqa: S101 - the routes redirect anonymous viewers
    own: list[EventRead] = []
    cursor = None
    for _page in range(MAX_EVENT_PAGES):
        items, cursor = await events.list_events(
            view.session, view.viewer, statuses=None, limit=100, cursor=cursor
        )
        own += [e for e in items if view.viewer.is_member_of(e.organizer_id)]
        if cursor is None:
            break
    return own


async def _events_page(
    view: View,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    move_errors: dict[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    zone = view.organization.time_zone if view.organization is not None else "UTC"
    params = view.request.query_params
    return view.render(
        "exhibition/organizer_events.html",
        status_code=status_code,
        events=await _own_events(view),
        values=values or {"time_zone": zone},
        errors=errors or {},
        move_errors=move_errors or {},
        time_zones=time_zone_names(),
        moved=params.get("moved"),
    )


@router.get("/organizer/events", response_class=HTMLResponse)
async def organizer_events(view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    _require_organizer(view)
    return await _events_page(view)


@router.post("/organizer/events", response_class=HTMLResponse)
async def create_event(view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    values = {name: form_text(form, name) for name in EVENT_FIELDS}
    body: dict[str, Any] = dict(values)
    for name in ("starts_at", "ends_at"):
        body[name] = local_moment(values[name], values["time_zone"])
    try:
        data = EventCreate.model_validate(body)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "title"
            errors.setdefault(name, view._(_EVENT_MESSAGES.get(
                name, N_("Check this value and try again."))))
        return await _events_page(view, values, errors, status_code=422)
    try:
        event = await events.create_event(view.session, view.viewer, data)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return await _events_page(view, values, {"title": view.error_text(exc)},
                                  status_code=exc.status_code)
    return view.redirect(f"/organizer/events/{event.id}/halls?created=1")


@router.post("/organizer/events/{event_id}/status", response_class=HTMLResponse)
async def move_event(event_id: Id, view: ViewDep) -> Response:
    """Publish, take live or close: the event service says which moves the status allows."""
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    action = form_text(form, "action")
    move = MOVES.get(action)
    if move is None:
        return await _events_page(view, move_errors={event_id: view._(
            "Choose one of the options.")}, status_code=422)
    try:
        event = await move(view.session, view.viewer, event_id)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return await _events_page(view, move_errors={event_id: view.error_text(exc)},
                                  status_code=exc.status_code)
    return view.redirect(url_with("/organizer/events", {}, moved=event.status) +
                         f"#event-{event.id}")


# --- halls ----------------------------------------------------------------------------------


async def _halls_page(
    view: View,
    event_id: int,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    assert view.viewer is not None  # noqa: S101
    event = await events.organized_event(view.session, view.viewer, event_id)
    read = await events.get_event(view.session, view.viewer, event.id)
    halls, _ = await events.list_halls(view.session, view.viewer, event.id, limit=100,
                                       cursor=None)
    return view.render(
        "exhibition/organizer_halls.html",
        status_code=status_code,
        event=read,
        halls=halls,
        values=values or {},
        errors=errors or {},
        created=view.request.query_params.get("created") == "1",
        added=view.request.query_params.get("added"),
    )


@router.get("/organizer/events/{event_id}/halls", response_class=HTMLResponse)
async def organizer_halls(event_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _halls_page(view, event_id)


@router.post("/organizer/events/{event_id}/halls", response_class=HTMLResponse)
async def add_hall(event_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    values = {name: form_text(form, name) for name in ("name", "name_zh", "description")}
    try:
        data = HallCreate.model_validate(values)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "name"
            errors.setdefault(name, view._(_HALL_MESSAGES.get(
                name, N_("Check this value and try again."))))
        return await _halls_page(view, event_id, values, errors, status_code=422)
    try:
        hall = await events.create_hall(view.session, view.viewer, event_id, data)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return await _halls_page(view, event_id, values, {"name": view.error_text(exc)},
                                 status_code=exc.status_code)
    return view.redirect(url_with(f"/organizer/events/{event_id}/halls", {}, added=hall.name))


# --- the review queue -----------------------------------------------------------------------


async def _queue_page(
    view: View,
    event_id: int,
    *,
    status: BoothStatus = "applied",
    errors: dict[int, str] | None = None,
    reasons: dict[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    assert view.viewer is not None  # noqa: S101
    event = await events.organized_event(view.session, view.viewer, event_id)
    read = await events.get_event(view.session, view.viewer, event.id)
    cursor = view.request.query_params.get("cursor") or None
    items, next_cursor = await booths.list_booths(
        view.session, view.viewer, event.id, booths.BoothFilters(status=status),
        limit=QUEUE_PAGE, cursor=cursor,
    )
    suppliers = {
        item.supplier_id: await organizations.get_profile(view.session, item.supplier_id)
        for item in items
    }
    here = f"/organizer/events/{event.id}/applications"
    params = view.request.query_params
    listed = {item.id for item in items}
    errors = errors or {}
    return view.render(
        "exhibition/organizer_applications.html",
        status_code=status_code,
        event=read,
        status=status,
        statuses=QUEUE_STATUSES,
        booths=items,
        suppliers=suppliers,
        errors=errors,
        # A refusal about a booth this tab does not list (decided meanwhile): on top.
        alerts=[message for booth_id, message in errors.items() if booth_id not in listed],
        reasons=reasons or {},
        here=here,
        next_url=url_with(here, {"status": status}, cursor=next_cursor) if next_cursor else None,
        first_url=url_with(here, {"status": status}) if cursor else None,
        decided=params.get("decided"),
        decided_name=params.get("name"),
    )


@router.get("/organizer/events/{event_id}/applications", response_class=HTMLResponse)
async def review_queue(event_id: Id, view: ViewDep) -> Response:
    """Applications waiting for a decision (and, by tab, the approved and rejected ones)."""
    if view.viewer is None:
        return view.login()
    wanted = view.request.query_params.get("status", "applied")
    status: BoothStatus = "applied"
    for known in QUEUE_STATUSES:
        if wanted == known:
            status = known
    return await _queue_page(view, event_id, status=status)


async def _decided(view: View, booth: BoothSummary, decision: str) -> Response:
    return view.redirect(url_with(f"/organizer/events/{booth.event_id}/applications", {},
                                  decided=decision, name=booth.supplier_name))


async def _queue_event(view: View, booth_id: int) -> int:
    """The event of a booth the viewer may decide on (the booth service's 404 otherwise)."""
    assert view.viewer is not None  # noqa: S101
    booth = await booths.party_booth(view.session, view.viewer, booth_id)
    return booth.event_id


@router.post("/organizer/booths/{booth_id}/approve", response_class=HTMLResponse)
async def approve_booth(booth_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    try:
        booth = await booths.approve(view.session, view.viewer, booth_id)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        event_id = await _queue_event(view, booth_id)
        return await _queue_page(view, event_id, errors={booth_id: view.error_text(exc)},
                                 status_code=exc.status_code)
    return await _decided(view, booth, "approved")


@router.post("/organizer/booths/{booth_id}/reject", response_class=HTMLResponse)
async def reject_booth(booth_id: Id, view: ViewDep) -> Response:
    """Reject with a reason (required): the exhibitor is sent it."""
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    reason = form_text(form, "reason")
    try:
        data = BoothReject.model_validate({"reason": reason})
    except ValidationError:
        event_id = await _queue_event(view, booth_id)
        message = view._("Give the exhibitor a reason they can act on (at most 2,000 "
                         "characters).")
        return await _queue_page(view, event_id, errors={booth_id: message},
                                 reasons={booth_id: reason}, status_code=422)
    try:
        booth = await booths.reject(view.session, view.viewer, booth_id, data)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        event_id = await _queue_event(view, booth_id)
        where = field_of(exc)
        return await _queue_page(view, event_id, errors={booth_id: view.error_text(exc)},
                                 reasons={booth_id: reason} if where else {},
                                 status_code=exc.status_code)
    return await _decided(view, booth, "rejected")
