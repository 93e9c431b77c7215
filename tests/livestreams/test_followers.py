"""Following a show ("Remind me"): followers are told when it goes live."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from app.models import LivestreamFollower
from tests.factories import apply_for_booth, count_rows, open_expo, register
from tests.livestreams.helpers import API, EventLog, insert_show, live_show_setup, start_show
from tests.negotiations.test_send_cost import statements, verbs


async def test_followers_are_notified_when_the_show_starts(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client, live=False)
    other_buyer = await register(client, kind="buyer")
    quitter = await register(client, kind="buyer")
    url = f"{API}/livestreams/{s.show_id}/follow"
    for account in (s.buyer, other_buyer, quitter):
        assert (await client.put(url, headers=account.headers)).status_code == 204
    assert (await client.put(url, headers=s.buyer.headers)).status_code == 204  # again: once
    assert (await client.delete(url, headers=quitter.headers)).status_code == 204
    assert await count_rows(app, LivestreamFollower) == 2
    shown = await client.get(f"{API}/livestreams/{s.show_id}", headers=s.buyer.headers)
    assert shown.json()["following"] is True

    with EventLog(app) as log:
        await start_show(client, s.host, s.show_id)
    expected = {
        "kind": "livestream.live", "livestream_id": s.show_id, "event_id": s.event_id,
        "booth_id": s.booth_id, "title": s.show["title"], "title_zh": s.show["title_zh"],
    }
    for account in (s.buyer, other_buyer):
        assert [e.data for e in log.on(f"user:{account.user_id}", "notification")] == [
            expected
        ]
    assert log.on(f"user:{quitter.user_id}") == []
    assert log.on(f"user:{s.host.user_id}") == []


async def test_following_needs_a_sign_in_and_a_show_one_may_see(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client, live=False)
    assert (await client.put(f"{API}/livestreams/{s.show_id}/follow")).status_code == 401
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    hidden = await insert_show(app, booth)
    response = await client.put(f"{API}/livestreams/{hidden}/follow", headers=s.buyer.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "livestream_not_found"
    assert await count_rows(app, LivestreamFollower) == 0


async def test_unfollowing_a_show_not_followed_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    s = await live_show_setup(client, live=False)
    response = await client.delete(f"{API}/livestreams/{s.show_id}/follow",
                                   headers=s.buyer.headers)
    assert response.status_code == 204


async def _start_statements(
    client: httpx.AsyncClient, app: FastAPI, followers: int
) -> list[str]:
    """What starting a show with this many followers costs the database, by statement."""
    s = await live_show_setup(client, live=False)
    for _ in range(followers):
        fan = await register(client, kind="buyer")
        response = await client.put(f"{API}/livestreams/{s.show_id}/follow",
                                    headers=fan.headers)
        assert response.status_code == 204
    with statements(app.state.engine) as seen, EventLog(app) as log:
        await start_show(client, s.host, s.show_id)
    assert len([e for e in log.events if e.topic.startswith("user:")]) == followers
    # Only the topic log's statements: the app's background drivers share the engine.
    return [v for v in verbs(seen) if "topic_" in v]


async def test_starting_costs_the_same_with_one_follower_or_many(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """The followers' notifications are written together: a show with thousands of followers
    starts as fast as one with a single follower (docs/benchmarks.md, "Starting a show")."""
    one = await _start_statements(client, app, 1)
    many = await _start_statements(client, app, 12)
    assert one == many == ["INSERT topic_sequences", "INSERT topic_events"]
