"""Queries for bank details versions and the version each order was made with."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import BankDetails, Membership, Order, OrderBankDetails, User


async def current(session: AsyncSession, organization_id: int) -> BankDetails | None:
    return await session.scalar(
        select(BankDetails)
        .where(BankDetails.organization_id == organization_id)
        .order_by(BankDetails.version.desc())
        .limit(1)
    )


async def history(
    session: AsyncSession, organization_id: int, limit: int, before_version: int | None
) -> list[tuple[BankDetails, str | None]]:
    query = (
        select(BankDetails, User.full_name)
        .outerjoin(User, User.id == BankDetails.created_by_user_id)
        .where(BankDetails.organization_id == organization_id)
    )
    if before_version is not None:
        query = query.where(BankDetails.version < before_version)
    rows = await session.execute(query.order_by(BankDetails.version.desc()).limit(limit))
    return [(details, name) for details, name in rows]


async def member_emails(session: AsyncSession, organization_id: int) -> list[str]:
    """Every active member's address (owners included), oldest account first."""
    return list(await session.scalars(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == organization_id, User.is_active.is_(True))
        .order_by(User.id)
    ))


async def of_order(session: AsyncSession, order_id: int) -> BankDetails | None:
    return await session.scalar(
        select(BankDetails)
        .join(OrderBankDetails, OrderBankDetails.bank_details_id == BankDetails.id)
        .where(OrderBankDetails.order_id == order_id)
    )


async def of_previous_order(
    session: AsyncSession, *, buyer_id: int, supplier_id: int, before_order_id: int
) -> tuple[Order, BankDetails] | None:
    """The latest earlier order between the same two organizations that has bank details."""
    row = (await session.execute(
        select(Order, BankDetails)
        .join(OrderBankDetails, OrderBankDetails.order_id == Order.id)
        .join(BankDetails, BankDetails.id == OrderBankDetails.bank_details_id)
        .where(
            Order.buyer_id == buyer_id,
            Order.supplier_id == supplier_id,
            Order.id < before_order_id,
        )
        .order_by(Order.id.desc())
        .limit(1)
    )).first()
    return (row[0], row[1]) if row else None


async def link_order(session: AsyncSession, order_id: int, bank_details_id: int) -> None:
    session.add(OrderBankDetails(order_id=order_id, bank_details_id=bank_details_id))
    await session.flush()
