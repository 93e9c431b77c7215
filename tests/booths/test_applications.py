from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEntry, Booth
from tests.factories import apply_for_booth, create_event, move_event, open_expo, register


async def _count_booths(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Booth)) or 0)


async def test_supplier_applies_for_a_booth_and_it_is_audited(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier", organization_name="Fuqing Ocean Foods")
    r = await client.post(
        f"/api/v1/events/{expo.event_id}/booths",
        json={"hall_id": expo.hall_id, "description": "Frozen vannamei shrimp since 1998",
              "description_zh": "南美白对虾"},
        headers=supplier.headers,
    )
    assert r.status_code == 201, r.text
    booth = r.json()
    assert booth["status"] == "applied"
    assert booth["supplier_id"] == supplier.organization_id
    assert booth["supplier_name"] == "Fuqing Ocean Foods"
    assert booth["hall_id"] == expo.hall_id
    assert booth["hall_name"] == expo.halls[0]["name"]
    assert booth["certifications"] == []
    assert booth["decided_at"] is None
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "booth.applied"))
    assert entry is not None
    assert (entry.subject_id, entry.actor_user_id) == (str(booth["id"]), supplier.user_id)


async def test_applying_to_a_live_event_is_allowed(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client, status="live")
    supplier = await register(client, kind="supplier")
    await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)


@pytest.mark.parametrize("kind", ["buyer", "organizer"])
async def test_only_suppliers_apply(
    client: httpx.AsyncClient, db: AsyncSession, kind: str
) -> None:
    expo = await open_expo(client)
    account = await register(client, kind=kind)
    r = await client.post(
        f"/api/v1/events/{expo.event_id}/booths",
        json={"hall_id": expo.hall_id},
        headers=account.headers,
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "supplier_required"
    assert await _count_booths(db) == 0


async def test_applying_requires_sign_in(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    r = await client.post(
        f"/api/v1/events/{expo.event_id}/booths", json={"hall_id": expo.hall_id}
    )
    assert r.status_code == 401


async def test_a_draft_event_does_not_exist_for_suppliers(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client, status="draft")
    supplier = await register(client, kind="supplier")
    r = await client.post(
        f"/api/v1/events/{expo.event_id}/booths",
        json={"hall_id": expo.hall_id},
        headers=supplier.headers,
    )
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "event_not_found"
    assert await _count_booths(db) == 0


async def test_a_closed_event_takes_no_applications(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client, status="live")
    await move_event(client, expo.organizer, expo.event_id, "close")
    supplier = await register(client, kind="supplier")
    r = await client.post(
        f"/api/v1/events/{expo.event_id}/booths",
        json={"hall_id": expo.hall_id},
        headers=supplier.headers,
    )
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "event_not_open"
    assert "closed" in error["message"]
    assert await _count_booths(db) == 0


async def test_the_hall_must_belong_to_the_event(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    other_organizer = await register(client, kind="organizer")
    other_event = await create_event(client, other_organizer)
    from tests.factories import create_hall

    foreign_hall = await create_hall(client, other_organizer, other_event["id"])
    supplier = await register(client, kind="supplier")
    for hall_id in (foreign_hall["id"], 999999):
        r = await client.post(
            f"/api/v1/events/{expo.event_id}/booths",
            json={"hall_id": hall_id},
            headers=supplier.headers,
        )
        assert r.status_code == 422
        error = r.json()["error"]
        assert error["code"] == "invalid_hall"
        assert error["details"][0]["loc"] == ["body", "hall_id"]
    assert await _count_booths(db) == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"hall_id": "first"},
        {"hall_id": 0},
        {"hall_id": 1, "status": "approved"},
        {"hall_id": 1, "supplier_id": 1},
        {"hall_id": 1, "description": "x" * 20_001},
    ],
)
async def test_invalid_application_is_422_and_not_written(
    client: httpx.AsyncClient, db: AsyncSession, body: dict[str, object]
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    r = await client.post(
        f"/api/v1/events/{expo.event_id}/booths", json=body, headers=supplier.headers
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
    assert await _count_booths(db) == 0


async def test_one_booth_per_supplier_per_event(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client, halls=2)
    supplier = await register(client, kind="supplier")
    await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    r = await client.post(
        f"/api/v1/events/{expo.event_id}/booths",
        json={"hall_id": expo.halls[1]["id"]},
        headers=supplier.headers,
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "booth_exists"
    # Another event is another booth.
    other = await open_expo(client)
    await apply_for_booth(client, supplier, other.event_id, other.hall_id)
    assert await _count_booths(db) == 2


async def test_concurrent_applications_make_exactly_one_booth(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    """Real concurrency through the app: the unique constraint decides, the rest get 409."""
    expo = await open_expo(client, halls=2)
    supplier = await register(client, kind="supplier")
    results = await asyncio.gather(
        *[
            client.post(
                f"/api/v1/events/{expo.event_id}/booths",
                json={"hall_id": expo.halls[i % 2]["id"]},
                headers=supplier.headers,
            )
            for i in range(6)
        ]
    )
    statuses = sorted(r.status_code for r in results)
    assert statuses == [201, 409, 409, 409, 409, 409], [r.text for r in results]
    assert {r.json()["error"]["code"] for r in results if r.status_code == 409} == {
        "booth_exists"
    }
    assert await _count_booths(db) == 1
    applied = await db.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "booth.applied")
    )
    assert applied == 1


async def test_concurrent_applications_by_different_suppliers_all_succeed(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    suppliers = [await register(client, kind="supplier") for _ in range(4)]
    results = await asyncio.gather(
        *[
            client.post(
                f"/api/v1/events/{expo.event_id}/booths",
                json={"hall_id": expo.hall_id},
                headers=s.headers,
            )
            for s in suppliers
        ]
    )
    assert [r.status_code for r in results] == [201] * 4, [r.text for r in results]
    assert await _count_booths(db) == 4
