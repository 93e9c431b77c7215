"""A participant's matchmaking pages: the session's overview, recommendations, meeting
requests and the agenda (with its calendar file); and the event page's matchmaking section.

Only the participant's own organization sees its recommendations, requests and agenda (the
services: 404 for a session it cannot see, 403 ``registration_required`` before it
registers). Reasons and times are in the viewer's language and time zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from app.catalog import reference
from app.errors import AppError, NotFound
from app.events.schemas import EventRead
from app.kit.validation import Id, is_country_code
from app.matchmaking import agenda, ics, recommendations, requests, service, sessions
from app.matchmaking.schemas import MeetingRequestCreate, SessionRead
from app.models.base import utcnow
from app.web.exhibition_view import View, ViewDep, form_text, is_page_error, url_with
from app.web.forms import parse_form
from app.web.matchmaking_view import (
    MEETING_STATUS_LABELS,
    REQUEST_STATUS_LABELS,
    STATUS_LABELS,
    label,
    refusal,
    relative,
    voice_of,
)
from app.web.messages import N_

router = APIRouter(include_in_schema=False)

RECOMMENDATIONS_PER_PAGE = 24
REQUESTS_SHOWN = 200
NOTE_TOO_LONG = N_("A note has at most 2,000 characters.")
REQUEST_DONE = {
    "sent": N_("Your request was sent. They are told, and you will see their answer here."),
    "accepted": N_("You accepted: the scheduler places this meeting first."),
    "declined": N_("You declined the request."),
    "cancelled": N_("You withdrew the request."),
}
DECISIONS = ("accept", "decline", "cancel")


def _statuses(view: View) -> dict[str, str]:
    return {k: view._(v) for k, v in STATUS_LABELS.items()}


async def _session(view: View, session_id: int) -> SessionRead:
    assert view.viewer is not None  # noqa: S101 - routes redirect anonymous viewers first
    return await sessions.get_session(view.session, view.viewer, session_id)


# --- the event page's section --------------------------------------------------------------


async def event_section(view: View, event: EventRead) -> dict[str, Any]:
    """The event's sessions for its page: status, when (viewer's zone), what to do next."""
    listed, _ = await sessions.list_sessions(view.session, view.viewer, event.id, 20, None)
    full = [await sessions.get_session(view.session, view.viewer, s.id) for s in listed]
    return {
        "mm_sessions": full,
        "mm_statuses": _statuses(view),
        "mm_is_organizer": view.viewer is not None and view.viewer.is_member_of(
            event.organizer_id),
        "mm_can_register": view.organization_kind in ("buyer", "supplier"),
    }


# --- the overview --------------------------------------------------------------------------


@router.get("/matchmaking/{session_id}", response_class=HTMLResponse)
async def overview(session_id: Id, view: ViewDep) -> Response:
    """What the session is, and the viewer's next step in it."""
    ms = await sessions.get_session(view.session, view.viewer, session_id)
    loaded = await service.load(view.session, view.viewer, session_id)
    return view.render(
        "matchmaking/overview.html", ms=ms, event=loaded.event,
        is_organizer=service.is_organizer(view.viewer, loaded),
        status_label=label(view, STATUS_LABELS, ms.status),
        can_take_part=view.organization_kind in ("buyer", "supplier"),
    )


# --- recommendations -----------------------------------------------------------------------


def _filters(view: View) -> tuple[recommendations.Filters, dict[str, str], dict[str, str]]:
    """The filters from the query string, what the form shows, and what is wrong."""
    params = view.request.query_params
    shown = {name: (params.get(name) or "").strip()
             for name in ("category", "certification", "country", "min_score")}
    errors: dict[str, str] = {}
    if shown["category"] and shown["category"] not in reference.CATEGORY_CODES:
        errors["category"] = view._("Choose one of the options.")
    if shown["certification"] and shown["certification"] not in reference.CERTIFICATION_CODES:
        errors["certification"] = view._("Choose one of the options.")
    if shown["country"] and not is_country_code(shown["country"]):
        errors["country"] = view._("Choose a country from the list.")
    min_score = 0
    if shown["min_score"]:
        if shown["min_score"].isdigit() and int(shown["min_score"]) <= 1000:
            min_score = int(shown["min_score"])
        else:
            errors["min_score"] = view._("Enter a whole number from 0 to 1000.")
    filters = recommendations.Filters(
        category=shown["category"] or None if "category" not in errors else None,
        certification=shown["certification"] or None if "certification" not in errors
        else None,
        country=shown["country"] or None if "country" not in errors else None,
        min_score=min_score,
    )
    return filters, shown, errors


async def _recommendations(
    view: View, session_id: int, *, status_code: int = 200,
    card_errors: dict[int, str] | None = None, notes: dict[int, str] | None = None,
) -> Response:
    assert view.viewer is not None  # noqa: S101
    ms = await _session(view, session_id)
    filters, shown, errors = _filters(view)
    cursor = view.request.query_params.get("cursor") or None
    try:
        items, next_cursor = await recommendations.recommend(
            view.session, view.viewer, ms.id, filters, RECOMMENDATIONS_PER_PAGE, cursor,
            voice_of(view))
    except AppError as exc:
        if exc.code != "invalid_cursor":
            raise
        errors["cursor"] = view.error_text(exc)
        items, next_cursor = [], None
    here = f"/matchmaking/{ms.id}/recommendations"
    sent = view.request.query_params.get("sent")
    return view.render(
        "matchmaking/recommendations.html", status_code=status_code if not errors else 422,
        ms=ms, items=items, filters=shown, errors=errors, card_errors=card_errors or {},
        notes=notes or {}, can_request="request_meetings" in ms.allowed_actions,
        filtering=any(shown.values()),
        next_url=url_with(here, shown, cursor=next_cursor) if next_cursor else None,
        clear_url=here, request_label=lambda s: label(view, REQUEST_STATUS_LABELS, s),
        sent=view._(REQUEST_DONE["sent"]) if sent else None,
    )


