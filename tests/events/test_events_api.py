from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEntry, Event
from tests.factories import (
    add_colleague,
    create_event,
    event_body,
    move_event,
    open_expo,
    register,
)


async def _count_events(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Event)) or 0)


async def test_organizer_creates_a_draft_event_and_it_is_audited(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    organizer = await register(client, kind="organizer", organization_name="Fuqing Commerce")
    r = await client.post(
        "/api/v1/events",
        json=event_body(title="Fuqing Seafood Online Expo"),
        headers=organizer.headers,
    )
    assert r.status_code == 201, r.text
    event = r.json()
    assert event["status"] == "draft"
    assert event["organizer_id"] == organizer.organization_id
    assert event["organizer_name"] == "Fuqing Commerce"
    assert event["time_zone"] == "Asia/Shanghai"
    # Stored and shown in UTC, the same instant as the +08:00 input.
    assert event["starts_at"].startswith("2031-05-10T01:00:00")
    entries = list(await db.scalars(select(AuditEntry).where(AuditEntry.action == "event.created")))
    assert [e.subject_id for e in entries] == [str(event["id"])]


@pytest.mark.parametrize("kind", ["supplier", "buyer"])
async def test_only_organizers_create_events(
    client: httpx.AsyncClient, db: AsyncSession, kind: str
) -> None:
    account = await register(client, kind=kind)
    r = await client.post("/api/v1/events", json=event_body(), headers=account.headers)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "organizer_required"
    assert await _count_events(db) == 0


async def test_creating_requires_sign_in(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/events", json=event_body())
    assert r.status_code == 401


@pytest.mark.parametrize(
    ("overrides", "field", "error_type"),
    [
        ({"ends_at": "2031-05-09T09:00:00+08:00"}, "ends_at", "ends_before_starts"),
        ({"ends_at": "2031-05-10T09:00:00+08:00"}, "ends_at", "ends_before_starts"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "value_error"),
        ({"starts_at": "2031-05-10T09:00:00"}, "starts_at", "timezone_aware"),
        ({"title": ""}, "title", "string_too_short"),
        ({"title": "x" * 201}, "title", "string_too_long"),
        ({"title": "Expo\x00"}, "title", "control_character"),
        ({"status": "live"}, "status", "extra_forbidden"),
        ({"organizer_id": 1}, "organizer_id", "extra_forbidden"),
    ],
)
async def test_invalid_event_is_422_and_nothing_is_written(
    client: httpx.AsyncClient,
    db: AsyncSession,
    overrides: dict[str, object],
    field: str,
    error_type: str,
) -> None:
    organizer = await register(client, kind="organizer")
    r = await client.post(
        "/api/v1/events", json=event_body(**overrides), headers=organizer.headers
    )
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert {(d["loc"][-1], d["type"]) for d in error["details"]} == {(field, error_type)}
    assert await _count_events(db) == 0


async def test_draft_is_invisible_to_everyone_but_the_organizer(
    client: httpx.AsyncClient,
) -> None:
    organizer = await register(client, kind="organizer")
    colleague_org = await register(client, kind="organizer")
    supplier = await register(client, kind="supplier")
    event = await create_event(client, organizer)
    url = f"/api/v1/events/{event['id']}"

    assert (await client.get(url, headers=organizer.headers)).status_code == 200
    for headers in (supplier.headers, colleague_org.headers, {}):
        r = await client.get(url, headers=headers)
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "event_not_found"
        r = await client.patch(url, json={"title": "Mine now"}, headers=headers)
        assert r.status_code in (401, 404)
        assert (await client.get(f"{url}/halls", headers=headers)).status_code == 404


async def test_lobby_lists_public_events_for_anyone_and_drafts_for_their_organizer(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)  # published
    draft = await create_event(client, expo.organizer, title="Next year's draft")
    other = await register(client, kind="organizer")
    other_draft = await create_event(client, other)

    anonymous = await client.get("/api/v1/events")
    assert anonymous.status_code == 200
    assert [e["id"] for e in anonymous.json()["items"]] == [expo.event_id]

    own = await client.get("/api/v1/events", headers=expo.organizer.headers)
    ids = {e["id"] for e in own.json()["items"]}
    assert ids == {expo.event_id, draft["id"]}
    assert other_draft["id"] not in ids

    drafts = await client.get("/api/v1/events?status=draft", headers=expo.organizer.headers)
    assert [e["id"] for e in drafts.json()["items"]] == [draft["id"]]
    bad = await client.get("/api/v1/events?status=deleted")
    assert bad.status_code == 422


async def test_event_list_paginates_newest_first(client: httpx.AsyncClient) -> None:
    organizer = await register(client, kind="organizer")
    created = []
    for day in range(1, 6):
        event = await create_event(
            client,
            organizer,
            starts_at=f"2031-06-0{day}T09:00:00+00:00",
            ends_at=f"2031-06-0{day}T18:00:00+00:00",
        )
        created.append(event["id"])
    # Two events starting at the same instant: the id breaks the tie, none is skipped.
    twin = await create_event(
        client, organizer, starts_at="2031-06-03T09:00:00+00:00",
        ends_at="2031-06-03T18:00:00+00:00",
    )
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        url = "/api/v1/events?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(url, headers=organizer.headers)).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = [created[4], created[3], twin["id"], created[2], created[1], created[0]]
    assert seen == expected
    bad = await client.get("/api/v1/events?cursor=bm90LWEtbGlzdA")
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_cursor"


async def test_status_moves_through_its_lifecycle_by_the_organizer(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    organizer = await register(client, kind="organizer")
    event = await create_event(client, organizer)
    assert (await move_event(client, organizer, event["id"], "publish"))["status"] == "published"
    assert (await move_event(client, organizer, event["id"], "go-live"))["status"] == "live"
    assert (await move_event(client, organizer, event["id"], "close"))["status"] == "closed"
    actions = list(
        await db.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.subject_type == "event", AuditEntry.subject_id == str(event["id"]))
            .order_by(AuditEntry.id)
        )
    )
    assert actions == ["event.created", "event.published", "event.went_live", "event.closed"]


async def test_a_published_event_can_be_called_off(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    closed = await move_event(client, expo.organizer, expo.event_id, "close")
    assert closed["status"] == "closed"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "go-live"),
        ("draft", "close"),
        ("published", "publish"),
        ("live", "publish"),
        ("live", "go-live"),
        ("closed", "publish"),
        ("closed", "go-live"),
        ("closed", "close"),
    ],
)
async def test_illegal_transition_is_409_and_says_what_is_possible(
    client: httpx.AsyncClient, db: AsyncSession, status: str, action: str
) -> None:
    expo = await open_expo(client, status="live" if status in ("live", "closed") else status)
    if status == "closed":
        await move_event(client, expo.organizer, expo.event_id, "close")
    r = await client.post(
        f"/api/v1/events/{expo.event_id}/{action}", headers=expo.organizer.headers
    )
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "event_status_conflict"
    assert status in error["message"]
    assert set(error["details"]["possible_actions"]) <= {"publish", "go-live", "close"}
    assert error["details"]["status"] == status
    event = await db.get(Event, expo.event_id)
    assert event is not None
    assert event.status == status


