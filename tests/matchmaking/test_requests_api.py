"""Meeting requests: sent to the other side, answered by the recipient, limited against
spam, expiring; must-meet marks by the organizer."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import MatchmakingSession, MeetingRequest, OutboxEmail, TopicEvent
from app.models.base import utcnow
from tests.factories import add_colleague, register
from tests.matchmaking.helpers import (
    Setup,
    register_buyer,
    register_supplier,
    request_meeting,
    setup,
)


async def pair(client: httpx.AsyncClient) -> Setup:
    s = await setup(client)
    await register_buyer(s)
    await register_supplier(s)
    return s


async def test_a_request_is_sent_notified_and_accepted(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await pair(client)
    (buyer, _), (supplier, supplied) = s.buyers[0], s.suppliers[0]
    sent = await request_meeting(s, buyer, supplied["id"])
    assert sent.status_code == 201, sent.text
    request = sent.json()
    assert request["status"] == "pending"
    assert request["direction"] == "outgoing"
    # The deadline is years away: the session's 48-hour lifetime decides the expiry.
    assert request["expires_at"] > request["created_at"]
    assert request["recipient"]["participant_id"] == supplied["id"]
    notified = await db.scalar(select(TopicEvent).where(
        TopicEvent.topic == f"user:{supplier.user_id}", TopicEvent.event == "notification"))
    assert notified is not None
    assert notified.payload["kind"] == "meeting_request.received"
    assert await db.scalar(select(OutboxEmail.id).where(OutboxEmail.to_address == supplier.email))
    incoming = await client.get(f"{s.url}/meeting-requests?direction=incoming",
                                headers=supplier.headers)
    assert [r["id"] for r in incoming.json()["items"]] == [request["id"]]
    own = await client.post(f"/api/v1/meeting-requests/{request['id']}/accept",
                            headers=buyer.headers)
    assert own.status_code == 403
    assert own.json()["error"]["code"] == "not_request_recipient"
    accepted = await client.post(f"/api/v1/meeting-requests/{request['id']}/accept",
                                 headers=supplier.headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    again = await client.post(f"/api/v1/meeting-requests/{request['id']}/decline",
                              headers=supplier.headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "meeting_request_not_pending"
    recs = await client.get(f"{s.url}/recommendations", headers=buyer.headers)
    first = recs.json()["items"][0]
    assert first["request_status"] == "accepted"
    assert first["reasons"][0]["key"] == "request_accepted"


async def test_a_request_exists_only_for_its_two_organizations(
    client: httpx.AsyncClient,
) -> None:
    s = await pair(client)
    (buyer, _), (_supplier, supplied) = s.buyers[0], s.suppliers[0]
    request = (await request_meeting(s, buyer, supplied["id"])).json()
    third, _ = await register_buyer(s)
    stranger = await register(client, kind="supplier")
    for account in (third, stranger, s.organizer):
        response = await client.post(f"/api/v1/meeting-requests/{request['id']}/accept",
                                     headers=account.headers)
        assert response.status_code == 404, response.text
        assert response.json()["error"]["code"] == "meeting_request_not_found"
    listed = await client.get(f"{s.url}/meeting-requests", headers=third.headers)
    assert listed.json()["items"] == []


async def test_duplicates_and_same_side_requests_are_refused(
    client: httpx.AsyncClient,
) -> None:
    s = await pair(client)
    (buyer, bought), (supplier, supplied) = s.buyers[0], s.suppliers[0]
    assert (await request_meeting(s, buyer, supplied["id"])).status_code == 201
    for sender, recipient in ((buyer, supplied["id"]), (supplier, bought["id"])):
        response = await request_meeting(s, sender, recipient)
        assert response.status_code == 409, response.text
        assert response.json()["error"]["code"] == "meeting_request_exists"
    other, other_buyer = await register_buyer(s)
    response = await request_meeting(s, other, bought["id"])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "same_side"
    missing = await request_meeting(s, other, 999999)
    assert missing.status_code == 404


async def test_the_pending_quota_has_a_stable_code(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await setup(client, request_quota=2)
    buyer, _ = await register_buyer(s)
    suppliers = [await register_supplier(s) for _ in range(3)]
    for _, supplied in suppliers[:2]:
        assert (await request_meeting(s, buyer, supplied["id"])).status_code == 201
    response = await request_meeting(s, buyer, suppliers[2][1]["id"])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "meeting_request_quota"
    assert response.json()["error"]["details"] == {"quota": 2}
    # Cancelling one frees a place.
    first = (await client.get(f"{s.url}/meeting-requests", headers=buyer.headers)).json()
    cancelled = await client.post(
        f"/api/v1/meeting-requests/{first['items'][0]['id']}/cancel", headers=buyer.headers)
    assert cancelled.json()["status"] == "cancelled"
    assert (await request_meeting(s, buyer, suppliers[2][1]["id"])).status_code == 201


async def test_the_daily_cap_answers_429_with_retry_after(client: httpx.AsyncClient) -> None:
    s = await setup(client, daily_request_cap=1)
    buyer, _ = await register_buyer(s)
    first, second = [await register_supplier(s) for _ in range(2)]
    sent = await request_meeting(s, buyer, first[1]["id"])
    await client.post(f"/api/v1/meeting-requests/{sent.json()['id']}/cancel",
                      headers=buyer.headers)
    response = await request_meeting(s, buyer, second[1]["id"])
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "meeting_request_daily_cap"
    assert 0 < int(response.headers["Retry-After"]) <= 24 * 3600


async def test_an_expired_request_cannot_be_accepted(
    client: httpx.AsyncClient, app: FastAPI, db: AsyncSession
) -> None:
    s = await pair(client)
    (buyer, _), (supplier, supplied) = s.buyers[0], s.suppliers[0]
    request = (await request_meeting(s, buyer, supplied["id"])).json()
    await db.execute(update(MeetingRequest).where(MeetingRequest.id == request["id"])
                     .values(expires_at=utcnow() - timedelta(minutes=1)))
    await db.commit()
    response = await client.post(f"/api/v1/meeting-requests/{request['id']}/accept",
                                 headers=supplier.headers)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "meeting_request_expired"
    listed = await client.get(f"{s.url}/meeting-requests", headers=buyer.headers)
    assert listed.json()["items"][0]["status"] == "expired"
    # An expired request no longer blocks the pair.
    assert (await request_meeting(s, buyer, supplied["id"])).status_code == 201


async def test_requests_never_outlive_the_registration_deadline(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await pair(client)
    (buyer, _), (_supplier, supplied) = s.buyers[0], s.suppliers[0]
    deadline = utcnow() + timedelta(hours=3)
    await db.execute(update(MatchmakingSession).where(MatchmakingSession.id == s.id)
                     .values(registration_deadline=deadline))
    await db.commit()
    request = (await request_meeting(s, buyer, supplied["id"])).json()
    assert request["expires_at"].startswith(deadline.isoformat()[:19])


async def test_a_colleague_of_the_recipient_may_answer(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await pair(client)
    (buyer, _), (supplier, supplied) = s.buyers[0], s.suppliers[0]
    colleague = await add_colleague(client, db, supplier)
    request = (await request_meeting(s, buyer, supplied["id"])).json()
    declined = await client.post(f"/api/v1/meeting-requests/{request['id']}/decline",
                                 headers=colleague.headers)
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"


async def test_only_the_organizer_marks_must_meets(client: httpx.AsyncClient) -> None:
    s = await pair(client)
    (buyer, bought), (_supplier, supplied) = s.buyers[0], s.suppliers[0]
    body = {"buyer_id": bought["id"], "supplier_id": supplied["id"]}
    refused = await client.post(f"{s.url}/must-meets", json=body, headers=buyer.headers)
    assert refused.status_code == 403
    made = await client.post(f"{s.url}/must-meets", json=body, headers=s.organizer.headers)
    assert made.status_code == 201, made.text
    again = await client.post(f"{s.url}/must-meets", json=body, headers=s.organizer.headers)
    assert again.status_code == 200
    assert again.json()["id"] == made.json()["id"]
    swapped = await client.post(
        f"{s.url}/must-meets", json={"buyer_id": supplied["id"], "supplier_id": bought["id"]},
        headers=s.organizer.headers)
    assert swapped.status_code == 422
    recs = await client.get(f"{s.url}/recommendations", headers=buyer.headers)
    assert recs.json()["items"][0]["must_meet"] is True
    deleted = await client.delete(f"{s.url}/must-meets/{made.json()['id']}",
                                  headers=s.organizer.headers)
    assert deleted.status_code == 204
