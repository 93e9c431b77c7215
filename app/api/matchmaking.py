"""Matchmaking sessions, registration, recommendations and meeting requests.

Scheduling, meetings and agendas are in ``app/api/matchmaking_meetings.py``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from app.accounts.principal import Principal
from app.api.deps import CurrentPrincipal, OptionalPrincipal, SessionDep
from app.api.responses import error_responses
from app.catalog.schemas import Code
from app.kit.pagination import Page, PageDep
from app.kit.timezones import SUPPORTED_LOCALES
from app.kit.validation import CountryCode, Id
from app.matchmaking import recommendations, registration, requests, sessions
from app.matchmaking.reasons import Voice
from app.matchmaking.schemas import (
    MeetingRequestCreate,
    MeetingRequestRead,
    MustMeetCreate,
    MustMeetRead,
    ParticipantCreate,
    ParticipantRead,
    ParticipantUpdate,
    RecommendationRead,
    SessionCreate,
    SessionRead,
    SessionUpdate,
    Side,
)
from app.web.i18n import gettext_for

router = APIRouter(tags=["matchmaking"])


def voice_of(viewer: Principal) -> Voice:
    """The caller's language, for the reasons' sentences."""
    locale = viewer.user.locale if viewer.user.locale in SUPPORTED_LOCALES else "en"
    return Voice(locale, gettext_for(locale))


_SESSION = "/matchmaking-sessions/{session_id}"
_ORGANIZER = error_responses(403, 404, 409, described={
    403: "organizer_required", 404: "matchmaking_session_not_found",
    409: "matchmaking_status_conflict (details.allowed_actions)",
})
_PARTICIPANT = error_responses(403, 404, described={
    403: "registration_required", 404: "matchmaking_session_not_found",
})


# --- sessions ------------------------------------------------------------------------------


@router.get("/events/{event_id}/matchmaking-sessions",
            responses=error_responses(404, described={404: "event_not_found"}))
async def list_sessions(
    event_id: Id, viewer: OptionalPrincipal, session: SessionDep, page: PageDep
) -> Page[SessionRead]:
    """The event's matchmaking sessions (whoever may see the event); slots are in each
    session's own read."""
    items, cursor = await sessions.list_sessions(session, viewer, event_id, page.limit,
                                                 page.cursor)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/events/{event_id}/matchmaking-sessions", status_code=status.HTTP_201_CREATED,
    responses=error_responses(403, 404, 409, 422, described={
        403: "organizer_required", 404: "event_not_found", 409: "event_closed",
        422: "validation_error, nonexistent_local_time, no_slots, too_many_slots, "
             "window_outside_event, deadline_after_start",
    }),
)
async def create_session(
    event_id: Id, data: SessionCreate, viewer: CurrentPrincipal, session: SessionDep
) -> SessionRead:
    """The event's organizer opens a session. Windows and breaks are local times in the
    event's time zone; the slots are derived from them."""
    return await sessions.create_session(session, viewer, event_id, data)


@router.get(_SESSION, responses=error_responses(404, described={
    404: "matchmaking_session_not_found"}))
async def get_session(session_id: Id, viewer: OptionalPrincipal, session: SessionDep
                      ) -> SessionRead:
    return await sessions.get_session(session, viewer, session_id)


@router.patch(_SESSION, responses={**_ORGANIZER, **error_responses(422)})
async def update_session(
    session_id: Id, data: SessionUpdate, viewer: CurrentPrincipal, session: SessionDep
) -> SessionRead:
    """The organizer edits the session; timing only while registration is open."""
    return await sessions.update_session(session, viewer, session_id, data)


@router.post(f"{_SESSION}/go-live", responses=_ORGANIZER)
async def go_live(session_id: Id, viewer: CurrentPrincipal, session: SessionDep) -> SessionRead:
    """A scheduled session goes live (the matchmaking day starts)."""
    return await sessions.move(session, viewer, session_id, "go_live")


@router.post(f"{_SESSION}/finish", responses=_ORGANIZER)
async def finish(session_id: Id, viewer: CurrentPrincipal, session: SessionDep) -> SessionRead:
    return await sessions.move(session, viewer, session_id, "finish")


# --- participants --------------------------------------------------------------------------


@router.post(
    f"{_SESSION}/participants", status_code=status.HTTP_201_CREATED,
    responses=error_responses(403, 404, 409, 422, described={
        403: "buyer_or_supplier_required, approved_booth_required",
        404: "matchmaking_session_not_found",
        409: "registration_closed, already_registered, matchmaking_status_conflict",
        422: "validation_error or a field rule's code (invalid_category, "
             "invalid_certification, nonexistent_local_time, max_meetings_too_high...)",
    }),
)
async def register(
    session_id: Id, data: ParticipantCreate, viewer: CurrentPrincipal, session: SessionDep
) -> ParticipantRead:
    """Register your organization: buyers with their needs, suppliers (with an approved
    booth in the event) with what they add to their catalog; availability in your zone."""
    return await registration.register(session, viewer, session_id, data)


