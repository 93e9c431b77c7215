"""The text index keeps up with every write to products, with no application code involved:
FTS5 triggers on SQLite, an expression index on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Product
from tests.search.helpers import Expo, create_product, ids


async def found(client: httpx.AsyncClient, expo: Expo, q: str) -> list[int]:
    response = await client.get(f"/api/v1/events/{expo.event_id}/products", params={"q": q})
    assert response.status_code == 200, response.text
    return ids(response.json())


async def test_a_new_product_is_found_at_once(
    client: httpx.AsyncClient, db: AsyncSession, expo: Expo
) -> None:
    product = await create_product(db, expo.ocean_id, "Frozen Pacific Saury", name_zh="秋刀鱼")
    await db.commit()
    assert await found(client, expo, "saury") == [product]
    assert await found(client, expo, "秋刀") == [product]


async def test_renaming_finds_the_new_name_and_not_the_old(
    client: httpx.AsyncClient, db: AsyncSession, expo: Expo
) -> None:
    tiger = expo.products["tiger"]
    await db.execute(
        update(Product).where(Product.id == tiger).values(name="Giant Tiger Prawn PD",
                                                           name_zh="斑节对虾")
    )
    await db.commit()
    assert await found(client, expo, "giant tiger") == [tiger]
    assert await found(client, expo, "斑节对虾") == [tiger]
    assert await found(client, expo, "HOSO") == []
    assert await found(client, expo, "黑虎虾") == []


async def test_renaming_through_the_orm_reindexes_too(
    client: httpx.AsyncClient, db: AsyncSession, expo: Expo
) -> None:
    product = await db.get(Product, expo.products["squid"])
    assert product is not None
    product.description = "Shredded, roasted and seasoned with Sichuan pepper."
    await db.commit()
    assert await found(client, expo, "Sichuan") == [expo.products["squid"]]


async def test_other_updates_keep_the_product_findable(
    client: httpx.AsyncClient, db: AsyncSession, expo: Expo
) -> None:
    red = expo.products["red"]
    await db.execute(update(Product).where(Product.id == red).values(price_from=Decimal("7.7")))
    await db.commit()
    assert await found(client, expo, "Pleoticus") == [red]


async def test_deleted_products_disappear(
    client: httpx.AsyncClient, db: AsyncSession, expo: Expo
) -> None:
    soft, hard = expo.products["acetes"], expo.products["jellyfish"]
    await db.execute(
        update(Product).where(Product.id == soft).values(deleted_at=datetime.now(UTC))
    )
    await db.execute(delete(Product).where(Product.id == hard))
    await db.commit()
    assert await found(client, expo, "虾米") == []
    assert await found(client, expo, "jellyfish") == []
    assert await found(client, expo, "dried") == [expo.products["squid"]]


async def test_sqlite_fts_rows_follow_the_product_rows(
    db: AsyncSession, expo: Expo
) -> None:
    """The FTS table itself, not just what search shows (the delete must really remove the
    index entry, or an external-content table returns stale rowids)."""
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's FTS5 table")
    match = text("SELECT rowid FROM product_search WHERE product_search MATCH :q")
    squid = expo.products["squid"]
    assert list(await db.scalars(match, {"q": '"鱿鱼丝"'})) == [squid]
    await db.execute(update(Product).where(Product.id == squid).values(name_zh="烤鱿鱼"))
    await db.commit()
    assert list(await db.scalars(match, {"q": '"鱿鱼丝"'})) == []
    assert list(await db.scalars(match, {"q": '"烤鱿鱼"'})) == [squid]
    await db.execute(delete(Product).where(Product.id == squid))
    await db.commit()
    assert list(await db.scalars(match, {"q": '"烤鱿鱼"'})) == []
    integrity = text("INSERT INTO product_search(product_search, rank) VALUES "
                     "('integrity-check', 1)")
    await db.execute(integrity)  # raises if the index disagrees with the products table
