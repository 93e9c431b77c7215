from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEntry, Hall
from tests.factories import (
    apply_for_booth,
    approved_booth,
    create_event,
    create_hall,
    move_event,
    open_expo,
    register,
)


async def _count_halls(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Hall)) or 0)


async def test_organizer_adds_halls_shown_in_position_order(client: httpx.AsyncClient) -> None:
    organizer = await register(client, kind="organizer")
    event = await create_event(client, organizer)
    url = f"/api/v1/events/{event['id']}/halls"
    shrimp = await create_hall(client, organizer, event["id"], "Frozen shrimp")
    dried = await create_hall(client, organizer, event["id"], "Dried seafood")
    assert (shrimp["position"], dried["position"]) == (0, 1)
    first = await client.post(
        url,
        json={"name": "Processing equipment", "name_zh": "加工设备", "position": 0},
        headers=organizer.headers,
    )
    assert first.status_code == 201, first.text

    listed = await client.get(url, headers=organizer.headers)
    names = [h["name"] for h in listed.json()["items"]]
    # Equal positions keep creation order.
    assert names == ["Frozen shrimp", "Processing equipment", "Dried seafood"]
    assert listed.json()["items"][1]["name_zh"] == "加工设备"


async def test_halls_of_a_public_event_are_public(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client, halls=2)
    r = await client.get(f"/api/v1/events/{expo.event_id}/halls")
    assert r.status_code == 200
    assert [h["id"] for h in r.json()["items"]] == [h["id"] for h in expo.halls]


async def test_hall_names_are_unique_per_event_ignoring_case(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    organizer = await register(client, kind="organizer")
    event = await create_event(client, organizer)
    other_event = await create_event(client, organizer)
    await create_hall(client, organizer, event["id"], "Frozen shrimp")
    r = await client.post(
        f"/api/v1/events/{event['id']}/halls",
        json={"name": "frozen SHRIMP"},
        headers=organizer.headers,
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "hall_name_taken"
    # Another event may use the name.
    await create_hall(client, organizer, other_event["id"], "Frozen shrimp")
    assert await _count_halls(db) == 2


async def test_only_the_organizer_adds_halls(client: httpx.AsyncClient, db: AsyncSession) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    r = await client.post(
        f"/api/v1/events/{expo.event_id}/halls", json={"name": "Mine"}, headers=supplier.headers
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "organizer_required"
    draft_owner = await register(client, kind="organizer")
    draft = await create_event(client, draft_owner)
    r = await client.post(
        f"/api/v1/events/{draft['id']}/halls", json={"name": "Mine"}, headers=supplier.headers
    )
    assert r.status_code == 404
    assert await _count_halls(db) == 1


async def test_invalid_hall_is_422_and_not_written(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    organizer = await register(client, kind="organizer")
    event = await create_event(client, organizer)
    url = f"/api/v1/events/{event['id']}/halls"
    for body in ({"name": ""}, {"name": "x" * 121}, {"name": "A", "position": -1},
                 {"name": "A", "event_id": 5}, {}):
        r = await client.post(url, json=body, headers=organizer.headers)
        assert r.status_code == 422, body
        assert r.json()["error"]["code"] == "validation_error"
    assert await _count_halls(db) == 0


async def test_organizer_renames_and_reorders_a_hall(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client, halls=2)
    url = f"/api/v1/events/{expo.event_id}/halls/{expo.hall_id}"
    r = await client.patch(
        url, json={"name": "Surimi", "position": 5}, headers=expo.organizer.headers
    )
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["position"]) == ("Surimi", 5)
    taken = await client.patch(
        url, json={"name": expo.halls[1]["name"]}, headers=expo.organizer.headers
    )
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "hall_name_taken"
    # Renaming a hall to its own name (another case) is fine.
    same = await client.patch(url, json={"name": "SURIMI"}, headers=expo.organizer.headers)
    assert same.status_code == 200
    updated = await db.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "hall.updated"))
    assert updated == 2


async def test_hall_of_another_event_is_404(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    other = await open_expo(client)
    r = await client.patch(
        f"/api/v1/events/{expo.event_id}/halls/{other.hall_id}",
        json={"name": "Stolen"},
        headers=expo.organizer.headers,
    )
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "hall_not_found"


async def test_empty_hall_can_be_deleted_but_not_one_with_booths(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client, halls=2)
    supplier = await register(client, kind="supplier")
    await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)  # applied only
    busy = await client.delete(
        f"/api/v1/events/{expo.event_id}/halls/{expo.hall_id}", headers=expo.organizer.headers
    )
    assert busy.status_code == 409
    assert busy.json()["error"]["code"] == "hall_not_empty"
    empty = await client.delete(
        f"/api/v1/events/{expo.event_id}/halls/{expo.halls[1]['id']}",
        headers=expo.organizer.headers,
    )
    assert empty.status_code == 204
    assert await _count_halls(db) == 1
    deleted = await db.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "hall.deleted"))
    assert deleted == 1


async def test_supplier_cannot_delete_a_hall(client: httpx.AsyncClient, db: AsyncSession) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    r = await client.delete(
        f"/api/v1/events/{expo.event_id}/halls/{expo.hall_id}", headers=supplier.headers
    )
    assert r.status_code == 403
    assert await _count_halls(db) == 1


async def test_halls_of_a_closed_event_are_read_only(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    await move_event(client, expo.organizer, expo.event_id, "close")
    r = await client.post(
        f"/api/v1/events/{expo.event_id}/halls", json={"name": "Late"},
        headers=expo.organizer.headers,
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "event_closed"


async def test_hall_list_counts_approved_booths_and_paginates(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client, halls=3)
    await approved_booth(client, expo)
    await approved_booth(client, expo)
    pending = await register(client, kind="supplier")
    await apply_for_booth(client, pending, expo.event_id, expo.hall_id)

    first = (await client.get(f"/api/v1/events/{expo.event_id}/halls?limit=2")).json()
    assert [h["booth_count"] for h in first["items"]] == [2, 0]
    assert first["next_cursor"]
    second = (
        await client.get(
            f"/api/v1/events/{expo.event_id}/halls?limit=2&cursor={first['next_cursor']}"
        )
    ).json()
    assert [h["id"] for h in second["items"]] == [expo.halls[2]["id"]]
    assert second["next_cursor"] is None
