"""Queries for booths and their certifications."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    cast,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Booth, BoothCertification, Hall, Organization


@dataclass(frozen=True)
class BoothRow:
    """A booth with what every view of it shows next to it."""

    booth: Booth
    hall_name: str
    hall_name_zh: str
    supplier_name: str
    supplier_country: str


@dataclass(frozen=True)
class BoothQuery:
    """Which booths of an event to list. Visibility is decided by the service."""

    event_id: int
    # None: approved booths plus ``own_supplier_id``'s booth whatever its status.
    status: str | None
    # Whose booth the viewer may see in any status (their own organization).
    own_supplier_id: int | None
    # The organizer sees every status when it asks for one.
    all_statuses: bool
    hall_id: int | None = None
    text: str | None = None
    certification: str | None = None
    market: str | None = None
    # Certificates that expired before this day do not count for the certification filter.
    today: date | None = None


def _rows_query() -> Select[Booth, str, str, str, str]:
    return (
        select(Booth, Hall.name, Hall.name_zh, Organization.name, Organization.country)
        .join(Hall, Hall.id == Booth.hall_id)
        .join(Organization, Organization.id == Booth.supplier_id)
    )


def _row(values: Row[Booth, str, str, str, str]) -> BoothRow:
    booth, hall_name, hall_name_zh, supplier_name, supplier_country = values
    return BoothRow(booth, hall_name, hall_name_zh, supplier_name, supplier_country)


async def get_booth(session: AsyncSession, booth_id: int) -> Booth | None:
    return await session.get(Booth, booth_id)


async def get_row(session: AsyncSession, booth_id: int) -> BoothRow | None:
    found = (await session.execute(_rows_query().where(Booth.id == booth_id))).first()
    return _row(found) if found else None


async def find_booth(session: AsyncSession, event_id: int, supplier_id: int) -> Booth | None:
    return await session.scalar(
        select(Booth).where(Booth.event_id == event_id, Booth.supplier_id == supplier_id)
    )


def _has_market(session: AsyncSession, market: str) -> ColumnElement[bool]:
    if session.get_bind().dialect.name == "postgresql":
        return cast(Booth.export_markets, JSONB).contains([market])
    markets = func.json_each(Booth.export_markets).table_valued("value")
    return exists(select(markets.c.value).where(markets.c.value == market))


def _visible(query: BoothQuery) -> ColumnElement[bool]:
    own = (
        Booth.supplier_id == query.own_supplier_id
        if query.own_supplier_id is not None else false()
    )
    if query.status is None:
        return or_(Booth.status == "approved", own)
    if query.status == "approved" or query.all_statuses:
        return Booth.status == query.status
    return and_(Booth.status == query.status, own)


async def list_booths(
    session: AsyncSession, query: BoothQuery, *, limit: int, after_id: int | None
) -> list[BoothRow]:
    """Booths of an event in application order (id)."""
    statement = (
        _rows_query()
        .where(Booth.event_id == query.event_id, _visible(query))
        .order_by(Booth.id)
        .limit(limit)
    )
    if after_id is not None:
        statement = statement.where(Booth.id > after_id)
    if query.hall_id is not None:
        statement = statement.where(Booth.hall_id == query.hall_id)
    if query.text:
        needle = query.text.lower()
        statement = statement.where(
            or_(
                func.lower(Organization.name).contains(needle, autoescape=True),
                func.lower(Booth.description).contains(needle, autoescape=True),
                func.lower(Booth.description_zh).contains(needle, autoescape=True),
            )
        )
    if query.certification is not None:
        valid: ColumnElement[bool] = BoothCertification.expires_on.is_(None)
        if query.today is not None:
            valid = or_(valid, BoothCertification.expires_on >= query.today)
        statement = statement.where(
            exists(
                select(BoothCertification.id).where(
                    BoothCertification.booth_id == Booth.id,
                    BoothCertification.scheme == query.certification,
                    valid,
                )
            )
        )
    if query.market is not None:
        statement = statement.where(_has_market(session, query.market))
    return [_row(values) for values in await session.execute(statement)]


async def list_supplier_booths(
    session: AsyncSession, supplier_id: int, *, event_ids: Sequence[int] | None, limit: int
) -> list[BoothRow]:
    """A supplier's booths in any status, newest application first."""
    statement = (
        _rows_query().where(Booth.supplier_id == supplier_id).order_by(Booth.id.desc()).limit(limit)
    )
    if event_ids is not None:
        statement = statement.where(Booth.event_id.in_(event_ids))
    return [_row(values) for values in await session.execute(statement)]


async def certifications_for(
    session: AsyncSession, booth_ids: Sequence[int]
) -> dict[int, list[BoothCertification]]:
    found: dict[int, list[BoothCertification]] = defaultdict(list)
    if not booth_ids:
        return found
    result = await session.scalars(
        select(BoothCertification)
        .where(BoothCertification.booth_id.in_(booth_ids))
        .order_by(BoothCertification.booth_id, BoothCertification.id)
    )
    for certification in result:
        found[certification.booth_id].append(certification)
    return found


async def replace_certifications(
    session: AsyncSession, booth_id: int, items: Sequence[BoothCertification]
) -> None:
    await session.execute(delete(BoothCertification).where(BoothCertification.booth_id == booth_id))
    session.add_all(items)
    await session.flush()


async def decide(
    session: AsyncSession,
    booth_id: int,
    *,
    to_status: str,
    reason: str | None,
    decided_by_id: int,
    now: datetime,
) -> bool:
    """Decide an application only if it is still pending: the guard against racing decisions."""
    result = await session.execute(
        update(Booth)
        .where(Booth.id == booth_id, Booth.status == "applied")
        .values(
            status=to_status,
            rejection_reason=reason,
            decided_at=now,
            decided_by_id=decided_by_id,
            updated_at=now,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def reload(session: AsyncSession, booth: Booth) -> None:
    await session.refresh(booth)
