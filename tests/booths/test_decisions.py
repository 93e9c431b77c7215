from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEntry, Booth, OutboxEmail
from tests.factories import add_colleague, apply_for_booth, move_event, open_expo, register


async def _stored(db: AsyncSession, booth_id: int) -> Booth:
    db.expire_all()
    booth = await db.get(Booth, booth_id)
    assert booth is not None
    return booth


async def test_organizer_approves_an_application(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier", organization_name="Fuqing Ocean Foods")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    r = await client.post(f"/api/v1/booths/{booth['id']}/approve", headers=expo.organizer.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved"
    assert r.json()["decided_at"] is not None
    stored = await _stored(db, booth["id"])
    assert stored.decided_by_id == expo.organizer.user_id
    assert stored.rejection_reason is None

    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "booth.approved"))
    assert entry is not None
    assert (entry.actor_user_id, entry.subject_id) == (expo.organizer.user_id, str(booth["id"]))
    emails = list(
        await db.scalars(select(OutboxEmail).where(OutboxEmail.to_address == supplier.email))
    )
    assert len(emails) == 1
    assert "approved" in emails[0].subject
    assert "Fuqing Ocean Foods" in emails[0].body_text


async def test_organizer_rejects_with_a_reason_the_exhibitor_receives(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    reason = "Only processors with an EU export number can exhibit in this hall."
    r = await client.post(
        f"/api/v1/booths/{booth['id']}/reject", json={"reason": f"  {reason} "},
        headers=expo.organizer.headers,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["rejection_reason"]) == ("rejected", reason)
    # The exhibitor sees the reason on its booth.
    own = await client.get(f"/api/v1/booths/{booth['id']}", headers=supplier.headers)
    assert own.json()["rejection_reason"] == reason
    email = await db.scalar(select(OutboxEmail).where(OutboxEmail.to_address == supplier.email))
    assert email is not None
    assert reason in email.body_text
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "booth.rejected"))
    assert entry is not None
    assert entry.details["reason"] == reason


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 2001},
                                  {"reason": "No", "status": "approved"}])
async def test_rejecting_needs_a_reason(
    client: httpx.AsyncClient, db: AsyncSession, body: dict[str, object]
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    r = await client.post(
        f"/api/v1/booths/{booth['id']}/reject", json=body, headers=expo.organizer.headers
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
    assert (await _stored(db, booth["id"])).status == "applied"
    assert await db.scalar(select(func.count()).select_from(OutboxEmail)) == 0


async def test_the_exhibitor_cannot_decide_on_its_own_application(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    approve = await client.post(f"/api/v1/booths/{booth['id']}/approve", headers=supplier.headers)
    assert approve.status_code == 403
    assert approve.json()["error"]["code"] == "organizer_required"
    reject = await client.post(
        f"/api/v1/booths/{booth['id']}/reject", json={"reason": "no"}, headers=supplier.headers
    )
    assert reject.status_code == 403
    assert (await _stored(db, booth["id"])).status == "applied"


@pytest.mark.parametrize("kind", ["supplier", "buyer", "organizer"])
async def test_strangers_cannot_decide_and_do_not_learn_the_booth_exists(
    client: httpx.AsyncClient, db: AsyncSession, kind: str
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    stranger = await register(client, kind=kind)
    r = await client.post(f"/api/v1/booths/{booth['id']}/approve", headers=stranger.headers)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "booth_not_found"
    assert (await _stored(db, booth["id"])).status == "applied"
    anonymous = await client.post(f"/api/v1/booths/{booth['id']}/approve")
    assert anonymous.status_code == 401


async def test_a_plain_member_of_the_organizer_can_decide(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    colleague = await add_colleague(client, db, expo.organizer)
    r = await client.post(f"/api/v1/booths/{booth['id']}/approve", headers=colleague.headers)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("first", "second"),
    [("approve", "approve"), ("approve", "reject"), ("reject", "approve"), ("reject", "reject")],
)
async def test_a_decision_is_final(
    client: httpx.AsyncClient, db: AsyncSession, first: str, second: str
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    url = f"/api/v1/booths/{booth['id']}"
    done = await client.post(f"{url}/{first}", json={"reason": "Incomplete"},
                             headers=expo.organizer.headers)
    assert done.status_code == 200, done.text
    status = done.json()["status"]
    again = await client.post(f"{url}/{second}", json={"reason": "Changed my mind"},
                              headers=expo.organizer.headers)
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "booth_status_conflict"
    assert status in error["message"]
    assert error["details"] == {"status": status, "allowed_from": ["applied"]}
    assert (await _stored(db, booth["id"])).status == status
    assert await db.scalar(select(func.count()).select_from(OutboxEmail)) == 1


async def test_racing_decisions_make_one_decision(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    url = f"/api/v1/booths/{booth['id']}"
    results = await asyncio.gather(
        *[
            client.post(f"{url}/approve", headers=expo.organizer.headers)
            if i % 2 == 0
            else client.post(f"{url}/reject", json={"reason": "Late"},
                             headers=expo.organizer.headers)
            for i in range(6)
        ]
    )
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 409, 409, 409, 409, 409], [r.text for r in results]
    winner = next(r.json()["status"] for r in results if r.status_code == 200)
    assert (await _stored(db, booth["id"])).status == winner
    decisions = await db.scalar(
        select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action.in_(["booth.approved", "booth.rejected"])
        )
    )
    assert decisions == 1
    assert await db.scalar(select(func.count()).select_from(OutboxEmail)) == 1


async def test_no_decisions_once_the_event_is_closed(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    await move_event(client, expo.organizer, expo.event_id, "close")
    r = await client.post(f"/api/v1/booths/{booth['id']}/approve", headers=expo.organizer.headers)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "event_closed"
    assert (await _stored(db, booth["id"])).status == "applied"


async def test_missing_booth_is_404(client: httpx.AsyncClient) -> None:
    organizer = await register(client, kind="organizer")
    r = await client.post("/api/v1/booths/999999/approve", headers=organizer.headers)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "booth_not_found"
