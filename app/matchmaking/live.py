"""The live matchmaking day: who sits at which meeting, check-in, the slot sweeps, ratings,
the organizer's broadcasts and console.

Rules:
- A meeting's room belongs to its two parties: members of the buyer's and the supplier's
  organizations. To anyone else, the organizer included, the meeting does not exist (404
  ``meeting_not_found``): a business conversation is not the organizer's to overhear; the
  organizer follows every meeting's status on the console instead.
- Meetings go ``scheduled → checked_in → in_progress → done | no_show``. A party checks in
  while the session is ``live``, from ``check_in_opens`` before its slot until ``grace``
  after the slot started (earlier: 409 ``check_in_not_open``; later: 409
  ``meeting_no_show``). When both are in and the slot has begun, the meeting is in progress.
  At slot start + grace the sweep makes every meeting with a party still missing a no-show
  (each party that did come is offered a re-match: app/matchmaking/live_rematch.py); at slot
  end a meeting in progress is done. The sweep is conditional UPDATEs, so every node may run
  it at every boundary and each meeting changes once.
- After a meeting has been held (in progress or done), each side rates it once (1-5, an
  outcome, a note): a second rating by the same side is 409 ``meeting_already_rated``.
- Only the organizer broadcasts (403 ``organizer_required``), and only while live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.config import Settings
from app.errors import AppError, Conflict
from app.events.service import OrganizerRequired
from app.matchmaking import live_repository, meetings_repository, repository, service
from app.matchmaking.errors import MeetingNotFound
from app.matchmaking.live_clock import clock_at
from app.matchmaking.live_repository import NoShow
from app.matchmaking.live_schemas import (
    BroadcastRead,
    LiveState,
    LiveStats,
    MeetingLiveRead,
    RatingCreate,
    SlotCounts,
)
from app.matchmaking.recommendations import partner_read
from app.matchmaking.service import Loaded
from app.matchmaking.slots import Slot
from app.models import MatchmakingBroadcast, MatchmakingParticipant, MatchmakingSession, Meeting
from app.realtime.topics import emit

STATUSES = ("scheduled", "checked_in", "in_progress", "done", "no_show")


class SessionNotLive(Conflict):
    code = "matchmaking_not_live"
    message = "The session is not live: the live day's actions open when the organizer starts it."


class CheckInNotOpen(Conflict):
    code = "check_in_not_open"
    message = "Check-in opens shortly before the meeting's slot; try again then."


class MeetingNoShow(Conflict):
    code = "meeting_no_show"
    message = (
        "The grace period of this meeting is over and it was marked as a no-show; your "
        "partner may be re-matched. Look at your next meeting in the lobby."
    )


class MeetingNotHeld(Conflict):
    code = "meeting_not_held"
    message = "This meeting has not taken place; it can be rated once it has started."


class AlreadyRated(Conflict):
    code = "meeting_already_rated"
    message = "Your organization has already rated this meeting."


@dataclass(frozen=True)
class Policy:
    """The live day's timing rules (from the settings)."""

    grace: timedelta = timedelta(minutes=5)
    check_in_opens: timedelta = timedelta(minutes=10)

    @classmethod
    def from_settings(cls, settings: Settings | None) -> Policy:
        if settings is None:
            return cls()
        return cls(timedelta(minutes=settings.matchmaking_grace_minutes),
                   timedelta(minutes=settings.matchmaking_check_in_opens_minutes))


def session_topic(session_id: int) -> str:
    return f"matchmaking:{session_id}"


