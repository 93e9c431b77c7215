"""Queries for orders, their lines and payment milestones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, OrderLine, PaymentMilestone


async def get(session: AsyncSession, order_id: int) -> Order | None:
    return await session.get(Order, order_id, populate_existing=True)


async def lines_of(session: AsyncSession, order_id: int) -> list[OrderLine]:
    return list(await session.scalars(
        select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.position)
    ))


async def milestones_of(session: AsyncSession, order_id: int) -> list[PaymentMilestone]:
    return list(await session.scalars(
        select(PaymentMilestone).where(PaymentMilestone.order_id == order_id)
        .order_by(PaymentMilestone.id)
    ))


async def list_for(
    session: AsyncSession, organization_id: int, limit: int, before_id: int | None
) -> list[Order]:
    query = select(Order).where(
        or_(Order.buyer_id == organization_id, Order.supplier_id == organization_id)
    )
    if before_id is not None:
        query = query.where(Order.id < before_id)
    return list(await session.scalars(query.order_by(Order.id.desc()).limit(limit)))


async def advance(
    session: AsyncSession, order_id: int, *, from_status: str, version: int,
    values: dict[str, Any],
) -> bool:
    """Apply a step only if the order is still at ``version`` and ``from_status``."""
    result = await session.execute(
        update(Order)
        .where(Order.id == order_id, Order.version == version, Order.status == from_status)
        .values(version=Order.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def milestone(
    session: AsyncSession, order_id: int, kind: str
) -> PaymentMilestone | None:
    return await session.scalar(select(PaymentMilestone).where(
        PaymentMilestone.order_id == order_id, PaymentMilestone.kind == kind
    ))
