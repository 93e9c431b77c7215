"""A session's registrations as the scheduler's inputs, and its schedule back as meetings.

``load_inputs`` reads the database (on the event loop); the problem is built and solved off
it (app/matchmaking/problem.py); ``write_schedule`` writes the result in the caller's
transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.matchmaking import meetings_repository, profiles, repository
from app.matchmaking.problem import Inputs, Pair, Scored, build_problem
from app.matchmaking.scheduler import Party, Placement, Schedule
from app.matchmaking.slots import Slot, available_slots
from app.models import MatchmakingParticipant, MatchmakingSession, Meeting

# build_problem: callers that solve inline (the demo seed) take it from here with the rest.
__all__ = ["Inputs", "Written", "build_problem", "load_inputs", "party", "party_slots",
           "write_schedule"]
# New rows wait below every parked slot (-id) until their places are set.
_FRESH_SLOT = -(2**30)


def party_slots(
    participant: MatchmakingParticipant, windows: dict[int, list[Any]], slots: Sequence[Slot]
) -> frozenset[int]:
    """The slots a participant can meet in (no windows stated: all of them)."""
    mine = windows.get(participant.id)
    return available_slots(slots, mine) if mine else frozenset(s.index for s in slots)


def party(participant: MatchmakingParticipant, ms: MatchmakingSession,
          windows: dict[int, list[Any]], slots: Sequence[Slot]) -> Party:
    return Party(participant.id, min(participant.max_meetings, ms.max_meetings),
                 party_slots(participant, windows, slots))


async def load_inputs(session: AsyncSession, ms: MatchmakingSession, now: datetime) -> Inputs:
    slots = await repository.slots_of(session, ms.id)
    found = await profiles.load(session, ms.id, now)
    windows = await repository.availability_in_session(session, ms.id)
    people = sorted(found.participants.values(), key=lambda p: p.id)
    locked = [Placement(m.buyer_id, m.supplier_id, m.slot_index)
              for m in await meetings_repository.meetings_of(session, ms.id) if m.locked]
    return Inputs(
        slots=slots, capacity=ms.capacity,
        buyers=[party(p, ms, windows, slots) for p in people if p.side == "buyer"],
        suppliers=[party(p, ms, windows, slots) for p in people if p.side == "supplier"],
        needs=found.buyers, offers=found.suppliers, interests=found.interests, locked=locked,
    )


def assign_tables(placements: dict[int, list[tuple[int, int | None]]], capacity: int | None
                  ) -> dict[int, int | None]:
    """Table numbers per slot (meeting id → number): meetings keeping a table keep it, the
    others take the lowest free numbers in meeting-id order. None without a capacity."""
    tables: dict[int, int | None] = {}
    for rows in placements.values():
        if capacity is None:
            tables.update((meeting_id, None) for meeting_id, _ in rows)
            continue
        taken = {number for _, number in rows if number is not None}
        free = iter(n for n in range(1, len(rows) + len(taken) + 1) if n not in taken)
        for meeting_id, number in sorted(rows):
            tables[meeting_id] = number if number is not None else next(free)
    return tables


@dataclass
class Written:
    """What a schedule changed, for notifications."""

    added: list[Meeting] = field(default_factory=list)
    moved: list[Meeting] = field(default_factory=list)
    removed: list[Meeting] = field(default_factory=list)


async def write_schedule(
    session: AsyncSession, ms: MatchmakingSession, slots: Sequence[Slot], schedule: Schedule,
    scores: dict[Pair, Scored], now: datetime,
) -> Written:
    """Make the session's meetings the schedule's: locked meetings stay, a kept pair keeps
    its row (and its calendar UID; ``sequence`` grows when it moves), others are replaced."""
    by_slot = {s.index: s for s in slots}
    target = {(p.buyer, p.supplier): p.slot for p in schedule.meetings}
    existing = await meetings_repository.meetings_of(session, ms.id)
    written = Written()
    kept: dict[int, Meeting] = {}
    for meeting in existing:
        pair = (meeting.buyer_id, meeting.supplier_id)
        if meeting.locked or pair in target:
            kept[meeting.id] = meeting
        else:
            written.removed.append(meeting)
    await meetings_repository.delete_meetings(session, [m.id for m in written.removed])
    movable = [m for m in kept.values() if not m.locked]
    await meetings_repository.park(session, [m.id for m in movable])
    known = {(m.buyer_id, m.supplier_id) for m in kept.values()}
    fresh = [
        Meeting(session_id=ms.id, buyer_id=pair[0], supplier_id=pair[1],
                slot_index=_FRESH_SLOT - i,
                starts_at=by_slot[slot].starts_at, ends_at=by_slot[slot].ends_at,
                status="scheduled", locked=False, source="scheduler",
                score=scores[pair].value if pair in scores else 0,
                priority=scores[pair].priority if pair in scores else 0,
                reasons=scores[pair].reasons if pair in scores else [], sequence=0,
                created_at=now)
        for i, (pair, slot) in enumerate(sorted(target.items())) if pair not in known
    ]
    await meetings_repository.insert_meetings(session, fresh)
    # Every meeting's final slot, then its table in that slot.
    final: dict[int, int] = {m.id: m.slot_index for m in kept.values() if m.locked}
    final.update({m.id: target[(m.buyer_id, m.supplier_id)] for m in movable})
    final.update({m.id: target[(m.buyer_id, m.supplier_id)] for m in fresh})
    old_table = {m.id: m.table_number for m in kept.values() if m.locked}
    per_slot: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for meeting_id, slot in final.items():
        per_slot[slot].append((meeting_id, old_table.get(meeting_id)))
    tables = assign_tables(per_slot, ms.capacity)
    rows = []
    written.added = fresh
    for meeting in [*movable, *fresh]:
        slot = final[meeting.id]
        pair = (meeting.buyer_id, meeting.supplier_id)
        # The objects still hold their values from before the park (bulk updates do not
        # touch loaded objects): for fresh rows that is None for the table.
        moved = meeting.id in kept and (meeting.slot_index != slot
                                        or meeting.table_number != tables[meeting.id])
        if moved:
            written.moved.append(meeting)
        row: dict[str, Any] = {
            "id": meeting.id, "slot_index": slot, "starts_at": by_slot[slot].starts_at,
            "ends_at": by_slot[slot].ends_at, "table_number": tables[meeting.id],
            "sequence": meeting.sequence + (1 if moved else 0), "updated_at": now,
        }
        if pair in scores:
            row.update(score=scores[pair].value, priority=scores[pair].priority,
                       reasons=scores[pair].reasons)
        rows.append(row)
    await meetings_repository.set_places(session, rows)
    return written
