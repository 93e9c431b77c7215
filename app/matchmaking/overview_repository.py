"""Queries for the organizer's overview of a session (app/matchmaking/overview.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import MeetingRequest


async def request_counts(
    session: AsyncSession, session_id: int, now: datetime
) -> dict[str, int]:
    """Meeting requests of a session by status; a pending one past its expiry counts as
    expired (it is marked so lazily, at the next read by its parties)."""
    shown = case(
        (and_(MeetingRequest.status == "pending", MeetingRequest.expires_at <= now), "expired"),
        else_=MeetingRequest.status,
    )
    rows = await session.execute(
        select(shown, func.count()).where(MeetingRequest.session_id == session_id)
        .group_by(shown)
    )
    return {str(status): int(count) for status, count in rows}
