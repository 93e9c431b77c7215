"""Queries for products, their price tiers and their images."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from decimal import Decimal

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import PriceTier, Product, ProductImage


async def _lock(session: AsyncSession, *where: ColumnElement[bool]) -> bool:
    """Lock the matching products until the commit (a read-modify-write guard).

    Returns whether the caller should add ``FOR UPDATE`` to its read (PostgreSQL). SQLite
    has no row locks, and its driver starts a transaction only at the first write, so a
    no-op UPDATE of the same rows takes the database's single write lock first (waiting for
    any other writer); the read that follows sees the latest committed state, and nobody
    can change it before we commit.
    """
    if session.get_bind().dialect.name != "sqlite":
        return True
    await session.execute(
        update(Product).where(*where).values(updated_at=Product.updated_at)
    )
    return False


async def get(
    session: AsyncSession, product_id: int, *, for_update: bool = False
) -> Product | None:
    """A product that is not deleted; ``for_update`` locks it until the commit."""
    where = (Product.id == product_id, Product.deleted_at.is_(None))
    query = select(Product).where(*where)
    if for_update and await _lock(session, *where):
        query = query.with_for_update()
    return await session.scalar(query)


async def list_for_supplier(
    session: AsyncSession, supplier_id: int, *, limit: int, before_id: int | None = None
) -> list[Product]:
    """A supplier's live products, newest first."""
    query = (
        select(Product)
        .where(Product.supplier_id == supplier_id, Product.deleted_at.is_(None))
        .order_by(Product.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(Product.id < before_id)
    return list(await session.scalars(query))


async def all_for_supplier(session: AsyncSession, supplier_id: int) -> list[Product]:
    """Every live product of a supplier, oldest first (the CSV export's order)."""
    return list(
        await session.scalars(
            select(Product)
            .where(Product.supplier_id == supplier_id, Product.deleted_at.is_(None))
            .order_by(Product.id)
        )
    )


async def get_many_for_supplier(
    session: AsyncSession, supplier_id: int, product_ids: Collection[int], *, for_update: bool
) -> dict[int, Product]:
    if not product_ids:
        return {}
    where = (
        Product.id.in_(sorted(set(product_ids))),
        Product.supplier_id == supplier_id,
        Product.deleted_at.is_(None),
    )
    query = select(Product).where(*where).order_by(Product.id)
    if for_update and await _lock(session, *where):
        query = query.with_for_update()
    return {p.id: p for p in await session.scalars(query)}


async def tiers_for(
    session: AsyncSession, product_ids: Collection[int]
) -> dict[int, list[PriceTier]]:
    found: dict[int, list[PriceTier]] = defaultdict(list)
    if product_ids:
        rows = await session.scalars(
            select(PriceTier)
            .where(PriceTier.product_id.in_(set(product_ids)))
            .order_by(PriceTier.product_id, PriceTier.min_quantity)
        )
        for tier in rows:
            found[tier.product_id].append(tier)
    return found


async def image_ids_for(
    session: AsyncSession, product_ids: Collection[int]
) -> dict[int, list[int]]:
    """Each product's media ids, in display order."""
    found: dict[int, list[int]] = defaultdict(list)
    if product_ids:
        rows = await session.execute(
            select(ProductImage.product_id, ProductImage.media_id)
            .where(ProductImage.product_id.in_(set(product_ids)))
            .order_by(ProductImage.product_id, ProductImage.position, ProductImage.id)
        )
        for product_id, media_id in rows:
            found[product_id].append(media_id)
    return found


async def replace_tiers(
    session: AsyncSession, product_id: int, tiers: Sequence[tuple[Decimal, Decimal]]
) -> None:
    await session.execute(delete(PriceTier).where(PriceTier.product_id == product_id))
    session.add_all(
        PriceTier(product_id=product_id, min_quantity=quantity, unit_price=price)
        for quantity, price in tiers
    )
    await session.flush()


async def replace_images(
    session: AsyncSession, product_id: int, media_ids: Sequence[int]
) -> None:
    await session.execute(delete(ProductImage).where(ProductImage.product_id == product_id))
    session.add_all(
        ProductImage(product_id=product_id, media_id=media_id, position=position)
        for position, media_id in enumerate(media_ids)
    )
    await session.flush()
