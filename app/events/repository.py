"""Queries for events and halls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Booth, Event, Hall, Organization

PUBLIC_EVENT_STATUSES = ("published", "live", "closed")


async def get_event(session: AsyncSession, event_id: int) -> tuple[Event, str] | None:
    """The event and its organizer's name."""
    row = (
        await session.execute(
            select(Event, Organization.name)
            .join(Organization, Organization.id == Event.organizer_id)
            .where(Event.id == event_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def list_events(
    session: AsyncSession,
    *,
    drafts_of: int | None,
    all_drafts: bool,
    statuses: Sequence[str] | None,
    limit: int,
    after: tuple[datetime, int] | None,
) -> list[tuple[Event, str]]:
    """Events newest first (by start), public ones plus the drafts the caller may see.

    ``drafts_of``: the organizer whose drafts are included; ``all_drafts``: every draft.
    """
    visible: ColumnElement[bool] = Event.status.in_(PUBLIC_EVENT_STATUSES)
    if all_drafts:
        visible = or_(visible, Event.status == "draft")
    elif drafts_of is not None:
        visible = or_(visible, and_(Event.status == "draft", Event.organizer_id == drafts_of))
    query = (
        select(Event, Organization.name)
        .join(Organization, Organization.id == Event.organizer_id)
        .where(visible)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(limit)
    )
    if statuses:
        query = query.where(Event.status.in_(statuses))
    if after is not None:
        starts_at, event_id = after
        query = query.where(
            or_(
                Event.starts_at < starts_at,
                and_(Event.starts_at == starts_at, Event.id < event_id),
            )
        )
    return [(event, name) for event, name in await session.execute(query)]


async def move_event_status(
    session: AsyncSession,
    event_id: int,
    *,
    from_statuses: Sequence[str],
    to_status: str,
    now: datetime,
) -> bool:
    """Change the status only if it still is one of ``from_statuses``: the guard under races."""
    result = await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.status.in_(from_statuses))
        .values(status=to_status, updated_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def reload(session: AsyncSession, event: Event) -> None:
    """Read the event's current row again (after another transaction changed it)."""
    await session.refresh(event)


# --- halls -------------------------------------------------------------------------------


async def get_hall(session: AsyncSession, event_id: int, hall_id: int) -> Hall | None:
    return await session.scalar(select(Hall).where(Hall.id == hall_id, Hall.event_id == event_id))


async def hall_name_taken(
    session: AsyncSession, event_id: int, name: str, *, except_hall_id: int | None = None
) -> bool:
    # Case-insensitive: "Frozen shrimp" and "frozen shrimp" are the same hall to a visitor.
    # The unique constraint (exact match) is the backstop under races.
    query = select(Hall.id).where(
        Hall.event_id == event_id, func.lower(Hall.name) == name.lower()
    )
    if except_hall_id is not None:
        query = query.where(Hall.id != except_hall_id)
    return await session.scalar(query.limit(1)) is not None


async def next_hall_position(session: AsyncSession, event_id: int) -> int:
    highest = await session.scalar(
        select(func.max(Hall.position)).where(Hall.event_id == event_id)
    )
    return 0 if highest is None else int(highest) + 1


async def list_halls(
    session: AsyncSession, event_id: int, *, limit: int, after: tuple[int, int] | None
) -> list[tuple[Hall, int]]:
    """Halls in lobby order (position, then id) with their count of approved booths."""
    approved = (
        select(Booth.hall_id, func.count(Booth.id).label("booths"))
        .where(Booth.event_id == event_id, Booth.status == "approved")
        .group_by(Booth.hall_id)
        .subquery()
    )
    query = (
        select(Hall, func.coalesce(approved.c.booths, 0))
        .outerjoin(approved, approved.c.hall_id == Hall.id)
        .where(Hall.event_id == event_id)
        .order_by(Hall.position, Hall.id)
        .limit(limit)
    )
    if after is not None:
        position, hall_id = after
        query = query.where(
            or_(Hall.position > position, and_(Hall.position == position, Hall.id > hall_id))
        )
    return [(hall, int(count)) for hall, count in await session.execute(query)]


async def approved_booth_count(session: AsyncSession, hall_id: int) -> int:
    count = await session.scalar(
        select(func.count(Booth.id)).where(Booth.hall_id == hall_id, Booth.status == "approved")
    )
    return int(count or 0)


async def hall_has_booths(session: AsyncSession, hall_id: int) -> bool:
    found = await session.scalar(select(Booth.id).where(Booth.hall_id == hall_id).limit(1))
    return found is not None


async def delete_hall(session: AsyncSession, hall: Hall) -> None:
    await session.delete(hall)
    await session.flush()
