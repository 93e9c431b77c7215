"""The organizer's matchmaking pages: create and edit a session, and its admin page.

The admin page shows who registered (counts by side, filters), how the meeting requests
stand, the "Run scheduler" button with the job's progress and result, and the meetings by
slot with the hand edits (lock/unlock, swap two, add, delete). Every action is a POST form
that calls the same service as the API; a refusal comes back on the page in the viewer's
language. frontend/static/js/matchmaking_admin.js runs the scheduler without leaving the
page: it follows ``matchmaking:{id}`` (or polls the job while the socket is down) and swaps
in the parts the server renders at ``/matchmaking/{id}/admin/parts``.

The services decide who may do what: a participant opening these pages gets 403
``organizer_required``; someone who cannot see the event gets 404.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from app.errors import AppError
from app.events import service as events
from app.kit.validation import Id
from app.matchmaking import jobs, meetings, overview, registration, service, sessions
from app.matchmaking.schemas import (
    MeetingCreate,
    MeetingSwap,
    MeetingUpdate,
    SessionCreate,
    SessionRead,
    SessionUpdate,
)
from app.web.exhibition_view import View, ViewDep, form_list, form_text, is_page_error, url_with
from app.web.forms import local_moment, parse_form
from app.web.matchmaking_view import (
    MEETING_STATUS_LABELS,
    PHASE_LABELS,
    SIDE_LABELS,
    STATUS_LABELS,
    label,
    local_time,
    refusal,
    rows,
    service_errors,
    validation_errors,
    voice_of,
    whole_number,
    with_spares,
)
from app.web.messages import N_

router = APIRouter(include_in_schema=False)

PARTICIPANTS_PER_PAGE = 100
MEETINGS_SHOWN = 5000
WINDOW_FIELDS = ("date", "start", "end")
BREAK_FIELDS = ("start", "end")
NUMBER_FIELDS = ("slot_minutes", "max_meetings", "capacity", "request_quota",
                 "daily_request_cap", "request_ttl_hours")
# Fields a session takes a default for when the form leaves them empty.
DEFAULTED = {"max_meetings": 8, "request_quota": 10, "daily_request_cap": 30,
             "request_ttl_hours": 48}

SESSION_MESSAGES = {
    "title": N_("Give the session a title (at most 200 characters)."),
    "windows": N_("Give each day a date, a start and an end time after the start."),
    "breaks": N_("Give each break a start and an end time after the start."),
    "slot_minutes": N_("A slot lasts 5 to 240 minutes."),
    "max_meetings": N_("Allow 1 to 100 meetings per participant."),
    "registration_deadline": N_("Enter the date and time registration closes."),
    "capacity": N_("Leave empty for no limit, or give 1 to 10,000 tables."),
    "request_quota": N_("Allow 1 to 100 pending requests per participant."),
    "daily_request_cap": N_("Allow 1 to 500 requests a day per participant."),
    "request_ttl_hours": N_("A request waits 1 to 720 hours for an answer."),
}
PICK_TWO = N_("Tick exactly two meetings to swap them.")
CHOOSE_FROM_LIST = N_("Choose one of the options.")
DONE_MESSAGES = {
    "created": N_("The session is open for registration."),
    "saved": N_("Your changes are saved."),
    "locked": N_("The meeting is locked: a new run of the scheduler keeps it."),
    "unlocked": N_("The meeting is unlocked."),
    "swapped": N_("The two meetings swapped slots; both parties were told."),
    "added": N_("The meeting was added; both parties were told."),
    "deleted": N_("The meeting was deleted; both parties were told."),
}


# --- the session form ----------------------------------------------------------------------


def _form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: form_text(form, name)
                              for name in ("title", "registration_deadline", *NUMBER_FIELDS)}
    values["windows"] = rows(form, "windows", WINDOW_FIELDS)
    values["breaks"] = rows(form, "breaks", BREAK_FIELDS)
    return values


def _body(values: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": values["title"],
        "windows": values["windows"],
        "breaks": values["breaks"],
        "registration_deadline": local_moment(values["registration_deadline"], zone),
    }
    for name in NUMBER_FIELDS:
        body[name] = whole_number(values[name])
    return body


def _values_of(read: SessionRead) -> dict[str, Any]:
    """A session as the form shows it (local times in the event's zone)."""
    return {
        "title": read.title,
        "windows": [{"date": w.date.isoformat(), "start": local_time(w.start),
                     "end": local_time(w.end)} for w in read.windows],
        "breaks": [{"start": local_time(b.start), "end": local_time(b.end)}
                   for b in read.breaks],
        "registration_deadline": read.registration_deadline.strftime("%Y-%m-%dT%H:%M"),
        "slot_minutes": str(read.slot_minutes), "max_meetings": str(read.max_meetings),
        "capacity": "" if read.capacity is None else str(read.capacity),
        "request_quota": str(read.request_quota),
        "daily_request_cap": str(read.daily_request_cap),
        "request_ttl_hours": str(read.request_ttl_hours),
    }


def _changes(body: dict[str, Any], current: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    """What the organizer changed: an update names only those fields, so an unchanged
    timing does not meet the rule that timing changes only during registration."""
    changed: dict[str, Any] = {}
    before = _body(current, zone)
    for name, value in body.items():
        if value != before.get(name):
            changed[name] = value
    return changed


def _defaults(event_zone: ZoneInfo, event_start: datetime) -> dict[str, Any]:
    day = event_start.astimezone(event_zone).date()
    deadline = datetime.combine(day - timedelta(days=1), datetime.min.time()).replace(hour=18)
    return {
        "title": "", "windows": [{"date": day.isoformat(), "start": "09:00", "end": "12:00"}],
        "breaks": [], "registration_deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        "slot_minutes": "30", "max_meetings": "8", "capacity": "",
        "request_quota": "10", "daily_request_cap": "30", "request_ttl_hours": "48",
    }


async def _form_page(
    view: View, event_id: int, values: dict[str, Any], errors: dict[str, str],
    session_id: int | None = None, status_code: int = 200, status: str | None = None,
) -> Response:
    assert view.viewer is not None  # noqa: S101 - routes redirect anonymous viewers first
    event = await events.get_event(view.session, view.viewer, event_id)
    return view.render(
        "matchmaking/session_form.html", status_code=status_code, event=event,
        values={**values, "windows": with_spares(values["windows"], WINDOW_FIELDS),
                "breaks": with_spares(values["breaks"], BREAK_FIELDS)},
        errors=errors, session_id=session_id, status=status,
        status_label=label(view, STATUS_LABELS, status) if status else "",
    )


@router.get("/organizer/events/{event_id}/matchmaking/new", response_class=HTMLResponse)
async def new_session(event_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    event = await events.organized_event(view.session, view.viewer, event_id)
    zone = ZoneInfo(event.time_zone)
    return await _form_page(view, event.id, _defaults(zone, event.starts_at), {})


@router.post("/organizer/events/{event_id}/matchmaking/new", response_class=HTMLResponse)
async def create_session(event_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    event = await events.organized_event(view.session, view.viewer, event_id)
    values = _form_values(form)
    body = _body(values, ZoneInfo(event.time_zone))
    for name, default in DEFAULTED.items():
        if body[name] is None:
            body[name] = default
    try:
        data = SessionCreate.model_validate(body)
    except ValidationError as exc:
        return await _form_page(view, event.id, values,
                                validation_errors(view, exc, SESSION_MESSAGES), status_code=422)
    try:
        created = await sessions.create_session(view.session, view.viewer, event.id, data)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return await _form_page(view, event_id, values, service_errors(view, exc, "title"),
                                status_code=exc.status_code)
    return view.redirect(f"/matchmaking/{created.id}/admin?done=created")


@router.get("/matchmaking/{session_id}/edit", response_class=HTMLResponse)
async def edit_session(session_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    loaded = await service.organized(view.session, view.viewer, session_id)
    read = await sessions.read(view.session, view.viewer, loaded)
    return await _form_page(view, read.event_id, _values_of(read), {}, session_id=read.id,
                            status=read.status)


@router.post("/matchmaking/{session_id}/edit", response_class=HTMLResponse)
async def update_session(session_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    loaded = await service.organized(view.session, view.viewer, session_id)
    read = await sessions.read(view.session, view.viewer, loaded)
    zone = loaded.zone
    values = _form_values(form)
    changes = _changes(_body(values, zone), _values_of(read), zone)
    try:
        data = SessionUpdate.model_validate(changes)
    except ValidationError as exc:
        return await _form_page(view, read.event_id, values,
                                validation_errors(view, exc, SESSION_MESSAGES),
                                session_id=read.id, status_code=422, status=read.status)
    try:
        await sessions.update_session(view.session, view.viewer, read.id, data)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return await _form_page(view, read.event_id, values, service_errors(view, exc, "title"),
                                session_id=read.id, status_code=exc.status_code,
                                status=read.status)
    return view.redirect(f"/matchmaking/{read.id}/admin?done=saved")


# --- the admin page ------------------------------------------------------------------------


async def _admin_parts(view: View, session_id: int) -> dict[str, Any]:
    """What the schedule and meetings panels show (also rendered alone for the script)."""
    assert view.viewer is not None  # noqa: S101
    read = await sessions.get_session(view.session, view.viewer, session_id)
    recent = await jobs.list_jobs(view.session, view.viewer, session_id)
    found, _ = await meetings.list_meetings(
        view.session, view.viewer, session_id, participant_id=None, slot_index=None,
        status=None, limit=MEETINGS_SHOWN, cursor=None, voice=voice_of(view),
    )
    by_slot: dict[int, list[Any]] = {}
    for meeting in found:
        by_slot.setdefault(meeting.slot_index, []).append(meeting)
    job = recent[0] if recent else None
    buyers = await _side(view, read.id, "buyer")
    suppliers = await _side(view, read.id, "supplier")
    return {
        "ms": read,
        "buyers": buyers,
        "suppliers": suppliers,
        "names": dict(buyers + suppliers),
        "job": job,
        "job_active": job is not None and job.status in ("queued", "running"),
        "phase_label": label(view, PHASE_LABELS, job.phase) if job else "",
        "meetings": found,
        "by_slot": by_slot,
        "slots": read.slots,
        "can_schedule": "schedule" in read.allowed_actions,
        "can_edit_meetings": "edit_meetings" in read.allowed_actions,
        "meeting_status": lambda s: label(view, MEETING_STATUS_LABELS, s),
        "phase_labels": {k: view._(v) for k, v in PHASE_LABELS.items()},
    }


async def _admin(
    view: View, session_id: int, *, status_code: int = 200, schedule_error: str | None = None,
    meeting_error: str | None = None, add_values: dict[str, str] | None = None,
    add_errors: dict[str, str] | None = None,
) -> Response:
    assert view.viewer is not None  # noqa: S101
    await service.organized(view.session, view.viewer, session_id)
    params = view.request.query_params
    side = params.get("side") if params.get("side") in ("buyer", "supplier") else None
    cursor = params.get("cursor") or None
    participants, next_cursor = await registration.list_participants(
        view.session, view.viewer, session_id, side, PARTICIPANTS_PER_PAGE, cursor)
    stats = await overview.request_stats(view.session, view.viewer, session_id)
    parts = await _admin_parts(view, session_id)
    ms: SessionRead = parts["ms"]
    event = await events.get_event(view.session, view.viewer, ms.event_id)
    country = (params.get("country") or "").upper()
    text = (params.get("q") or "").strip()
    shown = [p for p in participants
             if (not country or p.country == country)
             and (not text or text.casefold() in p.organization_name.casefold())]
    meeting_counts: Counter[int] = Counter()
    for m in parts["meetings"]:
        meeting_counts[m.buyer.participant_id] += 1
        meeting_counts[m.supplier.participant_id] += 1
    here = f"/matchmaking/{ms.id}/admin"
    filters = {"side": side, "country": country or None, "q": text or None}
    done = params.get("done")
    return view.render(
        "matchmaking/admin.html", status_code=status_code, event=event,
        participants=shown, participant_count=len(participants),
        meeting_counts=meeting_counts, stats=stats, filters=filters,
        countries=sorted({p.country for p in participants}),
        next_url=url_with(here, filters, cursor=next_cursor) if next_cursor else None,
        side_label=lambda s: label(view, SIDE_LABELS, s),
        status_label=label(view, STATUS_LABELS, ms.status),
        done=view._(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None,
        schedule_error=schedule_error, meeting_error=meeting_error,
        add_values=add_values or {}, add_errors=add_errors or {},
        **parts,
    )


async def _side(view: View, session_id: int, side: str) -> list[tuple[int, str]]:
    """Participants of one side for the add-a-meeting form: (id, name), by name."""
    assert view.viewer is not None  # noqa: S101
    listed, _ = await registration.list_participants(
        view.session, view.viewer, session_id, side, MEETINGS_SHOWN, None)
    return sorted(((p.id, p.organization_name) for p in listed), key=lambda p: p[1].casefold())


@router.get("/matchmaking/{session_id}/admin", response_class=HTMLResponse)
async def admin(session_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _admin(view, session_id)


@router.get("/matchmaking/{session_id}/admin/parts", response_class=HTMLResponse)
async def admin_parts(session_id: Id, view: ViewDep) -> Response:
    """The schedule and meetings panels alone, for the admin page's script to swap in."""
    if view.viewer is None:
        return view.login()
    await service.organized(view.session, view.viewer, session_id)
    return view.render("matchmaking/admin_parts.html", **await _admin_parts(view, session_id))


@router.post("/matchmaking/{session_id}/schedule", response_class=HTMLResponse)
async def run_scheduler(session_id: Id, view: ViewDep) -> Response:
    """Start a scheduling job; the page shows it running (the script follows it live)."""
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    stale = timedelta(seconds=view.ctx.settings.matchmaking_stale_job_seconds)
    try:
        await jobs.request_schedule(view.session, view.viewer, session_id, stale)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return await _admin(view, session_id, status_code=exc.status_code,
                            schedule_error=refusal(view, exc))
    return view.redirect(f"/matchmaking/{session_id}/admin#schedule")


# --- the organizer's hand edits ------------------------------------------------------------


async def _attempt(view: View, action: Callable[[], Awaitable[object]]
                   ) -> tuple[str, int] | None:
    """Run one hand edit: None when done, else the refusal in words and its status."""
    try:
        await action()
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return refusal(view, exc), exc.status_code
    return None


async def _edit(view: View, session_id: int, action: Callable[[], Awaitable[object]],
                done: str) -> Response:
    """A hand edit, then the admin page: a refusal shows above the meetings table."""
    refused = await _attempt(view, action)
    if refused is not None:
        return await _admin(view, session_id, status_code=refused[1], meeting_error=refused[0])
    return view.redirect(f"/matchmaking/{session_id}/admin?done={done}#meetings")


async def _posted(view: View) -> FormData:
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    return form


@router.post("/matchmaking/{session_id}/meetings/{meeting_id}/lock",
             response_class=HTMLResponse)
async def lock_meeting(session_id: Id, meeting_id: Id, view: ViewDep) -> Response:
    viewer = view.viewer
    if viewer is None:
        return view.login()
    form = await _posted(view)
    locked = form_text(form, "locked") == "1"

    async def action() -> None:
        await meetings.update_meeting(view.session, viewer, session_id, meeting_id,
                                      MeetingUpdate(locked=locked))

    return await _edit(view, session_id, action, "locked" if locked else "unlocked")


@router.post("/matchmaking/{session_id}/meetings/{meeting_id}/delete",
             response_class=HTMLResponse)
async def delete_meeting(session_id: Id, meeting_id: Id, view: ViewDep) -> Response:
    viewer = view.viewer
    if viewer is None:
        return view.login()
    await _posted(view)

    async def action() -> None:
        await meetings.delete_meeting(view.session, viewer, session_id, meeting_id)

    return await _edit(view, session_id, action, "deleted")


@router.post("/matchmaking/{session_id}/meetings/swap", response_class=HTMLResponse)
async def swap_meetings(session_id: Id, view: ViewDep) -> Response:
    viewer = view.viewer
    if viewer is None:
        return view.login()
    form = await _posted(view)
    picked = [int(v) for v in form_list(form, "meeting_ids") if v.isdigit()]
    if len(set(picked)) != 2:
        await service.organized(view.session, viewer, session_id)
        return await _admin(view, session_id, status_code=422, meeting_error=view._(PICK_TWO))
    data = MeetingSwap(first_id=picked[0], second_id=picked[1])

    async def action() -> None:
        await meetings.swap_meetings(view.session, viewer, session_id, data)

    return await _edit(view, session_id, action, "swapped")


@router.post("/matchmaking/{session_id}/meetings/add", response_class=HTMLResponse)
async def add_meeting(session_id: Id, view: ViewDep) -> Response:
    viewer = view.viewer
    if viewer is None:
        return view.login()
    form = await _posted(view)
    values = {name: form_text(form, name) for name in ("buyer_id", "supplier_id", "slot_index")}
    values["locked"] = "1" if form_text(form, "locked") else ""
    try:
        data = MeetingCreate.model_validate({
            "buyer_id": whole_number(values["buyer_id"]),
            "supplier_id": whole_number(values["supplier_id"]),
            "slot_index": whole_number(values["slot_index"]),
            "locked": bool(values["locked"]),
        })
    except ValidationError as exc:
        await service.organized(view.session, viewer, session_id)
        errors = {name: view._(CHOOSE_FROM_LIST)
                  for name in validation_errors(view, exc)}
        return await _admin(view, session_id, status_code=422, add_values=values,
                            add_errors=errors)

    async def action() -> None:
        await meetings.add_meeting(view.session, viewer, session_id, data)

    refused = await _attempt(view, action)
    if refused is not None:
        # The form keeps what the organizer chose, so a refusal is fixed rather than redone.
        return await _admin(view, session_id, status_code=refused[1], add_values=values,
                            add_errors={"form": refused[0]})
    return view.redirect(f"/matchmaking/{session_id}/admin?done=added#meetings")