async def test_only_the_organizer_moves_the_status(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    other_organizer = await register(client, kind="organizer")
    for account in (supplier, other_organizer):
        r = await client.post(
            f"/api/v1/events/{expo.event_id}/go-live", headers=account.headers
        )
        # The event is public, so it is not hidden: the action is refused.
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "organizer_required"
    r = await client.post(f"/api/v1/events/{expo.event_id}/go-live")
    assert r.status_code == 401


async def test_a_member_of_the_organizer_can_act_too(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    organizer = await register(client, kind="organizer")
    event = await create_event(client, organizer)
    colleague = await add_colleague(client, db, organizer)
    r = await client.post(f"/api/v1/events/{event['id']}/publish", headers=colleague.headers)
    assert r.status_code == 200, r.text


async def test_concurrent_status_changes_succeed_once(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    organizer = await register(client, kind="organizer")
    event = await create_event(client, organizer)
    results = await asyncio.gather(
        *[
            client.post(f"/api/v1/events/{event['id']}/publish", headers=organizer.headers)
            for _ in range(4)
        ]
    )
    assert sorted(r.status_code for r in results) == [200, 409, 409, 409]
    published = await db.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "event.published")
    )
    assert published == 1


async def test_organizer_edits_the_event_until_it_is_closed(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client, status="live")
    url = f"/api/v1/events/{expo.event_id}"
    r = await client.patch(
        url,
        json={"title": "Fuqing Seafood Online Expo 2031", "ends_at": "2031-05-20T18:00:00+08:00"},
        headers=expo.organizer.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Fuqing Seafood Online Expo 2031"
    assert r.json()["ends_at"].startswith("2031-05-20T10:00:00")
    assert r.json()["updated_at"] is not None

    await move_event(client, expo.organizer, expo.event_id, "close")
    r = await client.patch(url, json={"title": "Too late"}, headers=expo.organizer.headers)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "event_closed"
    event = await db.get(Event, expo.event_id)
    assert event is not None
    assert event.title == "Fuqing Seafood Online Expo 2031"


async def test_edit_checks_the_schedule_against_the_stored_values(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    organizer = await register(client, kind="organizer")
    event = await create_event(client, organizer, title="Unchanged")
    r = await client.patch(
        f"/api/v1/events/{event['id']}",
        # Only ends_at sent: before the stored start.
        json={"title": "Changed", "ends_at": "2031-05-01T00:00:00+00:00"},
        headers=organizer.headers,
    )
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["type"] == "ends_before_starts"
    assert error["details"][0]["loc"] == ["body", "ends_at"]
    stored = await db.get(Event, event["id"])
    assert stored is not None
    assert stored.title == "Unchanged"


@pytest.mark.parametrize(
    "body",
    [
        {"status": "live"},
        {"organizer_id": 99},
        {"title": None},
        {"time_zone": "Nowhere/Town"},
        {"starts_at": "2031-05-10T09:00:00+08:00", "ends_at": "2031-05-09T09:00:00+08:00"},
    ],
)
async def test_edit_refuses_unknown_null_and_invalid_fields(
    client: httpx.AsyncClient, db: AsyncSession, body: dict[str, object]
) -> None:
    organizer = await register(client, kind="organizer")
    event = await create_event(client, organizer, title="Stable")
    r = await client.patch(
        f"/api/v1/events/{event['id']}", json=body, headers=organizer.headers
    )
    assert r.status_code == 422, r.text
    stored = await db.get(Event, event["id"])
    assert stored is not None
    assert (stored.title, stored.status) == ("Stable", "draft")


async def test_another_organizer_cannot_edit_a_public_event(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    other = await register(client, kind="organizer")
    r = await client.patch(
        f"/api/v1/events/{expo.event_id}", json={"title": "Hijacked"}, headers=other.headers
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "organizer_required"
    public = await client.get(f"/api/v1/events/{expo.event_id}")
    assert public.json()["title"] != "Hijacked"


async def test_missing_event_is_404(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/events/999999")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "event_not_found"
    # Beyond what an id column holds: refused before reaching the database.
    r = await client.get(f"/api/v1/events/{2**31}")
    assert r.status_code == 422
