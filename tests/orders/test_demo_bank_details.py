"""``tradehall demo``: every demo supplier has bank details, so the demo orders' proformas
show where to pay; seeding again adds no version."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.demo.data import SUPPLIERS
from app.demo.seed import seed_demo
from app.kit import bank_codes
from app.models import BankDetails, Order, OrderBankDetails


async def test_the_demo_order_has_its_suppliers_bank_details(
    settings: Settings, db: AsyncSession
) -> None:
    first = await seed_demo(settings)
    second = await seed_demo(settings)
    assert first.created["bank details"] == len(SUPPLIERS)
    assert second.created["bank details"] == 0
    assert second.already_present["bank details"] == len(SUPPLIERS)
    assert await db.scalar(select(func.count()).select_from(BankDetails)) == len(SUPPLIERS)

    # The deal's order and the one the ended live show led to (app.demo.livestreams).
    orders = list(await db.scalars(select(Order)))
    assert len(orders) == 2
    for order in orders:
        details = await db.scalar(
            select(BankDetails)
            .join(OrderBankDetails, OrderBankDetails.bank_details_id == BankDetails.id)
            .where(OrderBankDetails.order_id == order.id)
        )
        assert details is not None
        assert details.organization_id == order.supplier_id
        assert bank_codes.bic_is_valid(details.swift_bic)
        assert bank_codes.account_number_is_valid(details.account_number)
