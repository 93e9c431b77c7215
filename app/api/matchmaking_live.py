"""The live matchmaking day over HTTP: the live state, check-in, ratings, re-matches,
"continue as negotiation" and the organizer's broadcasts. The same actions exist on the
``matchmaking:{id}`` and ``meeting:{id}`` topics (docs/realtime.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import Field

from app.api.deps import CurrentPrincipal, SessionDep, SettingsDep
from app.api.responses import error_responses
from app.kit.validation import Id, TextInput
from app.matchmaking import live, live_followup, live_rematch
from app.matchmaking.live_clock import CLOCK
from app.matchmaking.live_schemas import (
    BroadcastCreate,
    BroadcastRead,
    LiveState,
    MeetingLiveRead,
    NegotiationOpened,
    RatingCreate,
    RematchAccept,
    RematchOption,
)
from app.matchmaking.schemas import MeetingRead

router = APIRouter(tags=["matchmaking"])

_SESSION = "/matchmaking-sessions/{session_id}"
_MEETING = "/matchmaking-meetings/{meeting_id}"
_NOT_YOURS = error_responses(404, described={404: "meeting_not_found (not one of your "
                                                   "organization's meetings)"})


class FollowUp(TextInput):
    note: str = Field(default="", max_length=2000, description="Your first message.")


@router.get(f"{_SESSION}/live", responses=error_responses(403, 404, described={
    403: "registration_required", 404: "matchmaking_session_not_found"}))
async def get_live_state(session_id: Id, viewer: CurrentPrincipal, session: SessionDep,
                         settings: SettingsDep) -> LiveState:
    """The slot clock (with the server's ``now``), your meetings and the next one (the
    organizer: the live counts), and the latest broadcasts."""
    return await live.live_state(session, viewer, session_id, CLOCK.now(),
                                 live.Policy.from_settings(settings))


@router.post(f"{_MEETING}/check-in", responses={**_NOT_YOURS, **error_responses(
    409, described={409: "meeting_no_show (after the grace period), check_in_not_open, "
                         "matchmaking_not_live"})})
async def check_in(meeting_id: Id, viewer: CurrentPrincipal, session: SessionDep,
                   settings: SettingsDep) -> MeetingLiveRead:
    """Your organization arrives at a meeting (again: no change)."""
    return await live.check_in(session, viewer, meeting_id, CLOCK.now(),
                               live.Policy.from_settings(settings))


@router.post(f"{_MEETING}/rating", responses={**_NOT_YOURS, **error_responses(
    409, 422, described={409: "meeting_already_rated, meeting_not_held"})})
async def rate(meeting_id: Id, data: RatingCreate, viewer: CurrentPrincipal,
               session: SessionDep) -> MeetingLiveRead:
    """Rate a meeting you held (1-5) and note its outcome: once per side."""
    return await live.rate(session, viewer, meeting_id, data, CLOCK.now())


@router.get(f"{_MEETING}/rematch-options", responses={**_NOT_YOURS, **error_responses(
    409, described={409: "rematch_not_offered"})})
async def rematch_options(meeting_id: Id, viewer: CurrentPrincipal, session: SessionDep,
                          settings: SettingsDep) -> list[RematchOption]:
    """Partners you can meet in the next slot instead of one who did not come."""
    return await live_rematch.options_for(
        session, viewer, meeting_id, CLOCK.now(),
        live.Policy.from_settings(settings).grace)


@router.post(f"{_MEETING}/rematch", status_code=status.HTTP_201_CREATED,
             responses={**_NOT_YOURS, **error_responses(409, described={
                 409: "rematch_not_offered, rematch_not_candidate, participant_busy, "
                      "participant_unavailable, max_meetings_reached, slot_full, "
                      "pair_already_meets"})})
async def accept_rematch(meeting_id: Id, data: RematchAccept, viewer: CurrentPrincipal,
                         session: SessionDep, settings: SettingsDep) -> MeetingRead:
    """Meet an offered partner in the next slot."""
    return await live_rematch.accept(session, viewer, meeting_id, data.partner_id,
                                     CLOCK.now(), live.Policy.from_settings(settings).grace)


@router.post(f"{_MEETING}/negotiation", responses={**_NOT_YOURS, **error_responses(
    403, 409, described={403: "buyer_required", 409: "supplier_booth_missing"})})
async def continue_as_negotiation(meeting_id: Id, viewer: CurrentPrincipal,
                                  session: SessionDep, data: FollowUp | None = None
                                  ) -> NegotiationOpened:
    """The buyer continues a meeting as a negotiation that carries the meeting's context."""
    return await live_followup.continue_as_negotiation(
        session, viewer, meeting_id, data.note if data else "")


@router.get(f"{_SESSION}/broadcasts", responses=error_responses(403, 404, described={
    403: "registration_required", 404: "matchmaking_session_not_found"}))
async def list_broadcasts(
    session_id: Id, viewer: CurrentPrincipal, session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[BroadcastRead]:
    """The organizer's latest broadcasts, newest first."""
    return await live.broadcasts(session, viewer, session_id, limit)


@router.post(f"{_SESSION}/broadcasts", status_code=status.HTTP_201_CREATED,
             responses=error_responses(403, 404, 409, 422, described={
                 403: "organizer_required", 409: "matchmaking_not_live"}))
async def broadcast(session_id: Id, data: BroadcastCreate, viewer: CurrentPrincipal,
                    session: SessionDep) -> BroadcastRead:
    """The organizer tells every participant something, live (``broadcast`` event)."""
    return await live.broadcast(session, viewer, session_id, data.body, CLOCK.now())