@router.get("/matchmaking/{session_id}/recommendations", response_class=HTMLResponse)
async def recommendations_page(session_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _recommendations(view, session_id)


@router.post("/matchmaking/{session_id}/requests", response_class=HTMLResponse)
async def send_request(session_id: Id, view: ViewDep) -> Response:
    """"Request meeting" on a recommendation card, with a note."""
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    recipient = form_text(form, "recipient_id")
    note = form_text(form, "note")
    recipient_id = int(recipient) if recipient.isdigit() else 0
    if len(note) > 2000:
        return await _recommendations(view, session_id, status_code=422,
                                      card_errors={recipient_id: view._(NOTE_TOO_LONG)},
                                      notes={recipient_id: note})
    try:
        await requests.send(view.session, view.viewer, session_id,
                            MeetingRequestCreate(recipient_id=max(recipient_id, 1), note=note))
    except AppError as exc:
        if not (is_page_error(exc) or exc.status_code == 429):
            raise
        await view.recover()
        return await _recommendations(view, session_id, status_code=exc.status_code,
                                      card_errors={recipient_id: refusal(view, exc)},
                                      notes={recipient_id: note})
    return view.redirect(f"/matchmaking/{session_id}/recommendations?sent=1")


# --- requests ------------------------------------------------------------------------------


async def _requests_page(
    view: View, session_id: int, *, status_code: int = 200,
    errors: dict[int, str] | None = None,
) -> Response:
    assert view.viewer is not None  # noqa: S101
    ms = await _session(view, session_id)
    items, _ = await requests.list_own(view.session, view.viewer, ms.id, None, None,
                                       REQUESTS_SHOWN, None)
    now = utcnow()
    done = view.request.query_params.get("done")
    return view.render(
        "matchmaking/requests.html", status_code=status_code, ms=ms,
        incoming=[r for r in items if r.direction == "incoming"],
        outgoing=[r for r in items if r.direction == "outgoing"],
        errors=errors or {}, request_label=lambda s: label(view, REQUEST_STATUS_LABELS, s),
        relative=lambda moment: relative(view, moment, now),
        done=view._(REQUEST_DONE[done]) if done in REQUEST_DONE else None,
    )


@router.get("/matchmaking/{session_id}/requests", response_class=HTMLResponse)
async def requests_page(session_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _requests_page(view, session_id)


@router.post("/matchmaking/{session_id}/requests/{request_id}/{decision}",
             response_class=HTMLResponse)
async def decide(session_id: Id, request_id: Id, decision: str, view: ViewDep) -> Response:
    """Accept or decline a request received; withdraw ("cancel") one sent."""
    if view.viewer is None:
        return view.login()
    if decision not in DECISIONS:
        raise NotFound()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    try:
        if decision == "cancel":
            read = await requests.cancel(view.session, view.viewer, request_id)
        else:
            read = await requests.answer(view.session, view.viewer, request_id,
                                         "accepted" if decision == "accept" else "declined")
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return await _requests_page(view, session_id, status_code=exc.status_code,
                                    errors={request_id: refusal(view, exc)})
    return view.redirect(f"/matchmaking/{read.session_id}/requests?done={read.status}")


# --- the agenda ----------------------------------------------------------------------------


def _on_the_day(starts: list[datetime], view: View) -> bool:
    """A meeting falls on the viewer's today (the lobby opens then)."""
    today = datetime.now(view.ctx.zone).date()
    return any(s.astimezone(view.ctx.zone).date() == today for s in starts)


@router.get("/matchmaking/{session_id}/agenda", response_class=HTMLResponse)
async def agenda_page(session_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    ms = await _session(view, session_id)
    found = await agenda.agenda(view.session, view.viewer, ms.id, voice_of(view))
    items = found.read.items
    return view.render(
        "matchmaking/agenda.html", ms=ms, items=items,
        scheduled=ms.status in ("scheduled", "live", "finished"),
        lobby_open=ms.status == "live" or _on_the_day([i.starts_at for i in items], view),
        meeting_label=lambda s: label(view, MEETING_STATUS_LABELS, s),
        participant_zone=found.read.time_zone,
    )


@router.get("/matchmaking/{session_id}/agenda.ics")
async def agenda_calendar(session_id: Id, view: ViewDep) -> Response:
    """The agenda as a calendar file, worded in the page's language."""
    if view.viewer is None:
        return view.login()
    voice = voice_of(view)
    found = await agenda.agenda(view.session, view.viewer, session_id, voice)
    host = urlsplit(view.ctx.settings.base_url).hostname or "tradehall"
    return Response(
        content=ics.agenda_ics(found, host, utcnow(), voice),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition":
                 f'attachment; filename="matchmaking-{session_id}.ics"'},
    )
