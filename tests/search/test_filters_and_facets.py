"""Filters, alone and combined, and facet counts that leave out the facet's own filter."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.search.helpers import Expo, facet, ids


async def get(client: httpx.AsyncClient, event_id: int, **params: str | int) -> dict[str, Any]:
    response = await client.get(f"/api/v1/events/{event_id}/products", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def names(expo: Expo, body: dict[str, Any]) -> set[str]:
    by_id = {v: k for k, v in expo.products.items()}
    return {by_id[i] for i in ids(body)}


async def test_without_filters_facets_count_every_product_of_approved_booths(
    client: httpx.AsyncClient, expo: Expo
) -> None:
    body = await get(client, expo.event_id)
    assert body["total"] == 6
    assert facet(body, "category") == {"frozen_shrimp": 3, "dried_seafood": 3}
    assert facet(body, "certification") == {
        "HACCP": 5, "BAP": 2, "ASC": 1, "MSC": 1, "HALAL": 1,
    }
    assert facet(body, "incoterm") == {"FOB": 4, "CFR": 2, "CIF": 1, "EXW": 2}
    assert facet(body, "origin") == {"CN": 4, "VN": 1, "AR": 1}
    assert facet(body, "hall") == {expo.frozen_hall: 3, expo.dried_hall: 3}
    assert facet(body, "currency") == {"USD": 3, "CNY": 2, "EUR": 1}
    # Ordered by count, then value; halls carry their names for the page.
    assert [e["value"] for e in body["facets"]["certification"]] == [
        "HACCP", "BAP", "ASC", "HALAL", "MSC",
    ]
    assert body["facets"]["hall"][0]["name"] in {"Frozen shrimp", "Dried seafood"}
    assert {e["name_zh"] for e in body["facets"]["hall"]} == {"冷冻虾馆", "干海产品馆"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"hall_id": "dried"}, {"squid", "acetes", "jellyfish"}),
        ({"category": "frozen_shrimp"}, {"vannamei", "tiger", "red"}),
        ({"certification": "MSC"}, {"red"}),
        ({"certification": "bap"}, {"vannamei", "tiger"}),  # normalised like the catalog
        ({"incoterm": "EXW"}, {"acetes", "jellyfish"}),
        ({"incoterm": "cfr"}, {"vannamei", "red"}),
        ({"origin": "CN"}, {"vannamei", "squid", "acetes", "jellyfish"}),
        ({"origin": "vn"}, {"tiger"}),
        ({"currency": "CNY"}, {"squid", "acetes"}),
        ({"currency": "USD", "price_min": "7", "price_max": "9"}, {"red"}),
        ({"currency": "USD", "price_min": "8.20"}, {"red", "tiger"}),  # bounds included
        ({"currency": "USD", "price_max": "8.2"}, {"vannamei", "red"}),
        ({"moq_max": "1000"}, {"vannamei", "tiger", "squid", "acetes"}),
        ({"moq_max": "99"}, set()),
        ({"certification": "KOSHER"}, set()),
    ],
)
async def test_each_filter(
    client: httpx.AsyncClient, expo: Expo, params: dict[str, str], expected: set[str]
) -> None:
    if params.get("hall_id") == "dried":
        params = {**params, "hall_id": str(expo.dried_hall)}
    body = await get(client, expo.event_id, **params)
    assert names(expo, body) == expected
    assert body["total"] == len(expected)


async def test_combined_filters_and_facets_excluding_their_own_filter(
    client: httpx.AsyncClient, expo: Expo
) -> None:
    body = await get(client, expo.event_id, certification="HACCP", incoterm="FOB")
    assert names(expo, body) == {"vannamei", "tiger", "squid", "acetes"}
    assert body["total"] == 4
    # Certification counts apply incoterm=FOB but not certification=HACCP.
    assert facet(body, "certification") == {"HACCP": 4, "BAP": 2, "ASC": 1, "HALAL": 1}
    # Incoterm counts apply certification=HACCP but not incoterm=FOB.
    assert facet(body, "incoterm") == {"FOB": 4, "CFR": 2, "CIF": 1, "EXW": 1}
    assert facet(body, "category") == {"frozen_shrimp": 2, "dried_seafood": 2}
    assert facet(body, "origin") == {"CN": 3, "VN": 1}
    assert facet(body, "hall") == {expo.frozen_hall: 2, expo.dried_hall: 2}
    assert facet(body, "currency") == {"USD": 2, "CNY": 2}


async def test_text_with_two_filters(client: httpx.AsyncClient, expo: Expo) -> None:
    body = await get(client, expo.event_id, q="shrimp", certification="BAP", incoterm="FOB")
    assert names(expo, body) == {"vannamei", "tiger"}
    # shrimp + FOB: vannamei, tiger, acetes (squid is FOB but no shrimp).
    assert facet(body, "certification") == {"HACCP": 3, "BAP": 2, "ASC": 1, "HALAL": 1}
    assert facet(body, "incoterm") == {"FOB": 2, "CFR": 1, "CIF": 1}


async def test_hall_facet_ignores_the_hall_filter(client: httpx.AsyncClient, expo: Expo) -> None:
    body = await get(client, expo.event_id, hall_id=expo.frozen_hall, certification="HACCP")
    assert names(expo, body) == {"vannamei", "tiger", "red"}
    assert facet(body, "hall") == {expo.frozen_hall: 3, expo.dried_hall: 2}
    assert facet(body, "certification") == {"HACCP": 3, "BAP": 2, "ASC": 1, "MSC": 1}


async def test_currency_facet_ignores_currency_and_price_range(
    client: httpx.AsyncClient, expo: Expo
) -> None:
    body = await get(client, expo.event_id, currency="USD", price_min="7", price_max="9",
                     incoterm="FOB")
    assert names(expo, body) == set()
    # What the other currencies hold for FOB, so the buyer can switch.
    assert facet(body, "currency") == {"USD": 2, "CNY": 2}
    # Everything else counts the price range in USD: red (8.20) is CFR only.
    assert facet(body, "incoterm") == {"CFR": 1}


async def test_moq_filter_applies_to_every_facet(client: httpx.AsyncClient, expo: Expo) -> None:
    body = await get(client, expo.event_id, moq_max="500", category="dried_seafood")
    assert names(expo, body) == {"squid", "acetes"}
    assert facet(body, "category") == {"dried_seafood": 2, "frozen_shrimp": 1}  # tiger: 500


async def test_items_carry_what_a_results_page_needs(
    client: httpx.AsyncClient, expo: Expo
) -> None:
    body = await get(client, expo.event_id, q="南美白对虾")
    [item] = body["items"]
    assert item == {
        "id": expo.products["vannamei"],
        "name": "Frozen Vannamei White Shrimp HLSO 31/40",
        "name_zh": "冷冻南美白对虾",
        "category": "frozen_shrimp",
        "supplier": {"id": expo.ocean_id, "name": "Fuqing Ocean Aquatic Co., Ltd."},
        "booth_id": expo.ocean_booth,
        "hall_id": expo.frozen_hall,
        "price_from": item["price_from"],
        "currency": "USD",
        "unit": "kg",
        "moq": item["moq"],
        "incoterms": ["FOB", "CFR"],
        "certifications": ["HACCP", "ASC", "BAP"],
        "origin_country": "CN",
        "origin_region": "",
        "image_id": None,
    }
    # Money and quantities are decimal strings.
    assert isinstance(item["price_from"], str)
    assert float(item["price_from"]) == 6.5
    assert float(item["moq"]) == 1000