def room_topic(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


@dataclass
class Seat:
    """The caller's place at a meeting: its side, itself and its partner."""

    loaded: Loaded
    meeting: Meeting
    side: str
    me: MatchmakingParticipant
    partner: MatchmakingParticipant


async def seat(session: AsyncSession, viewer: Principal, meeting_id: int) -> Seat:
    """The meeting if the caller is a member of one of its two parties, else 404."""
    meeting = await live_repository.get_meeting(session, meeting_id)
    if meeting is None or viewer.organization_id is None:
        raise MeetingNotFound()
    try:
        loaded = await service.load(session, viewer, meeting.session_id)
    except AppError:
        raise MeetingNotFound() from None
    people = await repository.participants_by_id(session, {meeting.buyer_id,
                                                           meeting.supplier_id})
    buyer, supplier = people[meeting.buyer_id], people[meeting.supplier_id]
    if buyer.organization_id == viewer.organization_id:
        side, me, partner = "buyer", buyer, supplier
    elif supplier.organization_id == viewer.organization_id:
        side, me, partner = "supplier", supplier, buyer
    else:
        raise MeetingNotFound()
    # The principal was read when the socket opened: a membership may have ended since.
    if not await repository.is_member(session, viewer.user_id, viewer.organization_id):
        raise MeetingNotFound()
    return Seat(loaded, meeting, side, me, partner)


async def meeting_reads(
    session: AsyncSession, me: MatchmakingParticipant, meetings: list[Meeting]
) -> list[MeetingLiveRead]:
    """Meetings as ``me`` sees them."""
    partner_ids = {m.supplier_id if me.side == "buyer" else m.buyer_id for m in meetings}
    people = await repository.participants_by_id(session, partner_ids)
    orgs = await repository.organizations(session, {p.organization_id for p in people.values()})
    out = []
    for m in meetings:
        partner = people[m.supplier_id if me.side == "buyer" else m.buyer_id]
        mine_in, theirs_in = ((m.buyer_checked_in_at, m.supplier_checked_in_at)
                              if me.side == "buyer"
                              else (m.supplier_checked_in_at, m.buyer_checked_in_at))
        out.append(MeetingLiveRead(
            id=m.id, session_id=m.session_id, slot_index=m.slot_index, starts_at=m.starts_at,
            ends_at=m.ends_at, table_number=m.table_number, status=m.status,
            your_side=me.side,  # type: ignore[arg-type]
            partner=partner_read(partner, orgs[partner.organization_id]),
            you_checked_in=mine_in is not None, partner_checked_in=theirs_in is not None,
            your_rating=m.buyer_rating if me.side == "buyer" else m.supplier_rating,
            your_outcome=m.buyer_outcome if me.side == "buyer" else m.supplier_outcome,
        ))
    return out


def next_meeting(meetings: list[MeetingLiveRead], now: datetime) -> MeetingLiveRead | None:
    """The meeting running now, else the next one to start (skipping no-shows)."""
    for m in meetings:
        if m.ends_at > now and m.status != "no_show":
            return m
    return None


# --- the live events -----------------------------------------------------------------------


async def stats(session: AsyncSession, session_id: int, slots: list[Slot]) -> LiveStats:
    per_slot = await live_repository.counts(session, session_id)
    totals = dict.fromkeys(STATUSES, 0)
    rows = []
    for slot in slots:
        found = per_slot.get(slot.index, {})
        for status, count in found.items():
            totals[status] = totals.get(status, 0) + count
        rows.append(SlotCounts(slot_index=slot.index, starts_at=slot.starts_at,
                               ends_at=slot.ends_at,
                               counts={s: found.get(s, 0) for s in STATUSES}))
    return LiveStats(totals=totals, slots=rows)


async def emit_stats(session: AsyncSession, session_id: int) -> None:
    """``live.stats`` on ``matchmaking:{id}``: counts only, no names (every participant of
    the session is on that topic)."""
    slots = await repository.slots_of(session, session_id)
    found = await stats(session, session_id, slots)
    await emit(session, topic=session_topic(session_id), event="live.stats",
               data=found.model_dump(mode="json"), durable=False)


async def emit_status(session: AsyncSession, meeting: Meeting) -> None:
    """``meeting.status`` on the meeting's room (its two parties)."""
    await emit(session, topic=room_topic(meeting.id), event="meeting.status", data={
        "meeting_id": meeting.id, "status": meeting.status,
        "buyer_checked_in": meeting.buyer_checked_in_at is not None,
        "supplier_checked_in": meeting.supplier_checked_in_at is not None,
    }, durable=False)


# --- check-in ------------------------------------------------------------------------------


def _require_live(ms: MatchmakingSession) -> None:
    if ms.status != "live":
        raise SessionNotLive(details={"status": ms.status})


def require_open_room(ms: MatchmakingSession) -> None:
    """Rooms can be read once the session is finished, but not written to."""
    _require_live(ms)


async def check_in(
    session: AsyncSession, viewer: Principal, meeting_id: int, now: datetime, policy: Policy
) -> MeetingLiveRead:
    """The caller's side arrives at a meeting (see the module's rules); checking in again
    is harmless."""
    found = await seat(session, viewer, meeting_id)
    meeting = found.meeting
    _require_live(found.loaded.session)
    mine = (meeting.buyer_checked_in_at if found.side == "buyer"
            else meeting.supplier_checked_in_at)
    if mine is None:
        if meeting.status == "no_show" or now >= meeting.starts_at + policy.grace:
            raise MeetingNoShow(details={"meeting_id": meeting.id})
        if now < meeting.starts_at - policy.check_in_opens:
            raise CheckInNotOpen(details={"opens_at": (meeting.starts_at
                                                        - policy.check_in_opens).isoformat()})
        if await live_repository.check_in(session, meeting.id, found.side, now):
            meeting = await live_repository.get_meeting(session, meeting.id) or meeting
            await emit_status(session, meeting)
            await emit_stats(session, meeting.session_id)
        else:
            # A colleague checked in meanwhile, or the sweep got there first.
            meeting = await live_repository.get_meeting(session, meeting.id) or meeting
            if meeting.status == "no_show":
                raise MeetingNoShow(details={"meeting_id": meeting.id})
    return (await meeting_reads(session, found.me, [meeting]))[0]


# --- the sweep (every node, at every boundary) ---------------------------------------------


@dataclass
class Swept:
    started: list[int]
    no_shows: list[NoShow]
    done: list[int]

    @property
    def changed(self) -> bool:
        return bool(self.started or self.no_shows or self.done)


async def sweep(session: AsyncSession, ms: MatchmakingSession, now: datetime, policy: Policy
                ) -> Swept:
    """Move the session's meetings as time says (see the module's rules) and record the
    events for what this call changed; a no-show's present parties are offered re-matches
    by the caller (``live_rematch.offer``)."""
    swept = Swept(
        started=await live_repository.start_due(session, ms.id, now),
        no_shows=await live_repository.mark_no_shows(session, ms.id, now - policy.grace, now),
        done=await live_repository.finish_due(session, ms.id, now),
    )
    for meeting_id in [*swept.started, *(n.meeting_id for n in swept.no_shows), *swept.done]:
        meeting = await live_repository.get_meeting(session, meeting_id)
        if meeting is not None:
            await emit_status(session, meeting)
    if swept.changed:
        await emit_stats(session, ms.id)
    return swept


# --- ratings and broadcasts ----------------------------------------------------------------


async def rate(
    session: AsyncSession, viewer: Principal, meeting_id: int, data: RatingCreate,
    now: datetime,
) -> MeetingLiveRead:
    """One side rates a meeting it held, once."""
    found = await seat(session, viewer, meeting_id)
    if found.meeting.status not in ("in_progress", "done"):
        raise MeetingNotHeld(details={"status": found.meeting.status})
    if not await live_repository.rate(session, found.meeting.id, found.side, data.rating,
                                      data.outcome, data.note, now):
        raise AlreadyRated()
    await audit.record(
        session, actor_user_id=viewer.user_id, organization_id=viewer.organization_id,
        action="matchmaking.meeting_rated", subject_type="matchmaking_meeting",
        subject_id=found.meeting.id, details={"rating": data.rating, "outcome": data.outcome},
    )
    meeting = await live_repository.get_meeting(session, found.meeting.id) or found.meeting
    return (await meeting_reads(session, found.me, [meeting]))[0]


def broadcast_read(row: MatchmakingBroadcast) -> BroadcastRead:
    return BroadcastRead(id=row.id, session_id=row.session_id, body=row.body,
                         created_at=row.created_at)


async def broadcast(
    session: AsyncSession, viewer: Principal, session_id: int, body: str, now: datetime
) -> BroadcastRead:
    """The organizer tells every participant something (stored, then ``broadcast``)."""
    loaded = await service.load(session, viewer, session_id)
    if not service.is_organizer(viewer, loaded):
        raise OrganizerRequired()
    _require_live(loaded.session)
    row = await live_repository.add_broadcast(session, loaded.session.id, body,
                                              viewer.user_id, now)
    read = broadcast_read(row)
    await emit(session, topic=session_topic(loaded.session.id), event="broadcast",
               data=read.model_dump(mode="json"), durable=False)
    return read


async def broadcasts(session: AsyncSession, viewer: Principal, session_id: int, limit: int
                     ) -> list[BroadcastRead]:
    """The latest broadcasts, for the organizer and the session's participants."""
    loaded = await service.load(session, viewer, session_id)
    if not service.is_organizer(viewer, loaded):
        await service.own_participant(session, viewer, loaded)
    rows = await live_repository.broadcasts(session, loaded.session.id, limit)
    return [broadcast_read(r) for r in rows]


# --- what a lobby, a room or a console shows -----------------------------------------------


async def clock_event(session: AsyncSession, ms: MatchmakingSession, now: datetime,
                      policy: Policy) -> dict[str, Any]:
    slots = await repository.slots_of(session, ms.id)
    return clock_at(slots, now).as_event(ms.status, policy.grace)


def start_event(meeting: Meeting) -> dict[str, Any]:
    """``meeting.start``: where a participant goes now."""
    return {"meeting_id": meeting.id, "slot_index": meeting.slot_index,
            "starts_at": meeting.starts_at.isoformat(), "ends_at": meeting.ends_at.isoformat(),
            "table_number": meeting.table_number, "room": f"/matchmaking-meetings/{meeting.id}"}


async def running_meeting_of(session: AsyncSession, ms: MatchmakingSession,
                             organization_id: int | None, now: datetime) -> Meeting | None:
    """The organization's meeting in the slot running now, if it is not a no-show."""
    if organization_id is None or ms.status != "live":
        return None
    slots = await repository.slots_of(session, ms.id)
    running = clock_at(slots, now).slot
    participant = await repository.participant_of(session, ms.id, organization_id)
    if running is None or participant is None:
        return None
    for meeting in await live_repository.meetings_in_slot(session, ms.id, running.index):
        if participant.id in (meeting.buyer_id, meeting.supplier_id):
            return meeting if meeting.status != "no_show" else None
    return None


async def live_state(
    session: AsyncSession, viewer: Principal, session_id: int, now: datetime, policy: Policy
) -> LiveState:
    """The live day as the caller sees it now: the clock; a participant's meetings and the
    next one; the organizer's counts; the latest broadcasts."""
    loaded = await service.load(session, viewer, session_id)
    ms = loaded.session
    organizer = service.is_organizer(viewer, loaded)
    mine: list[MeetingLiveRead] = []
    if not organizer:
        me = await service.own_participant(session, viewer, loaded)
        mine = await meeting_reads(
            session, me, await meetings_repository.meetings_for(session, ms.id, me.id))
    slots = await repository.slots_of(session, ms.id)
    rows = await live_repository.broadcasts(session, ms.id, 5)
    return LiveState(
        session_id=ms.id, status=ms.status,
        clock=clock_at(slots, now).as_event(ms.status, policy.grace),
        meetings=mine, next_meeting=next_meeting(mine, now),
        broadcasts=[broadcast_read(r) for r in rows],
        stats=await stats(session, ms.id, slots) if organizer else None,
    )
