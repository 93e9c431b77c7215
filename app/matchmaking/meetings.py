"""Meetings: who reads them, and the organizer's hand edits.

Reading: the organizer sees every meeting of the session (filters by participant, slot and
status); a participant sees its own (403 ``registration_required`` for an organization that
is not registered; 404 for a session it cannot see).

Hand edits (the organizer only, while the session's status allows ``edit_meetings`` and no
scheduling job runs): lock or unlock a meeting (a re-run keeps locked ones where they are),
move it to another slot, swap two meetings' slots, add one, delete one. A change must keep
the scheduler's rules, else 409 with a code naming the rule broken:
``participant_busy`` (already meeting someone then), ``participant_unavailable`` (outside
their availability), ``max_meetings_reached``, ``slot_full`` (no table left),
``pair_already_meets``; a slot that does not exist is 422 ``invalid_slot``. Both parties of a
changed meeting are notified live and by email.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.kit.pagination import cursor_id, encode_cursor
from app.matchmaking import meetings_repository, repository, service
from app.matchmaking.errors import (
    MeetingNotFound,
    MeetingRuleViolated,
    ScheduleInProgress,
    field_error,
)
from app.matchmaking.notify import notify_organization
from app.matchmaking.plan import party_slots
from app.matchmaking.profiles import load as load_profiles
from app.matchmaking.reasons import ENGLISH, Voice, shown
from app.matchmaking.recommendations import partner_read
from app.matchmaking.requests import pair_of
from app.matchmaking.schemas import (
    MeetingCreate,
    MeetingRead,
    MeetingSwap,
    MeetingUpdate,
    Reason,
)
from app.matchmaking.service import Loaded
from app.matchmaking.slots import Slot
from app.models import MatchmakingParticipant, Meeting
from app.models.base import utcnow


async def meeting_reads(
    session: AsyncSession, meetings: Sequence[Meeting], reader_side: str | None,
    voice: Voice = ENGLISH, *, zone: ZoneInfo | None = None,
) -> list[MeetingRead]:
    """Meetings with both parties, times in ``zone`` (the event's; default UTC); reasons
    are worded for ``reader_side`` (the organizer reads them as the buyer would)."""
    shown_in = zone or ZoneInfo("UTC")
    people = await repository.participants_by_id(
        session, {m.buyer_id for m in meetings} | {m.supplier_id for m in meetings})
    orgs = await repository.organizations(session, {p.organization_id for p in people.values()})
    out = []
    for m in meetings:
        buyer, supplier = people[m.buyer_id], people[m.supplier_id]
        out.append(MeetingRead(
            id=m.id, session_id=m.session_id,
            buyer=partner_read(buyer, orgs[buyer.organization_id]),
            supplier=partner_read(supplier, orgs[supplier.organization_id]),
            slot_index=m.slot_index, starts_at=m.starts_at.astimezone(shown_in),
            ends_at=m.ends_at.astimezone(shown_in),
            table_number=m.table_number, status=m.status, locked=m.locked, source=m.source,
            score=m.score, priority=m.priority,
            reasons=[Reason.model_validate(r)
                     for r in shown(m.reasons, reader_side or "buyer", voice)],
            sequence=m.sequence,
        ))
    return out


async def list_meetings(
    session: AsyncSession, viewer: Principal, session_id: int, *, participant_id: int | None,
    slot_index: int | None, status: str | None, limit: int, cursor: str | None,
    voice: Voice = ENGLISH,
) -> tuple[list[MeetingRead], str | None]:
    loaded = await service.load(session, viewer, session_id)
    side: str | None = None
    if not service.is_organizer(viewer, loaded):
        me = await service.own_participant(session, viewer, loaded)
        if participant_id is not None and participant_id != me.id:
            return [], None
        participant_id, side = me.id, me.side
    rows = await meetings_repository.list_meetings(
        session, loaded.session.id, participant_id=participant_id, slot_index=slot_index,
        status=status, after_id=cursor_id(cursor), limit=limit + 1,
    )
    items = await meeting_reads(session, rows[:limit], side, voice, zone=loaded.zone)
    next_cursor = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return items, next_cursor


# --- the organizer's edits -----------------------------------------------------------------


class _Board:
    """The session's meetings and constraints, to check a hand edit against."""

    def __init__(self, loaded: Loaded, slots: list[Slot], meetings: list[Meeting],
                 windows: dict[int, list[Any]]) -> None:
        self.loaded = loaded
        self.slots = {s.index: s for s in slots}
        self.slot_list = slots
        self.meetings = meetings
        self.windows = windows

    def slot(self, index: int) -> Slot:
        found = self.slots.get(index)
        if found is None:
            raise field_error("slot_index", "This session has no such slot.", "invalid_slot")
        return found

    def check(self, buyer: MatchmakingParticipant, supplier: MatchmakingParticipant,
              slot: int, ignore: set[int], *, new_pair: bool) -> None:
        """Refuse (409, the rule's code) putting the pair in ``slot``; ``ignore``: meetings
        being moved by the same edit."""
        others = [m for m in self.meetings if m.id not in ignore]
        ms = self.loaded.session
        for person, column in ((buyer, "buyer_id"), (supplier, "supplier_id")):
            mine = [m for m in others if getattr(m, column) == person.id]
            if any(m.slot_index == slot for m in mine):
                raise MeetingRuleViolated(
                    "participant_busy", "A participant already has a meeting in that slot.",
                    {"participant_id": person.id, "slot_index": slot})
            if slot not in party_slots(person, self.windows, self.slot_list):
                raise MeetingRuleViolated(
                    "participant_unavailable", "A participant is not available in that slot.",
                    {"participant_id": person.id, "slot_index": slot})
            if new_pair and len(mine) >= min(person.max_meetings, ms.max_meetings):
                raise MeetingRuleViolated(
                    "max_meetings_reached",
                    "A participant already has as many meetings as allowed.",
                    {"participant_id": person.id})
        if new_pair and any(m.buyer_id == buyer.id and m.supplier_id == supplier.id
                            for m in others):
            raise MeetingRuleViolated("pair_already_meets", "These two already meet.")
        if ms.capacity is not None and self.table_for(slot, ignore) is None:
            raise MeetingRuleViolated("slot_full", "Every table is taken in that slot.",
                                      {"slot_index": slot})

    def table_for(self, slot: int, ignore: set[int]) -> int | None:
        """The lowest free table in a slot (None: no capacity limit, or none free)."""
        capacity = self.loaded.session.capacity
        if capacity is None:
            return None
        taken = {m.table_number for m in self.meetings
                 if m.slot_index == slot and m.id not in ignore}
        return next((n for n in range(1, capacity + 1) if n not in taken), None)


async def _editable(session: AsyncSession, viewer: Principal, session_id: int) -> Loaded:
    loaded = await service.organized(session, viewer, session_id)
    await meetings_repository.lock_session(session, loaded.session.id)
    service.require(loaded.session, "edit_meetings", utcnow())
    active = await meetings_repository.active_job(session, loaded.session.id)
    if active is not None:
        raise ScheduleInProgress(details={"job_id": active.id})
    return loaded


async def _board(session: AsyncSession, loaded: Loaded) -> _Board:
    return _Board(
        loaded, await repository.slots_of(session, loaded.session.id),
        await meetings_repository.meetings_of(session, loaded.session.id),
        await repository.availability_in_session(session, loaded.session.id),
    )


async def _meeting(session: AsyncSession, loaded: Loaded, meeting_id: int) -> Meeting:
    meeting = await meetings_repository.get_meeting(session, loaded.session.id, meeting_id)
    if meeting is None:
        raise MeetingNotFound()
    return meeting


async def _parties(session: AsyncSession, meeting: Meeting
                   ) -> tuple[MatchmakingParticipant, MatchmakingParticipant]:
    people = await repository.participants_by_id(session, {meeting.buyer_id,
                                                           meeting.supplier_id})
    return people[meeting.buyer_id], people[meeting.supplier_id]


async def _changed(session: AsyncSession, viewer: Principal, loaded: Loaded,
                   meetings: Sequence[Meeting], kind: str, action: str) -> None:
    """Tell both parties of each changed meeting, live and by email; audit the edit."""
    ms = loaded.session
    notified: set[int] = set()
    for meeting in meetings:
        buyer, supplier = await _parties(session, meeting)
        for person in (buyer, supplier):
            if person.organization_id in notified:
                continue
            notified.add(person.organization_id)
            await notify_organization(
                session, organization_id=person.organization_id, kind=kind,
                session_id=ms.id, title=ms.title,
                data={"meeting_id": meeting.id, "participant_id": person.id},
            )
        await audit.record(
            session, actor_user_id=viewer.user_id, organization_id=viewer.organization_id,
            action=action, subject_type="matchmaking_meeting", subject_id=meeting.id,
            details={"session_id": ms.id, "slot_index": meeting.slot_index},
        )


async def _place(session: AsyncSession, moves: Sequence[tuple[Meeting, Slot, int | None]]
                 ) -> None:
    """Put meetings in new slots and tables: parked first, then set (so they may trade
    places), ``sequence`` up for each that really moved; the objects are reloaded."""
    await meetings_repository.park(session, [m.id for m, _slot, _table in moves])
    now = utcnow()
    await meetings_repository.set_places(session, [
        {"id": m.id, "slot_index": slot.index, "starts_at": slot.starts_at,
         "ends_at": slot.ends_at, "table_number": table, "updated_at": now,
         "sequence": m.sequence + (1 if (m.slot_index, m.table_number) != (slot.index, table)
                                   else 0)}
        for m, slot, table in moves
    ])
    for meeting, _slot, _table in moves:
        await session.refresh(meeting)


async def add_meeting(
    session: AsyncSession, viewer: Principal, session_id: int, data: MeetingCreate
) -> MeetingRead:
    """The organizer adds a meeting by hand (locked unless asked otherwise)."""
    loaded = await _editable(session, viewer, session_id)
    buyer, supplier = await pair_of(session, loaded, data.buyer_id, data.supplier_id)
    board = await _board(session, loaded)
    slot = board.slot(data.slot_index)
    board.check(buyer, supplier, slot.index, set(), new_pair=True)
    found = await load_profiles(session, loaded.session.id, utcnow(), only=[buyer, supplier])
    value, reasons, _candidate, priority = found.score(buyer.id, supplier.id)
    meeting = Meeting(
        session_id=loaded.session.id, buyer_id=buyer.id, supplier_id=supplier.id,
        slot_index=slot.index, starts_at=slot.starts_at, ends_at=slot.ends_at,
        table_number=board.table_for(slot.index, set()), status="scheduled",
        locked=data.locked, source="organizer", score=value, priority=priority,
        reasons=reasons, sequence=0, created_at=utcnow(),
    )
    await meetings_repository.insert_meetings(session, [meeting])
    await _changed(session, viewer, loaded, [meeting], "meeting.scheduled",
                   "matchmaking.meeting_added")
    return (await meeting_reads(session, [meeting], None, zone=loaded.zone))[0]


async def update_meeting(
    session: AsyncSession, viewer: Principal, session_id: int, meeting_id: int,
    data: MeetingUpdate,
) -> MeetingRead:
    """Lock, unlock or move a meeting to another slot."""
    loaded = await _editable(session, viewer, session_id)
    meeting = await _meeting(session, loaded, meeting_id)
    if data.slot_index is not None and data.slot_index != meeting.slot_index:
        board = await _board(session, loaded)
        slot = board.slot(data.slot_index)
        buyer, supplier = await _parties(session, meeting)
        board.check(buyer, supplier, slot.index, {meeting.id}, new_pair=False)
        await _place(session, [(meeting, slot, board.table_for(slot.index, {meeting.id}))])
        await _changed(session, viewer, loaded, [meeting], "meeting.changed",
                       "matchmaking.meeting_moved")
    if data.locked is not None and data.locked != meeting.locked:
        meeting.locked = data.locked
        meeting.updated_at = utcnow()
        await session.flush()
    return (await meeting_reads(session, [meeting], None, zone=loaded.zone))[0]


async def swap_meetings(
    session: AsyncSession, viewer: Principal, session_id: int, data: MeetingSwap
) -> list[MeetingRead]:
    """Two meetings exchange their slots (and tables)."""
    loaded = await _editable(session, viewer, session_id)
    first = await _meeting(session, loaded, data.first_id)
    second = await _meeting(session, loaded, data.second_id)
    if first.id == second.id:
        raise field_error("second_id", "Choose two different meetings to swap.", "same_meeting")
    board = await _board(session, loaded)
    moving = {first.id, second.id}
    targets = [(first, board.slot(second.slot_index), second.table_number),
               (second, board.slot(first.slot_index), first.table_number)]
    for meeting, slot, _table in targets:
        buyer, supplier = await _parties(session, meeting)
        board.check(buyer, supplier, slot.index, moving, new_pair=False)
    await _place(session, targets)
    await _changed(session, viewer, loaded, [first, second], "meeting.changed",
                   "matchmaking.meetings_swapped")
    return await meeting_reads(session, [first, second], None, zone=loaded.zone)


async def delete_meeting(
    session: AsyncSession, viewer: Principal, session_id: int, meeting_id: int
) -> None:
    loaded = await _editable(session, viewer, session_id)
    meeting = await _meeting(session, loaded, meeting_id)
    await _changed(session, viewer, loaded, [meeting], "meeting.cancelled",
                   "matchmaking.meeting_deleted")
    await meetings_repository.delete_meetings(session, [meeting.id])
