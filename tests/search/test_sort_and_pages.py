"""Sorting and keyset pagination: every result exactly once, in order, page after page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.search.helpers import (
    T0,
    Expo,
    create_booth,
    create_event,
    create_hall,
    create_image,
    create_organization,
    create_product,
    ids,
)


async def get(client: httpx.AsyncClient, event_id: int, **params: str | int) -> dict[str, Any]:
    response = await client.get(f"/api/v1/events/{event_id}/products", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def all_pages(
    client: httpx.AsyncClient, event_id: int, **params: str | int
) -> tuple[list[int], int]:
    """Every id over all pages, and how many pages it took."""
    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        extra = {"cursor": cursor} if cursor else {}
        body = await get(client, event_id, **params, **extra)
        pages += 1
        seen += ids(body)
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages
        assert pages < 100


async def test_price_sorts_within_a_currency(client: httpx.AsyncClient, expo: Expo) -> None:
    p = expo.products
    body = await get(client, expo.event_id, sort="price_asc", currency="USD")
    assert ids(body) == [p["vannamei"], p["red"], p["tiger"]]
    body = await get(client, expo.event_id, sort="price_desc", currency="USD")
    assert ids(body) == [p["tiger"], p["red"], p["vannamei"]]


async def test_newest_first(client: httpx.AsyncClient, expo: Expo) -> None:
    body = await get(client, expo.event_id, sort="newest")
    assert ids(body) == list(reversed(expo.products.values()))


async def test_relevance_puts_name_matches_before_description_matches(
    client: httpx.AsyncClient, expo: Expo
) -> None:
    body = await get(client, expo.event_id, q="shrimp")
    assert body["total"] == 5
    # The jellyfish only mentions shrimp in its description.
    assert ids(body)[-1] == expo.products["jellyfish"]
    # relevance is the default with text; explicit gives the same order.
    assert ids(await get(client, expo.event_id, q="shrimp", sort="relevance")) == ids(body)


async def test_relevance_without_text_means_newest(client: httpx.AsyncClient, expo: Expo) -> None:
    assert ids(await get(client, expo.event_id, sort="relevance")) == ids(
        await get(client, expo.event_id, sort="newest")
    )


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "newest"},
        {"sort": "price_asc", "currency": "USD"},
        {"sort": "price_desc", "currency": "USD"},
        {"q": "shrimp"},
        {"q": "虾"},
        {"q": "frozen", "certification": "HACCP"},
    ],
)
@pytest.mark.parametrize("limit", [1, 2, 3])
async def test_pages_have_no_duplicates_and_no_gaps(
    client: httpx.AsyncClient, db: AsyncSession, params: dict[str, str], limit: int
) -> None:
    organizer = await create_organization(db, "organizer")
    event = await create_event(db, organizer)
    hall = await create_hall(db, event, "Hall")
    suppliers = [await create_organization(db) for _ in range(3)]
    for supplier in suppliers:
        await create_booth(db, event, hall, supplier)
    # Many ties on every sort key: equal prices, equal creation times, equal relevance.
    for n in range(11):
        await create_product(
            db, suppliers[n % 3], f"Frozen Shrimp {n}", name_zh=f"冻虾 {n}",
            certifications=["HACCP"], price=("4.00", "4.50", "4.00")[n % 3],
            created_at=T0 if n % 2 else None,
        )
    await db.commit()
    expected = ids(await get(client, event, limit=100, **params))
    assert len(expected) == 11

    seen, pages = await all_pages(client, event, limit=limit, **params)

    assert seen == expected
    assert pages == -(-11 // limit)


async def test_an_exact_last_page_has_no_next_cursor(
    client: httpx.AsyncClient, expo: Expo
) -> None:
    body = await get(client, expo.event_id, limit=6)
    assert len(body["items"]) == 6
    assert body["next_cursor"] is None
    body = await get(client, expo.event_id, limit=5)
    assert body["next_cursor"] is not None


async def test_first_image_by_position(
    client: httpx.AsyncClient, db: AsyncSession, expo: Expo
) -> None:
    tiger = expo.products["tiger"]
    await create_image(db, tiger, expo.ocean_id, position=2)
    first = await create_image(db, tiger, expo.ocean_id, position=0)
    await create_image(db, tiger, expo.ocean_id, position=1)
    await db.commit()
    body = await get(client, expo.event_id, q="monodon")
    assert body["items"][0]["image_id"] == first


async def test_a_product_appears_in_each_event_where_its_supplier_is_approved(
    client: httpx.AsyncClient, db: AsyncSession, expo: Expo
) -> None:
    hall = await create_hall(db, expo.other_event_id, "Shrimp")
    booth = await create_booth(db, expo.other_event_id, hall, expo.ocean_id)
    await db.commit()
    body = await get(client, expo.other_event_id, q="vannamei")
    [item] = body["items"]
    assert (item["id"], item["booth_id"], item["hall_id"]) == (
        expo.products["vannamei"], booth, hall,
    )


async def test_prices_keep_their_decimals(
    client: httpx.AsyncClient, db: AsyncSession, expo: Expo
) -> None:
    await create_product(db, expo.ocean_id, "Sub-cent Shrimp", price="0.0125", currency="USD")
    await db.commit()
    body = await get(client, expo.event_id, q="sub-cent")
    assert Decimal(body["items"][0]["price_from"]) == Decimal("0.0125")
