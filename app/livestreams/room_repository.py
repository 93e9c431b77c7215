"""Queries of the live room's counters: likes, peak and unique viewers, and the joiner's state.

Each node writes what its sockets did in one batch a second per room (room_driver.py), never
one statement per click; the increments are relative (``like_count + :delta``) so nodes
writing at once add up.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.kit.dialect_insert import insert_for
from app.models import Livestream, LivestreamMute, LivestreamViewer

# Rows per INSERT: far below both engines' limit on bound parameters (3 per row).
VIEWER_ROWS_PER_STATEMENT = 1000


@dataclass(frozen=True)
class Totals:
    likes: int
    peak_viewers: int
    status: str


async def add_likes_and_peak(
    session: AsyncSession, livestream_id: int, likes: int, viewers: int
) -> Totals | None:
    """Add ``likes`` and raise the peak to ``viewers`` if higher, in one UPDATE, while the
    show is live; None (nothing written) when it is not live or gone."""
    row = (await session.execute(
        update(Livestream)
        .where(Livestream.id == livestream_id, Livestream.status == "live")
        .values(
            like_count=Livestream.like_count + likes,
            peak_viewers=case((Livestream.peak_viewers < viewers, viewers),
                              else_=Livestream.peak_viewers),
        )
        .returning(Livestream.like_count, Livestream.peak_viewers, Livestream.status)
        .execution_options(synchronize_session=False)
    )).first()
    return None if row is None else Totals(int(row[0]), int(row[1]), str(row[2]))


async def totals(session: AsyncSession, livestream_id: int) -> Totals | None:
    row = (await session.execute(
        select(Livestream.like_count, Livestream.peak_viewers, Livestream.status)
        .where(Livestream.id == livestream_id)
    )).first()
    return None if row is None else Totals(int(row[0]), int(row[1]), str(row[2]))


async def add_viewers(
    session: AsyncSession, livestream_id: int, user_ids: Collection[int], now: datetime
) -> None:
    """Record users as the show's viewers; those recorded before (by any node) stay as they
    were (insert-or-ignore)."""
    insert = insert_for(session)
    ordered = sorted(user_ids)  # one lock order for nodes inserting overlapping sets
    for start in range(0, len(ordered), VIEWER_ROWS_PER_STATEMENT):
        rows = [{"livestream_id": livestream_id, "user_id": user_id, "first_seen_at": now}
                for user_id in ordered[start:start + VIEWER_ROWS_PER_STATEMENT]]
        await session.execute(
            insert(LivestreamViewer).values(rows)
            .on_conflict_do_nothing(index_elements=["livestream_id", "user_id"])
        )


async def show_and_mute(
    session: AsyncSession, livestream_id: int, user_id: int
) -> tuple[Livestream, datetime | None] | None:
    """The show and when the user's mute in it ends (None: never muted), in one statement."""
    muted_until = (
        select(LivestreamMute.until)
        .where(LivestreamMute.livestream_id == Livestream.id, LivestreamMute.user_id == user_id)
        .scalar_subquery()
    )
    row = (await session.execute(
        select(Livestream, muted_until).where(Livestream.id == livestream_id)
    )).first()
    return None if row is None else (row[0], row[1])
