"""Who may search which event, and the 422s for bad parameters."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.kit.pagination import encode_cursor
from tests.factories import register
from tests.search.helpers import (
    Expo,
    create_booth,
    create_event,
    create_hall,
    create_organization,
    create_product,
    ids,
)


def url(event_id: int) -> str:
    return f"/api/v1/events/{event_id}/products"


@pytest.mark.parametrize("status", ["published", "live", "closed"])
async def test_visible_events_are_public(
    client: httpx.AsyncClient, db: AsyncSession, status: str
) -> None:
    organizer = await create_organization(db, "organizer")
    event = await create_event(db, organizer, status=status)
    hall = await create_hall(db, event, "Hall")
    supplier = await create_organization(db)
    await create_booth(db, event, hall, supplier)
    product = await create_product(db, supplier, "Frozen Squid Rings")
    await db.commit()
    response = await client.get(url(event))
    assert response.status_code == 200
    assert ids(response.json()) == [product]


async def test_a_draft_event_is_not_found_except_by_its_organizer(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    organizer = await register(client, kind="organizer")
    buyer = await register(client, kind="buyer")
    other_organizer = await register(client, kind="organizer")
    assert organizer.organization_id is not None
    event = await create_event(db, organizer.organization_id, status="draft")
    hall = await create_hall(db, event, "Hall")
    supplier = await create_organization(db)
    await create_booth(db, event, hall, supplier)
    product = await create_product(db, supplier, "Frozen Squid Rings")
    await db.commit()

    for headers in ({}, buyer.headers, other_organizer.headers):
        response = await client.get(url(event), headers=headers)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "event_not_found"
    response = await client.get(url(event), headers=organizer.headers)
    assert response.status_code == 200
    assert ids(response.json()) == [product]


async def test_an_unknown_event_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get(url(987654))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "event_not_found"


async def test_an_invalid_token_is_refused_not_ignored(
    client: httpx.AsyncClient, expo: Expo
) -> None:
    response = await client.get(url(expo.event_id), headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"sort": "cheapest"}, "validation_error", "sort"),
        ({"price_min": "-1", "currency": "USD"}, "validation_error", "price_min"),
        ({"price_max": "-0.01", "currency": "USD"}, "validation_error", "price_max"),
        ({"price_min": "abc", "currency": "USD"}, "validation_error", "price_min"),
        ({"currency": "XYZ"}, "validation_error", "currency"),
        ({"currency": "dollars"}, "validation_error", "currency"),
        ({"incoterm": "FOO"}, "validation_error", "incoterm"),
        ({"origin": "XX"}, "validation_error", "origin"),
        ({"moq_max": "0"}, "validation_error", "moq_max"),
        ({"hall_id": "0"}, "validation_error", "hall_id"),
        ({"hall_id": str(2**40)}, "validation_error", "hall_id"),
        ({"limit": "0"}, "validation_error", "limit"),
        ({"limit": "101"}, "validation_error", "limit"),
        ({"q": "x" * 201}, "validation_error", "q"),
        ({"q": "shrimp\x00"}, "validation_error", "q"),
        ({"category": "\x00"}, "validation_error", "category"),
        ({"certification": "MSC\x1b"}, "validation_error", "certification"),
        ({"certifications": "MSC"}, "validation_error", "certifications"),  # a typo
        ({"currency": "USD", "price_min": "10", "price_max": "5"}, "invalid_price_range", None),
        ({"price_min": "1"}, "currency_required", None),
        ({"price_max": "1"}, "currency_required", None),
        ({"sort": "price_asc"}, "currency_required", None),
        ({"sort": "price_desc"}, "currency_required", None),
        ({"q": "a b c d e f g h i"}, "too_many_terms", None),
        ({"cursor": "not-a-cursor"}, "invalid_cursor", None),
        ({"cursor": "W10"}, "invalid_cursor", None),  # base64 of []
    ],
)
async def test_bad_parameters_get_422_with_a_stable_code(
    client: httpx.AsyncClient, expo: Expo, params: dict[str, str], code: str, field: str | None
) -> None:
    response = await client.get(url(expo.event_id), params=params)
    assert response.status_code == 422, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    if field is not None:
        assert any(detail["loc"][-1] == field for detail in error["details"])


async def test_a_path_id_out_of_range_is_422_not_500(client: httpx.AsyncClient) -> None:
    response = await client.get(url(2**40))
    assert response.status_code == 422


@pytest.mark.parametrize(
    "cursor",
    [
        encode_cursor(["price_asc", "1.00", 5]),  # another sort's cursor
        encode_cursor(["newest", "yesterday", 5]),
        encode_cursor(["newest", "2026-01-01T00:00:00", 5]),  # no time zone
        encode_cursor(["newest", "2026-01-01T00:00:00+00:00", "5"]),
        encode_cursor(["newest", "2026-01-01T00:00:00+00:00", True]),
        encode_cursor(["newest", 12, 5]),
        encode_cursor(["newest", "2026-01-01T00:00:00+00:00"]),
        encode_cursor(["newest", "2026-01-01T00:00:00+00:00", 2**40]),
        encode_cursor(["newest", "2026-01-01T00:00:00+00:00", 0]),
        encode_cursor(["newest", "0001-01-01T00:00:00+05:00", 5]),  # before year 1 in UTC
        encode_cursor(["newest", "9999-12-31T23:00:00-05:00", 5]),  # after year 9999
    ],
)
async def test_a_cursor_that_does_not_fit_the_sort_is_invalid(
    client: httpx.AsyncClient, expo: Expo, cursor: str
) -> None:
    response = await client.get(url(expo.event_id), params={"cursor": cursor})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("price_asc", encode_cursor(["price_asc", "NaN", 5])),
        ("price_asc", encode_cursor(["price_asc", "Infinity", 5])),
        ("price_asc", encode_cursor(["price_asc", [1], 5])),
        ("price_asc", encode_cursor(["price_asc", "1e400", 5])),
        ("relevance", encode_cursor(["relevance", "1.5", 5])),
        ("relevance", "WyJyZWxldmFuY2UiLE5hTiw1XQ"),  # ["relevance",NaN,5]
        ("relevance", "WyJyZWxldmFuY2UiLEluZmluaXR5LDVd"),  # ["relevance",Infinity,5]
    ],
)
async def test_cursor_keys_are_checked_per_sort(
    client: httpx.AsyncClient, expo: Expo, sort: str, cursor: str
) -> None:
    params = {"sort": sort, "cursor": cursor, "currency": "USD", "q": "shrimp"}
    response = await client.get(url(expo.event_id), params=params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_cursor"
