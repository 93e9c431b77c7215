from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import BoothCertification
from app.models.base import utcnow
from tests.factories import Expo, apply_for_booth, approved_booth, open_expo, register


def _ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [b["id"] for b in response.json()["items"]]


async def _rejected(client: httpx.AsyncClient, expo: Expo) -> tuple[Any, dict[str, Any]]:
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    r = await client.post(
        f"/api/v1/booths/{booth['id']}/reject", json={"reason": "Not seafood"},
        headers=expo.organizer.headers,
    )
    assert r.status_code == 200
    return supplier, r.json()


async def test_approved_booths_are_public(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    _supplier, booth = await approved_booth(client, expo)
    buyer = await register(client, kind="buyer")
    for headers in ({}, buyer.headers):
        r = await client.get(f"/api/v1/booths/{booth['id']}", headers=headers)
        assert r.status_code == 200
        assert r.json()["status"] == "approved"


async def test_pending_and_rejected_booths_are_seen_only_by_their_two_parties(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    applicant = await register(client, kind="supplier")
    applied = await apply_for_booth(client, applicant, expo.event_id, expo.hall_id)
    rejected_supplier, rejected = await _rejected(client, expo)
    strangers = [
        await register(client, kind="supplier"),
        await register(client, kind="buyer"),
        await register(client, kind="organizer"),
    ]
    for booth, owner in ((applied, applicant), (rejected, rejected_supplier)):
        url = f"/api/v1/booths/{booth['id']}"
        assert (await client.get(url, headers=owner.headers)).status_code == 200
        assert (await client.get(url, headers=expo.organizer.headers)).status_code == 200
        for headers in [{}, *(s.headers for s in strangers)]:
            r = await client.get(url, headers=headers)
            assert r.status_code == 404
            assert r.json()["error"]["code"] == "booth_not_found"
            assert "Not seafood" not in r.text


async def test_lobby_lists_approved_booths_with_supplier_and_hall(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    supplier = await register(
        client, kind="supplier", organization_name="Ocean Pearl", country="CN"
    )
    _s, booth = await approved_booth(client, expo, supplier)
    await client.patch(
        f"/api/v1/booths/{booth['id']}",
        json={"export_markets": ["ES"], "certifications": [{"scheme": "MSC", "number": "M-1"}]},
        headers=supplier.headers,
    )
    pending = await register(client, kind="supplier")
    await apply_for_booth(client, pending, expo.event_id, expo.hall_id)
    await _rejected(client, expo)

    r = await client.get(f"/api/v1/events/{expo.event_id}/booths")
    assert _ids(r) == [booth["id"]]
    item = r.json()["items"][0]
    assert item["supplier_name"] == "Ocean Pearl"
    assert item["supplier_country"] == "CN"
    assert item["hall_name"] == expo.halls[0]["name"]
    assert item["export_markets"] == ["ES"]
    assert item["certifications"][0]["scheme"] == "MSC"
    assert "rejection_reason" not in item


async def test_exhibitor_sees_its_own_booth_in_the_list_whatever_its_status(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    _s, approved = await approved_booth(client, expo)
    applicant = await register(client, kind="supplier")
    own = await apply_for_booth(client, applicant, expo.event_id, expo.hall_id)
    other = await register(client, kind="supplier")
    await apply_for_booth(client, other, expo.event_id, expo.hall_id)
    url = f"/api/v1/events/{expo.event_id}/booths"
    assert _ids(await client.get(url, headers=applicant.headers)) == [approved["id"], own["id"]]
    assert _ids(await client.get(f"{url}?status=applied", headers=applicant.headers)) == [
        own["id"]
    ]


async def test_organizer_lists_the_review_queue(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    _s, approved = await approved_booth(client, expo)
    waiting = []
    for _ in range(2):
        supplier = await register(client, kind="supplier")
        waiting.append((await apply_for_booth(client, supplier, expo.event_id, expo.hall_id))["id"])
    _r, rejected = await _rejected(client, expo)
    url = f"/api/v1/events/{expo.event_id}/booths"
    headers = expo.organizer.headers
    assert _ids(await client.get(f"{url}?status=applied", headers=headers)) == waiting
    assert _ids(await client.get(f"{url}?status=rejected", headers=headers)) == [rejected["id"]]
    assert _ids(await client.get(url, headers=headers)) == [approved["id"]]
    # Nobody else gets the queue.
    buyer = await register(client, kind="buyer")
    other_organizer = await register(client, kind="organizer")
    for h in ({}, buyer.headers, other_organizer.headers):
        assert _ids(await client.get(f"{url}?status=applied", headers=h)) == []
    assert (await client.get(f"{url}?status=pending", headers=headers)).status_code == 422


async def test_booths_of_a_draft_event_are_hidden(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client, status="draft")
    supplier = await register(client, kind="supplier")
    r = await client.get(f"/api/v1/events/{expo.event_id}/booths", headers=supplier.headers)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "event_not_found"


@pytest.fixture
async def floor(client: httpx.AsyncClient) -> dict[str, Any]:
    """Three approved booths in two halls with different profiles."""
    expo = await open_expo(client, halls=2)
    profiles = [
        ("Fuqing Ocean Foods", expo.halls[0]["id"], {
            "description": "Frozen vannamei SHRIMP, IQF",
            "description_zh": "冷冻南美白对虾",
            "export_markets": ["ES", "US"],
            "certifications": [{"scheme": "BAP", "number": "B-1"},
                               {"scheme": "HACCP", "number": "H-1"}],
        }),
        ("Pingtan Dried Goods", expo.halls[1]["id"], {
            "description": "Dried squid and 100% natural shrimp skin",
            "description_zh": "鱿鱼干",
            "export_markets": ["JP"],
            "certifications": [{"scheme": "MSC", "number": "M-1", "expires_on": "2030-01-01"}],
        }),
        ("Haixin Surimi", expo.halls[1]["id"], {
            "description": "Crab sticks",
            "export_markets": ["ES", "JP"],
            "certifications": [{"scheme": "HACCP", "number": "H-2"}],
        }),
    ]
    ids: dict[str, int] = {}
    for name, hall_id, profile in profiles:
        supplier = await register(client, kind="supplier", organization_name=name)
        booth = await apply_for_booth(client, supplier, expo.event_id, hall_id)
        patched = await client.patch(
            f"/api/v1/booths/{booth['id']}", json=profile, headers=supplier.headers
        )
        assert patched.status_code == 200, patched.text
        approved = await client.post(
            f"/api/v1/booths/{booth['id']}/approve", headers=expo.organizer.headers
        )
        assert approved.status_code == 200
        ids[name] = booth["id"]
    return {"expo": expo, "ids": ids}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=shrimp", ["Fuqing Ocean Foods", "Pingtan Dried Goods"]),
        ("q=PINGTAN", ["Pingtan Dried Goods"]),
        ("q=对虾", ["Fuqing Ocean Foods"]),
        ("q=100%25", ["Pingtan Dried Goods"]),
        ("q=%25", ["Pingtan Dried Goods"]),
        ("q=_", []),
        ("certification=HACCP", ["Fuqing Ocean Foods", "Haixin Surimi"]),
        ("certification=haccp", ["Fuqing Ocean Foods", "Haixin Surimi"]),
        ("certification=MSC", ["Pingtan Dried Goods"]),
        ("certification=ASC", []),
        ("market=es", ["Fuqing Ocean Foods", "Haixin Surimi"]),
        ("market=JP&certification=HACCP", ["Haixin Surimi"]),
        ("market=DE", []),
        ("hall=second", ["Pingtan Dried Goods", "Haixin Surimi"]),
        ("hall=second&q=crab", ["Haixin Surimi"]),
    ],
)
async def test_booth_filters(
    client: httpx.AsyncClient, floor: dict[str, Any], query: str, expected: list[str]
) -> None:
    expo: Expo = floor["expo"]
    query = query.replace("hall=second", f"hall_id={expo.halls[1]['id']}")
    r = await client.get(f"/api/v1/events/{expo.event_id}/booths?{query}")
    assert _ids(r) == [floor["ids"][name] for name in expected]


@pytest.mark.parametrize(
    "query", ["certification=BEST", "market=XX", "market=EU", "hall_id=x", "hall_id=2147483648",
              "q=a%00b", "status=pending"],
)
async def test_invalid_filters_are_422(
    client: httpx.AsyncClient, floor: dict[str, Any], query: str
) -> None:
    expo: Expo = floor["expo"]
    r = await client.get(f"/api/v1/events/{expo.event_id}/booths?{query}")
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"


async def test_expired_certificates_do_not_match_the_filter(
    client: httpx.AsyncClient, db: AsyncSession, floor: dict[str, Any]
) -> None:
    expo: Expo = floor["expo"]
    await db.execute(
        update(BoothCertification)
        .where(BoothCertification.scheme == "MSC")
        .values(expires_on=(utcnow() - timedelta(days=1)).date())
    )
    await db.commit()
    r = await client.get(f"/api/v1/events/{expo.event_id}/booths?certification=MSC")
    assert _ids(r) == []
    # Still shown on the booth, with its date: the buyer can see it has lapsed.
    booth = await client.get(f"/api/v1/booths/{floor['ids']['Pingtan Dried Goods']}")
    assert booth.json()["certifications"][0]["scheme"] == "MSC"


async def test_booth_list_paginates(client: httpx.AsyncClient, floor: dict[str, Any]) -> None:
    expo: Expo = floor["expo"]
    url = f"/api/v1/events/{expo.event_id}/booths?limit=2"
    first = (await client.get(url)).json()
    assert len(first["items"]) == 2
    second = (await client.get(f"{url}&cursor={first['next_cursor']}")).json()
    assert second["next_cursor"] is None
    seen = [b["id"] for b in first["items"] + second["items"]]
    assert seen == sorted(floor["ids"].values())
    bad = await client.get(f"{url}&cursor=WyJ4Il0")
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_cursor"


async def test_an_exhibitor_lists_its_own_booths_across_events(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    from app.accounts import service as accounts
    from app.booths import service as booths

    first, second = await open_expo(client), await open_expo(client)
    supplier = await register(client, kind="supplier")
    applied = await apply_for_booth(client, supplier, first.event_id, first.hall_id)
    _s, approved = await approved_booth(client, second, supplier)
    await approved_booth(client, first)  # someone else's

    viewer = await accounts.resolve_principal(db, supplier.token, kind="api")
    assert viewer is not None
    own = await booths.list_own_booths(db, viewer)
    assert [(b.id, b.status) for b in own] == [
        (approved["id"], "approved"), (applied["id"], "applied")
    ]
    in_first = await booths.list_own_booths(db, viewer, event_ids=[first.event_id])
    assert [b.id for b in in_first] == [applied["id"]]
    organizer = await accounts.resolve_principal(db, first.organizer.token, kind="api")
    assert organizer is not None
    assert await booths.list_own_booths(db, organizer) == []
