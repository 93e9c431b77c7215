"""Queries for meetings and scheduling jobs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.matchmaking.repository import rowcount
from app.models import MatchmakingSession, Meeting, ScheduleJob

ACTIVE_JOB_STATUSES = ("queued", "running")


async def lock_session(session: AsyncSession, session_id: int) -> None:
    """Take the session's write lock: a no-op UPDATE holds its row lock on PostgreSQL, and
    on SQLite (whose driver starts the transaction at the first write) the database's write
    lock, until the transaction ends. Schedule requests and hand edits of one session are
    serialized by it."""
    await session.execute(
        update(MatchmakingSession).where(MatchmakingSession.id == session_id)
        .values(updated_at=MatchmakingSession.updated_at)
        .execution_options(synchronize_session=False)
    )


# --- jobs ----------------------------------------------------------------------------------


async def active_job(session: AsyncSession, session_id: int) -> ScheduleJob | None:
    result: ScheduleJob | None = await session.scalar(
        select(ScheduleJob).where(ScheduleJob.session_id == session_id,
                                  ScheduleJob.status.in_(ACTIVE_JOB_STATUSES))
        .execution_options(populate_existing=True)
    )
    return result


async def get_job(session: AsyncSession, session_id: int, job_id: int) -> ScheduleJob | None:
    result: ScheduleJob | None = await session.scalar(
        select(ScheduleJob).where(ScheduleJob.id == job_id, ScheduleJob.session_id == session_id)
        .execution_options(populate_existing=True)
    )
    return result


async def jobs_of(session: AsyncSession, session_id: int, limit: int) -> list[ScheduleJob]:
    return list(await session.scalars(
        select(ScheduleJob).where(ScheduleJob.session_id == session_id)
        .order_by(ScheduleJob.id.desc()).limit(limit)
    ))


async def start_job(session: AsyncSession, job_id: int, now: datetime) -> bool:
    """queued → running, only if still queued."""
    result = await session.execute(
        update(ScheduleJob).where(ScheduleJob.id == job_id, ScheduleJob.status == "queued")
        .values(status="running", phase="prepare", started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


async def update_running(session: AsyncSession, job_id: int, values: dict[str, Any]) -> bool:
    """Change a running job (progress, heartbeat, result); False if it no longer runs (it
    was failed as stale meanwhile)."""
    result = await session.execute(
        update(ScheduleJob).where(ScheduleJob.id == job_id, ScheduleJob.status == "running")
        .values(**values).execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


async def fail_job(session: AsyncSession, job_id: int, error: str, now: datetime) -> bool:
    result = await session.execute(
        update(ScheduleJob)
        .where(ScheduleJob.id == job_id, ScheduleJob.status.in_(ACTIVE_JOB_STATUSES))
        .values(status="failed", phase="failed", error=error, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


async def fail_stale_jobs(
    session: AsyncSession, older_than: datetime, now: datetime, error: str,
    session_id: int | None = None,
) -> list[int]:
    """Fail queued or running jobs whose heartbeat stopped before ``older_than`` (their
    process died); returns their ids."""
    query = update(ScheduleJob).where(
        ScheduleJob.status.in_(ACTIVE_JOB_STATUSES),
        or_(ScheduleJob.heartbeat_at < older_than,
            (ScheduleJob.heartbeat_at.is_(None)) & (ScheduleJob.created_at < older_than)),
    )
    if session_id is not None:
        query = query.where(ScheduleJob.session_id == session_id)
    result = await session.scalars(
        query.values(status="failed", phase="failed", error=error, finished_at=now)
        .returning(ScheduleJob.id)
    )
    return [int(i) for i in result]


# --- meetings ------------------------------------------------------------------------------


async def meetings_of(session: AsyncSession, session_id: int) -> list[Meeting]:
    return list(await session.scalars(
        select(Meeting).where(Meeting.session_id == session_id)
        .order_by(Meeting.slot_index, Meeting.id)
        .execution_options(populate_existing=True)
    ))


async def list_meetings(
    session: AsyncSession, session_id: int, *, participant_id: int | None,
    slot_index: int | None, status: str | None, after_id: int | None, limit: int,
) -> list[Meeting]:
    query = select(Meeting).where(Meeting.session_id == session_id)
    if participant_id is not None:
        query = query.where(or_(Meeting.buyer_id == participant_id,
                                Meeting.supplier_id == participant_id))
    if slot_index is not None:
        query = query.where(Meeting.slot_index == slot_index)
    if status is not None:
        query = query.where(Meeting.status == status)
    if after_id is not None:
        query = query.where(Meeting.id > after_id)
    return list(await session.scalars(query.order_by(Meeting.id).limit(limit)))


async def meetings_for(session: AsyncSession, session_id: int, participant_id: int
                       ) -> list[Meeting]:
    return list(await session.scalars(
        select(Meeting).where(Meeting.session_id == session_id,
                              or_(Meeting.buyer_id == participant_id,
                                  Meeting.supplier_id == participant_id))
        .order_by(Meeting.slot_index)
    ))


async def get_meeting(session: AsyncSession, session_id: int, meeting_id: int
                      ) -> Meeting | None:
    result: Meeting | None = await session.scalar(
        select(Meeting).where(Meeting.id == meeting_id, Meeting.session_id == session_id)
        .execution_options(populate_existing=True)
    )
    return result


async def delete_meetings(session: AsyncSession, ids: Sequence[int]) -> None:
    if ids:
        await session.execute(delete(Meeting).where(Meeting.id.in_(ids))
                              .execution_options(synchronize_session=False))


async def park(session: AsyncSession, ids: Sequence[int]) -> None:
    """Move meetings out of every slot and table for a moment (slot -id): they can then be
    put back in any order without tripping the one-meeting-per-slot constraints."""
    if ids:
        await session.execute(
            update(Meeting).where(Meeting.id.in_(ids))
            .values(slot_index=-Meeting.id, table_number=None)
            .execution_options(synchronize_session=False)
        )


async def set_places(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk update by primary key: each row a dict with ``id`` and the columns to set."""
    if rows:
        await session.execute(update(Meeting), list(rows))


async def insert_meetings(session: AsyncSession, meetings: Sequence[Meeting]) -> None:
    session.add_all(meetings)
    await session.flush()
