"""Matchmaking scheduling jobs, meetings, agendas and the agenda's calendar file."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Response, status

from app.api.deps import CurrentPrincipal, SessionDep, SettingsDep
from app.api.matchmaking import voice_of
from app.api.responses import error_responses
from app.kit.pagination import Page, PageDep
from app.kit.validation import Id
from app.matchmaking import agenda, ics, jobs, meetings
from app.matchmaking.schemas import (
    AgendaRead,
    MeetingCreate,
    MeetingRead,
    MeetingSwap,
    MeetingUpdate,
    ScheduleJobRead,
)
from app.models.base import utcnow

router = APIRouter(prefix="/matchmaking-sessions/{session_id}", tags=["matchmaking"])

_ORGANIZER = error_responses(403, 404, described={
    403: "organizer_required", 404: "matchmaking_session_not_found"})
_PARTICIPANT = error_responses(403, 404, described={
    403: "registration_required", 404: "matchmaking_session_not_found"})
_EDIT = {**_ORGANIZER, **error_responses(409, 422, described={
    409: "matchmaking_status_conflict, schedule_in_progress, or the rule a change breaks: "
         "participant_busy, participant_unavailable, max_meetings_reached, slot_full, "
         "pair_already_meets",
    422: "invalid_slot, wrong_side, same_meeting",
})}
MeetingStatus = Literal["scheduled", "checked_in", "in_progress", "done", "no_show"]


@router.post(
    "/schedule", status_code=status.HTTP_202_ACCEPTED,
    responses={**_ORGANIZER, **error_responses(409, described={
        409: "schedule_in_progress (details.job_id), matchmaking_status_conflict"})},
)
async def schedule(
    session_id: Id, viewer: CurrentPrincipal, session: SessionDep, settings: SettingsDep
) -> ScheduleJobRead:
    """The organizer asks for a schedule (after the registration deadline, or again to
    re-run it around locked meetings). Answers at once with the queued job: follow it at
    ``GET .../schedule-jobs/{job_id}`` or on the ``matchmaking:{id}`` topic."""
    return await jobs.request_schedule(
        session, viewer, session_id, timedelta(seconds=settings.matchmaking_stale_job_seconds)
    )


@router.get("/schedule-jobs", responses=_ORGANIZER)
async def list_jobs(session_id: Id, viewer: CurrentPrincipal, session: SessionDep
                    ) -> list[ScheduleJobRead]:
    """The session's latest scheduling jobs, newest first."""
    return await jobs.list_jobs(session, viewer, session_id)


@router.get("/schedule-jobs/{job_id}", responses={**_ORGANIZER, **error_responses(
    404, described={404: "schedule_job_not_found"})})
async def get_job(session_id: Id, job_id: Id, viewer: CurrentPrincipal, session: SessionDep
                  ) -> ScheduleJobRead:
    """A job's status, progress (0 to 1, with its phase) and, once done, its objective,
    upper bound and gap."""
    return await jobs.get_job(session, viewer, session_id, job_id)


@router.get("/meetings", responses=_PARTICIPANT)
async def list_meetings(
    session_id: Id, viewer: CurrentPrincipal, session: SessionDep, page: PageDep,
    participant_id: Annotated[Id | None, Query()] = None,
    slot_index: Annotated[int | None, Query(ge=0, le=10_000)] = None,
    status_filter: Annotated[MeetingStatus | None, Query(alias="status")] = None,
) -> Page[MeetingRead]:
    """The organizer: every meeting (filters by participant, slot, status). A participant:
    its own meetings only."""
    items, cursor = await meetings.list_meetings(
        session, viewer, session_id, participant_id=participant_id, slot_index=slot_index,
        status=status_filter, limit=page.limit, cursor=page.cursor, voice=voice_of(viewer),
    )
    return Page(items=items, next_cursor=cursor)


@router.post("/meetings", status_code=status.HTTP_201_CREATED, responses=_EDIT)
async def add_meeting(
    session_id: Id, data: MeetingCreate, viewer: CurrentPrincipal, session: SessionDep
) -> MeetingRead:
    """The organizer adds a meeting by hand, checked against the scheduler's rules."""
    return await meetings.add_meeting(session, viewer, session_id, data)


@router.post("/meetings/swap", responses=_EDIT)
async def swap_meetings(
    session_id: Id, data: MeetingSwap, viewer: CurrentPrincipal, session: SessionDep
) -> list[MeetingRead]:
    """Two meetings exchange slots (and tables)."""
    return await meetings.swap_meetings(session, viewer, session_id, data)


@router.patch("/meetings/{meeting_id}", responses={**_EDIT, **error_responses(
    404, described={404: "meeting_not_found"})})
async def update_meeting(
    session_id: Id, meeting_id: Id, data: MeetingUpdate, viewer: CurrentPrincipal,
    session: SessionDep,
) -> MeetingRead:
    """Lock or unlock a meeting (a re-run keeps locked ones), or move it to another slot."""
    return await meetings.update_meeting(session, viewer, session_id, meeting_id, data)


@router.delete("/meetings/{meeting_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses={**_EDIT, **error_responses(404, described={
                   404: "meeting_not_found"})})
async def delete_meeting(
    session_id: Id, meeting_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> None:
    await meetings.delete_meeting(session, viewer, session_id, meeting_id)


@router.get("/agenda", responses=_PARTICIPANT)
async def get_agenda(session_id: Id, viewer: CurrentPrincipal, session: SessionDep
                     ) -> AgendaRead:
    """Your meetings in your time zone, with partner, reasons and table or room."""
    found = await agenda.agenda(session, viewer, session_id, voice_of(viewer))
    return found.read


@router.get(
    "/agenda.ics", response_class=Response, responses={
        **_PARTICIPANT, 200: {"content": {"text/calendar": {}},
                              "description": "An RFC 5545 calendar."}},
)
async def get_agenda_ics(
    session_id: Id, viewer: CurrentPrincipal, session: SessionDep, settings: SettingsDep
) -> Response:
    """Your agenda as an iCalendar file: import it, or export again after a change (each
    meeting keeps its UID; its SEQUENCE grows when it moves)."""
    voice = voice_of(viewer)
    found = await agenda.agenda(session, viewer, session_id, voice)
    host = urlsplit(settings.base_url).hostname or "tradehall"
    return Response(
        content=ics.agenda_ics(found, host, utcnow(), voice),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition":
                 f'attachment; filename="matchmaking-{session_id}.ics"'},
    )
