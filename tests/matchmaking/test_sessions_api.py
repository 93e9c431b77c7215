"""Matchmaking sessions: only the event's organizer creates and edits them; slots are
derived from local windows in the event's zone; the status decides what is allowed."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import move_event, open_expo, register
from tests.matchmaking.helpers import (
    create_session,
    post_session,
    session_body,
    setup,
    zoned_expo,
)


async def test_organizer_creates_a_session_whose_slots_are_in_the_events_zone(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    created = await create_session(
        client, expo, breaks=[{"start": "10:30", "end": "10:45"}], capacity=12
    )
    assert created["status"] == "registration"
    assert created["time_zone"] == "Asia/Shanghai"
    assert created["capacity"] == 12
    starts = [s["starts_at"] for s in created["slots"]]
    assert starts == [
        "2031-05-12T09:00:00+08:00", "2031-05-12T09:30:00+08:00",
        "2031-05-12T10:00:00+08:00", "2031-05-12T10:45:00+08:00",
        "2031-05-12T11:15:00+08:00",
    ]
    assert created["windows"] == [{"date": "2031-05-12", "start": "09:00:00",
                                   "end": "12:00:00"}]
    assert "register" in created["allowed_actions"]
    listed = await client.get(f"/api/v1/events/{expo.event_id}/matchmaking-sessions")
    assert [s["id"] for s in listed.json()["items"]] == [created["id"]]


async def test_only_the_organizer_creates_sessions(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    other_organizer = await register(client, kind="organizer")
    buyer = await register(client, kind="buyer")
    for account in (other_organizer, buyer):
        response = await client.post(
            f"/api/v1/events/{expo.event_id}/matchmaking-sessions", json=session_body(),
            headers=account.headers,
        )
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "organizer_required"


async def test_a_draft_events_sessions_do_not_exist_for_others(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client, status="draft")
    created = await create_session(client, expo)
    stranger = await register(client, kind="buyer")
    for url in (f"/api/v1/matchmaking-sessions/{created['id']}",
                f"/api/v1/events/{expo.event_id}/matchmaking-sessions"):
        response = await client.get(url, headers=stranger.headers)
        assert response.status_code == 404, url
    patched = await client.patch(f"/api/v1/matchmaking-sessions/{created['id']}",
                                 json={"title": "Mine now"}, headers=stranger.headers)
    assert patched.status_code == 404
    assert patched.json()["error"]["code"] == "matchmaking_session_not_found"


async def test_a_visible_session_is_read_only_for_non_organizers(
    client: httpx.AsyncClient,
) -> None:
    s = await setup(client)
    buyer = await register(client, kind="buyer")
    assert (await client.get(s.url, headers=buyer.headers)).status_code == 200
    for method, url, body in (
        ("PATCH", s.url, {"title": "Hijacked"}),
        ("POST", f"{s.url}/schedule", None),
        ("POST", f"{s.url}/go-live", None),
        ("GET", f"{s.url}/participants", None),
    ):
        response = await client.request(method, url, json=body, headers=buyer.headers)
        assert response.status_code == 403, (method, url, response.text)
        assert response.json()["error"]["code"] == "organizer_required"


async def test_timing_problems_have_their_own_codes(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    url = f"/api/v1/events/{expo.event_id}/matchmaking-sessions"
    cases: dict[str, dict[str, Any]] = {
        "no_slots": {"windows": [{"date": "2031-05-12", "start": "09:00", "end": "09:20"}]},
        "window_outside_event": {
            "windows": [{"date": "2031-06-12", "start": "09:00", "end": "12:00"}]},
        "deadline_after_start": {"registration_deadline": "2031-05-12T10:00:00+08:00"},
        "validation_error": {"windows": [{"date": "2031-05-12", "start": "12:00",
                                          "end": "09:00"}]},
    }
    for code, overrides in cases.items():
        response = await client.post(url, json=session_body(**overrides),
                                     headers=expo.organizer.headers)
        assert response.status_code == 422, (code, response.text)
        assert response.json()["error"]["code"] == code


async def test_a_local_time_the_clocks_skip_is_refused(client: httpx.AsyncClient) -> None:
    expo = await zoned_expo(client, "America/New_York", "2031-03-08T00:00:00-05:00",
                            "2031-03-10T00:00:00-04:00")
    response = await post_session(
        client, expo, windows=[{"date": "2031-03-09", "start": "02:30", "end": "05:00"}],
        registration_deadline="2031-03-08T12:00:00-05:00")
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "nonexistent_local_time"


async def test_a_session_on_the_fall_back_night_has_its_real_slots(
    client: httpx.AsyncClient,
) -> None:
    expo = await zoned_expo(client, "America/New_York", "2031-11-01T00:00:00-04:00",
                            "2031-11-03T00:00:00-05:00")
    response = await post_session(
        client, expo, windows=[{"date": "2031-11-02", "start": "00:00", "end": "04:00"}],
        registration_deadline="2031-11-01T12:00:00-04:00")
    assert response.status_code == 201, response.text
    slots = response.json()["slots"]
    assert len(slots) == 10  # five real hours
    assert slots[2]["starts_at"] == "2031-11-02T01:00:00-04:00"
    assert slots[4]["starts_at"] == "2031-11-02T01:00:00-05:00"


async def test_editing_the_windows_recomputes_the_slots(client: httpx.AsyncClient) -> None:
    s = await setup(client)
    response = await client.patch(
        s.url, json={"slot_minutes": 60, "capacity": None}, headers=s.organizer.headers
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["slots"]) == 3
    assert response.json()["capacity"] is None
    refused = await client.patch(s.url, json={"slot_minutes": None},
                                 headers=s.organizer.headers)
    assert refused.status_code == 422


async def test_status_conflicts_name_the_allowed_actions(client: httpx.AsyncClient) -> None:
    s = await setup(client)
    response = await client.post(f"{s.url}/go-live", headers=s.organizer.headers)
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "matchmaking_status_conflict"
    assert error["details"]["status"] == "registration"
    assert "register" in error["details"]["allowed_actions"]
    early = await client.post(f"{s.url}/schedule", headers=s.organizer.headers)
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "matchmaking_status_conflict"


async def test_sessions_cannot_be_added_to_a_closed_event(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    await move_event(client, expo.organizer, expo.event_id, "close")
    response = await client.post(
        f"/api/v1/events/{expo.event_id}/matchmaking-sessions", json=session_body(),
        headers=expo.organizer.headers,
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "event_closed"
