"""Queries for activities: the bulk insert of a batch, and the dashboards' counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Activity


async def insert_many(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """One multi-row INSERT for the whole batch (SQLAlchemy's insertmanyvalues)."""
    if rows:
        await session.execute(insert(Activity), list(rows))


async def count_by_kind(
    session: AsyncSession,
    *,
    event_id: int | None = None,
    booth_id: int | None = None,
    product_id: int | None = None,
    since: datetime | None = None,
) -> dict[str, int]:
    query = select(Activity.kind, func.count(Activity.id)).group_by(Activity.kind)
    if event_id is not None:
        query = query.where(Activity.event_id == event_id)
    if booth_id is not None:
        query = query.where(Activity.booth_id == booth_id)
    if product_id is not None:
        query = query.where(Activity.product_id == product_id)
    if since is not None:
        query = query.where(Activity.created_at >= since)
    return {kind: int(count) for kind, count in await session.execute(query)}