@router.get(f"{_SESSION}/participants/me", responses=_PARTICIPANT)
async def get_own_registration(
    session_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> ParticipantRead:
    return await registration.get_own(session, viewer, session_id)


@router.patch(
    f"{_SESSION}/participants/me",
    responses={**_PARTICIPANT, **error_responses(409, 422, described={
        409: "registration_closed"})},
)
async def update_own_registration(
    session_id: Id, data: ParticipantUpdate, viewer: CurrentPrincipal, session: SessionDep
) -> ParticipantRead:
    """Change your registration until the deadline."""
    return await registration.update_own(session, viewer, session_id, data)


@router.get(f"{_SESSION}/participants", responses=_ORGANIZER)
async def list_participants(
    session_id: Id, viewer: CurrentPrincipal, session: SessionDep, page: PageDep,
    side: Side | None = None,
) -> Page[ParticipantRead]:
    """Every registration (the organizer only)."""
    items, cursor = await registration.list_participants(
        session, viewer, session_id, side, page.limit, page.cursor
    )
    return Page(items=items, next_cursor=cursor)


@router.get(f"{_SESSION}/participants/{{participant_id}}",
            responses=error_responses(404, described={404: "participant_not_found"}))
async def get_participant(
    session_id: Id, participant_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> ParticipantRead:
    """A registration: for the organizer and the participant's own organization (404 for
    anyone else)."""
    return await registration.get_participant(session, viewer, session_id, participant_id)


# --- recommendations -----------------------------------------------------------------------


@router.get(f"{_SESSION}/recommendations", responses=_PARTICIPANT)
async def list_recommendations(
    session_id: Id, viewer: CurrentPrincipal, session: SessionDep, page: PageDep,
    category: Annotated[Code | None, Query()] = None,
    certification: Annotated[Code | None, Query()] = None,
    country: Annotated[CountryCode | None, Query()] = None,
    min_score: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> Page[RecommendationRead]:
    """Your recommended partners (a buyer sees suppliers, a supplier buyers), best score
    first, each with its reasons in your language. Filters narrow the list."""
    items, cursor = await recommendations.recommend(
        session, viewer, session_id,
        recommendations.Filters(category=category, certification=certification,
                                country=country, min_score=min_score),
        page.limit, page.cursor, voice_of(viewer),
    )
    return Page(items=items, next_cursor=cursor)


# --- meeting requests and must-meets -------------------------------------------------------


@router.post(
    f"{_SESSION}/meeting-requests", status_code=status.HTTP_201_CREATED,
    responses=error_responses(403, 404, 409, 422, 429, described={
        403: "registration_required", 404: "participant_not_found",
        409: "meeting_request_exists, meeting_request_quota, matchmaking_status_conflict",
        422: "same_side (a request goes to the other side)",
        429: "meeting_request_daily_cap (Retry-After)",
    }),
)
async def send_request(
    session_id: Id, data: MeetingRequestCreate, viewer: CurrentPrincipal, session: SessionDep
) -> MeetingRequestRead:
    """Ask a participant of the other side for a meeting, with a note. Their members are
    notified; the request expires unanswered after the session's request lifetime."""
    return await requests.send(session, viewer, session_id, data)


@router.get(f"{_SESSION}/meeting-requests", responses=_PARTICIPANT)
async def list_requests(
    session_id: Id, viewer: CurrentPrincipal, session: SessionDep, page: PageDep,
    direction: Literal["incoming", "outgoing"] | None = None,
    status_filter: Annotated[
        Literal["pending", "accepted", "declined", "cancelled", "expired"] | None,
        Query(alias="status"),
    ] = None,
) -> Page[MeetingRequestRead]:
    """Your organization's requests, sent and received, newest first."""
    items, cursor = await requests.list_own(
        session, viewer, session_id, direction, status_filter, page.limit, page.cursor
    )
    return Page(items=items, next_cursor=cursor)


_REQUEST_ACTION = error_responses(403, 404, 409, described={
    403: "not_request_recipient / not_request_sender", 404: "meeting_request_not_found",
    409: "meeting_request_expired, meeting_request_not_pending",
})


@router.post("/meeting-requests/{request_id}/accept", responses=_REQUEST_ACTION)
async def accept_request(
    request_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> MeetingRequestRead:
    """The recipient's organization accepts: the scheduler places the pair first."""
    return await requests.answer(session, viewer, request_id, "accepted")


@router.post("/meeting-requests/{request_id}/decline", responses=_REQUEST_ACTION)
async def decline_request(
    request_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> MeetingRequestRead:
    return await requests.answer(session, viewer, request_id, "declined")


@router.post("/meeting-requests/{request_id}/cancel", responses=_REQUEST_ACTION)
async def cancel_request(
    request_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> MeetingRequestRead:
    """The sender's organization withdraws a pending request."""
    return await requests.cancel(session, viewer, request_id)


@router.get(f"{_SESSION}/must-meets", responses=_ORGANIZER)
async def list_must_meets(
    session_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> list[MustMeetRead]:
    return await requests.list_must_meets(session, viewer, session_id)


@router.post(
    f"{_SESSION}/must-meets", status_code=status.HTTP_201_CREATED,
    responses={**_ORGANIZER, **error_responses(404, 409, described={
        404: "participant_not_found", 409: "matchmaking_status_conflict"})},
)
async def mark_must_meet(
    session_id: Id, data: MustMeetCreate, viewer: CurrentPrincipal, session: SessionDep,
    response: Response,
) -> MustMeetRead:
    """The organizer marks a buyer and a supplier who must meet: the scheduler places them
    before anything else."""
    mark, created = await requests.mark_must_meet(session, viewer, session_id, data)
    if not created:
        response.status_code = status.HTTP_200_OK
    return mark


@router.delete(f"{_SESSION}/must-meets/{{mark_id}}", status_code=status.HTTP_204_NO_CONTENT,
               responses={**_ORGANIZER, **error_responses(404, described={
                   404: "must_meet_not_found"})})
async def unmark_must_meet(
    session_id: Id, mark_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> None:
    await requests.unmark_must_meet(session, viewer, session_id, mark_id)
