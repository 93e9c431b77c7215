"""Following a show ("Remind me"): followers are told when it goes live."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from app.models import LivestreamFollower
from tests.factories import apply_for_booth, count_rows, open_expo, register
from tests.livestreams.helpers import API, EventLog, insert_show, live_show_setup, start_show


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
