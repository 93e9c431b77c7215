"""Queries of the live matchmaking day: check-in, the slot sweeps, ratings, broadcasts.

Every state change is one conditional UPDATE, so that several nodes sweeping the same
session at the same boundary, or two colleagues checking in at once, change a row once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.matchmaking.repository import rowcount
from app.models import MatchmakingBroadcast, MatchmakingSession, Meeting

OPEN_STATUSES = ("scheduled", "checked_in")  # someone has still to arrive


@dataclass(frozen=True)
class NoShow:
    """A meeting the sweep marked as a no-show, and who did come."""

    meeting_id: int
    session_id: int
    slot_index: int
    buyer_id: int
    supplier_id: int
    buyer_came: bool
    supplier_came: bool


async def live_sessions(session: AsyncSession) -> list[MatchmakingSession]:
    return list(await session.scalars(
        select(MatchmakingSession).where(MatchmakingSession.status == "live")
        .order_by(MatchmakingSession.id)
    ))


async def get_meeting(session: AsyncSession, meeting_id: int) -> Meeting | None:
    result: Meeting | None = await session.scalar(
        select(Meeting).where(Meeting.id == meeting_id)
        .execution_options(populate_existing=True)
    )
    return result


async def meetings_in_slot(session: AsyncSession, session_id: int, slot_index: int
                           ) -> list[Meeting]:
    return list(await session.scalars(
        select(Meeting).where(Meeting.session_id == session_id, Meeting.slot_index == slot_index)
        .order_by(Meeting.id)
    ))


async def check_in(session: AsyncSession, meeting_id: int, side: str, now: datetime) -> bool:
    """Record one side's arrival, once. The meeting is ``in_progress`` when the other side is
    already there and the slot has started, else ``checked_in``. False if this side had
    checked in already or the meeting is no longer open."""
    mine = Meeting.buyer_checked_in_at if side == "buyer" else Meeting.supplier_checked_in_at
    other = Meeting.supplier_checked_in_at if side == "buyer" else Meeting.buyer_checked_in_at
    both_and_started = and_(other.is_not(None), Meeting.starts_at <= now)
    result = await session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id, mine.is_(None), Meeting.status.in_(OPEN_STATUSES))
        .values({
            mine.key: now,
            "status": case((both_and_started, "in_progress"), else_="checked_in"),
            "started_at": case((both_and_started, now), else_=Meeting.started_at),
            "updated_at": now,
        })
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


async def start_due(session: AsyncSession, session_id: int, now: datetime) -> list[int]:
    """Meetings whose two parties checked in before their slot began: ``in_progress``."""
    rows = await session.scalars(
        update(Meeting)
        .where(Meeting.session_id == session_id, Meeting.status == "checked_in",
               Meeting.buyer_checked_in_at.is_not(None),
               Meeting.supplier_checked_in_at.is_not(None),
               Meeting.starts_at <= now)
        .values(status="in_progress", started_at=Meeting.starts_at, updated_at=now)
        .returning(Meeting.id)
    )
    return [int(i) for i in rows]


async def mark_no_shows(session: AsyncSession, session_id: int, cutoff: datetime,
                        now: datetime) -> list[NoShow]:
    """Meetings that started at or before ``cutoff`` (now minus the grace period) with a
    party still missing become ``no_show``; returns those this call changed."""
    rows = await session.execute(
        update(Meeting)
        .where(Meeting.session_id == session_id, Meeting.status.in_(OPEN_STATUSES),
               Meeting.starts_at <= cutoff)
        .values(status="no_show", updated_at=now)
        .returning(Meeting.id, Meeting.slot_index, Meeting.buyer_id, Meeting.supplier_id,
                   Meeting.buyer_checked_in_at, Meeting.supplier_checked_in_at)
    )
    return [NoShow(int(r[0]), session_id, int(r[1]), int(r[2]), int(r[3]), r[4] is not None,
                   r[5] is not None) for r in rows]


async def finish_due(session: AsyncSession, session_id: int, now: datetime) -> list[int]:
    """Meetings in progress whose slot has ended: ``done``."""
    rows = await session.scalars(
        update(Meeting)
        .where(Meeting.session_id == session_id, Meeting.status == "in_progress",
               Meeting.ends_at <= now)
        .values(status="done", ended_at=Meeting.ends_at, updated_at=now)
        .returning(Meeting.id)
    )
    return [int(i) for i in rows]


async def statuses_of(session: AsyncSession, ids: list[int]) -> dict[int, tuple[str, int]]:
    """meeting id → (status, session id)."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Meeting.id, Meeting.status, Meeting.session_id).where(Meeting.id.in_(ids)))
    return {int(i): (str(s), int(sid)) for i, s, sid in rows}


async def counts(session: AsyncSession, session_id: int) -> dict[int, dict[str, int]]:
    """slot index → status → number of meetings."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    rows = await session.execute(
        select(Meeting.slot_index, Meeting.status, func.count())
        .where(Meeting.session_id == session_id)
        .group_by(Meeting.slot_index, Meeting.status)
    )
    for slot_index, status, count in rows:
        found[int(slot_index)][str(status)] = int(count)
    return found


async def rate(session: AsyncSession, meeting_id: int, side: str, rating: int, outcome: str,
               note: str, now: datetime) -> bool:
    """Store one side's rating, once (False: that side had rated already)."""
    column = Meeting.buyer_rating if side == "buyer" else Meeting.supplier_rating
    result = await session.execute(
        update(Meeting).where(Meeting.id == meeting_id, column.is_(None))
        .values({column.key: rating, f"{side}_outcome": outcome, f"{side}_note": note,
                 "updated_at": now})
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


async def add_broadcast(session: AsyncSession, session_id: int, body: str, user_id: int,
                        now: datetime) -> MatchmakingBroadcast:
    row = MatchmakingBroadcast(session_id=session_id, body=body, sent_by_user_id=user_id,
                               created_at=now)
    session.add(row)
    await session.flush()
    return row


async def broadcasts(session: AsyncSession, session_id: int, limit: int
                     ) -> list[MatchmakingBroadcast]:
    """The latest broadcasts, newest first."""
    return list(await session.scalars(
        select(MatchmakingBroadcast).where(MatchmakingBroadcast.session_id == session_id)
        .order_by(MatchmakingBroadcast.id.desc()).limit(limit)
    ))
