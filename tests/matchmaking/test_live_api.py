"""The live day over HTTP: check-in and no-shows, re-matches, ratings, broadcasts, and who
may do each. Time is set on the live clock, never waited for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Meeting, TopicEvent
from tests.factories import register
from tests.matchmaking.live_helpers import (
    GRACE,
    SLOT,
    SLOT0,
    SetClock,
    live_session,
    meeting_url,
    set_clock,
)


@pytest.fixture
def clock() -> Iterator[SetClock]:
    yield from set_clock()


async def _status(db: AsyncSession, meeting_id: int) -> str:
    row = await db.scalar(select(Meeting.status).where(Meeting.id == meeting_id)
                          .execution_options(populate_existing=True))
    return str(row)


async def _offers(db: AsyncSession, user_id: int) -> list[dict[str, object]]:
    rows = await db.scalars(select(TopicEvent.payload).where(
        TopicEvent.topic == f"user:{user_id}", TopicEvent.event == "notification"))
    return [p for p in rows if p.get("kind") == "meeting.rematch_offer"]


async def test_both_check_in_and_the_meeting_runs_then_ends(
    client: httpx.AsyncClient, app: FastAPI, clock: SetClock, db: AsyncSession
) -> None:
    live = await live_session(client)
    url = meeting_url(live.meeting_id)
    clock.at(SLOT0 - timedelta(minutes=30))
    early = await client.post(f"{url}/check-in", headers=live.buyer.headers)
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "check_in_not_open"

    clock.at(SLOT0 - timedelta(minutes=2))
    first = await client.post(f"{url}/check-in", headers=live.buyer.headers)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "checked_in"
    assert first.json()["you_checked_in"] is True
    again = await client.post(f"{url}/check-in", headers=live.buyer.headers)
    assert again.status_code == 200
    second = await client.post(f"{url}/check-in", headers=live.supplier.headers)
    assert second.json()["status"] == "checked_in"  # the slot has not begun

    clock.at(SLOT0)
    await app.state.matchmaking_live.tick()
    assert await _status(db, live.meeting_id) == "in_progress"
    clock.at(SLOT0 + SLOT)
    await app.state.matchmaking_live.tick()
    assert await _status(db, live.meeting_id) == "done"


async def test_late_check_in_after_grace_is_a_no_show_and_the_partner_gets_a_rematch_offer(
    client: httpx.AsyncClient, app: FastAPI, clock: SetClock, db: AsyncSession
) -> None:
    live = await live_session(client)
    url = meeting_url(live.meeting_id)
    clock.at(SLOT0 + timedelta(minutes=1))
    came = await client.post(f"{url}/check-in", headers=live.supplier.headers)
    assert came.status_code == 200, came.text

    clock.at(SLOT0 + GRACE + timedelta(seconds=1))
    late = await client.post(f"{url}/check-in", headers=live.buyer.headers)
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "meeting_no_show"
    await app.state.matchmaking_live.tick()
    await app.state.matchmaking_live.tick()  # every node sweeps: the second changes nothing
    assert await _status(db, live.meeting_id) == "no_show"
    still = await client.post(f"{url}/check-in", headers=live.buyer.headers)
    assert still.json()["error"]["code"] == "meeting_no_show"

    offers = await _offers(db, live.supplier.user_id)
    assert len(offers) == 1
    options = offers[0]["options"]
    assert isinstance(options, list)
    assert [o["partner"]["participant_id"] for o in options] == [live.other_buyer_participant]
    assert options[0]["slot_index"] == 1
    assert await _offers(db, live.buyer.user_id) == []  # the absent side is offered nothing

    listed = await client.get(f"{url}/rematch-options", headers=live.supplier.headers)
    assert [o["partner"]["participant_id"] for o in listed.json()] == [
        live.other_buyer_participant]
    refused = await client.post(f"{url}/rematch", json={"partner_id": live.other_buyer_participant},
                                headers=live.buyer.headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "rematch_not_offered"
    accepted = await client.post(f"{url}/rematch",
                                 json={"partner_id": live.other_buyer_participant},
                                 headers=live.supplier.headers)
    assert accepted.status_code == 201, accepted.text
    meeting = accepted.json()
    assert meeting["slot_index"] == 1
    assert meeting["buyer"]["participant_id"] == live.other_buyer_participant
    twice = await client.post(f"{url}/rematch", json={"partner_id": live.other_buyer_participant},
                              headers=live.supplier.headers)
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] in ("participant_busy", "pair_already_meets")


async def test_rating_is_stored_once_per_side(
    client: httpx.AsyncClient, app: FastAPI, clock: SetClock, db: AsyncSession
) -> None:
    live = await live_session(client)
    url = meeting_url(live.meeting_id)
    body = {"rating": 4, "outcome": "samples", "note": "Send 2 kg of samples"}
    not_yet = await client.post(f"{url}/rating", json=body, headers=live.buyer.headers)
    assert not_yet.status_code == 409
    assert not_yet.json()["error"]["code"] == "meeting_not_held"

    clock.at(SLOT0 + timedelta(minutes=1))
    for party in (live.buyer, live.supplier):
        assert (await client.post(f"{url}/check-in", headers=party.headers)).status_code == 200
    rated = await client.post(f"{url}/rating", json=body, headers=live.buyer.headers)
    assert rated.status_code == 200, rated.text
    assert rated.json()["your_rating"] == 4
    again = await client.post(f"{url}/rating", json={**body, "rating": 1},
                              headers=live.buyer.headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "meeting_already_rated"
    other_side = await client.post(f"{url}/rating", json={**body, "rating": 5},
                                   headers=live.supplier.headers)
    assert other_side.status_code == 200
    bad = await client.post(f"{url}/rating", json={**body, "rating": 6},
                            headers=live.supplier.headers)
    assert bad.status_code == 422
    row = await db.scalar(select(Meeting).where(Meeting.id == live.meeting_id)
                          .execution_options(populate_existing=True))
    assert row is not None
    assert (row.buyer_rating, row.supplier_rating) == (4, 5)
    assert row.buyer_outcome == "samples"
    assert row.buyer_note == "Send 2 kg of samples"


async def test_a_meeting_is_not_found_for_anyone_but_its_two_parties(
    client: httpx.AsyncClient, clock: SetClock
) -> None:
    live = await live_session(client)
    url = meeting_url(live.meeting_id)
    clock.at(SLOT0)
    outsider = await register(client, kind="buyer")
    for account in (outsider, live.other_buyer, live.s.organizer):
        for path in ("check-in", "rating", "negotiation"):
            body = {"rating": 3, "outcome": "no_fit"} if path == "rating" else None
            response = await client.post(f"{url}/{path}", json=body, headers=account.headers)
            assert response.status_code == 404, (path, response.text)
            assert response.json()["error"]["code"] == "meeting_not_found"


async def test_only_the_organizer_broadcasts_and_participants_read_them(
    client: httpx.AsyncClient, clock: SetClock
) -> None:
    live = await live_session(client)
    url = f"{live.s.url}/broadcasts"
    for account in (live.buyer, live.supplier):
        refused = await client.post(url, json={"body": "Hello all"}, headers=account.headers)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "organizer_required"
    sent = await client.post(url, json={"body": "Coffee in hall B at 10:30"},
                             headers=live.s.organizer.headers)
    assert sent.status_code == 201, sent.text
    listed = await client.get(url, headers=live.buyer.headers)
    assert [b["body"] for b in listed.json()] == ["Coffee in hall B at 10:30"]
    outsider = await register(client, kind="buyer")
    hidden = await client.get(url, headers=outsider.headers)
    assert hidden.status_code == 403


async def test_the_live_state_shows_the_clock_and_the_next_meeting(
    client: httpx.AsyncClient, clock: SetClock
) -> None:
    live = await live_session(client)
    clock.at(SLOT0 - timedelta(minutes=3))
    mine = (await client.get(f"{live.s.url}/live", headers=live.buyer.headers)).json()
    assert mine["clock"]["slot_index"] is None
    assert mine["clock"]["next_slot_index"] == 0
    assert mine["clock"]["now"] == clock.now.isoformat()
    assert mine["next_meeting"]["id"] == live.meeting_id
    assert mine["next_meeting"]["partner"]["participant_id"] == live.supplier_participant
    assert mine["stats"] is None
    console = (await client.get(f"{live.s.url}/live", headers=live.s.organizer.headers)).json()
    assert console["stats"]["totals"]["scheduled"] == 1
    assert console["stats"]["slots"][0]["counts"]["scheduled"] == 1


async def test_the_buyer_continues_a_meeting_as_a_negotiation(
    client: httpx.AsyncClient, clock: SetClock
) -> None:
    live = await live_session(client)
    url = meeting_url(live.meeting_id)
    supplier_side = await client.post(f"{url}/negotiation", json={"note": "x"},
                                      headers=live.supplier.headers)
    assert supplier_side.status_code == 403
    opened = await client.post(f"{url}/negotiation", json={"note": "Quote 20 t CFR please"},
                               headers=live.buyer.headers)
    assert opened.status_code == 200, opened.text
    negotiation = await client.get(f"/api/v1/negotiations/{opened.json()['negotiation_id']}"
                                   "/messages", headers=live.supplier.headers)
    assert negotiation.status_code == 200, negotiation.text
    bodies = [m["body"] for m in negotiation.json()["items"]]
    assert any("Matchmaking:" in b and "Quote 20 t CFR please" in b for b in bodies)
