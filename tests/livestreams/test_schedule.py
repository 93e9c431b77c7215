"""The event's schedule of shows: live first, then upcoming; only what the viewer may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from tests.factories import Account, apply_for_booth, approved_booth, open_expo, register
from tests.livestreams.helpers import API, create_show, end_show, insert_show, start_show


def _ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [show["id"] for show in response.json()["items"]]


async def test_live_shows_come_first_then_upcoming_by_start(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    host_a, booth_a = await approved_booth(client, expo)
    host_b, booth_b = await approved_booth(client, expo)
    now = datetime.now(UTC)

    async def show(host: Account, booth: dict[str, Any], days: int) -> int:
        made = await create_show(client, host, booth["id"],
                                 scheduled_start=(now + timedelta(days=days)).isoformat())
        return int(made["id"])

    later = await show(host_a, booth_a, 3)
    sooner = await show(host_b, booth_b, 1)
    live = await show(host_a, booth_a, 5)
    over = await show(host_b, booth_b, 2)
    await start_show(client, host_a, live)
    await start_show(client, host_b, over)
    await end_show(client, host_b, over)
    url = f"{API}/events/{expo.event_id}/livestreams"
    assert _ids(await client.get(url)) == [live, sooner, later, over]
    assert _ids(await client.get(url, params={"when": "upcoming"})) == [sooner, later]
    assert _ids(await client.get(url, params={"when": "live"})) == [live]
    assert _ids(await client.get(url, params={"when": "ended"})) == [over]
    assert _ids(await client.get(url, params={"limit": 2})) == [live, sooner]
    assert (await client.get(url, params={"when": "soon"})).status_code == 422


async def test_shows_of_booths_not_approved_are_hidden_from_others(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    expo = await open_expo(client)
    host, booth = await approved_booth(client, expo)
    public = (await create_show(client, host, booth["id"]))["id"]
    applicant = await register(client, kind="supplier")
    applied = await apply_for_booth(client, applicant, expo.event_id, expo.hall_id)
    hidden = await insert_show(app, applied, scheduled_start=datetime.now(UTC))
    url = f"{API}/events/{expo.event_id}/livestreams"
    buyer = await register(client, kind="buyer")
    for headers in ({}, buyer.headers, host.headers):
        assert _ids(await client.get(url, headers=headers)) == [public]
    # The applicant's own show, and the organizer who reviews the booths, are shown it.
    assert _ids(await client.get(url, headers=applicant.headers)) == [hidden, public]
    assert _ids(await client.get(url, headers=expo.organizer.headers)) == [hidden, public]


async def test_the_schedule_says_what_the_viewer_is_to_each_show(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    host, booth = await approved_booth(client, expo)
    show = await create_show(client, host, booth["id"])
    buyer = await register(client, kind="buyer")
    await client.put(f"{API}/livestreams/{show['id']}/follow", headers=buyer.headers)
    url = f"{API}/events/{expo.event_id}/livestreams"
    seen = {}
    for name, account in (("host", host), ("buyer", buyer), ("organizer", expo.organizer)):
        item = (await client.get(url, headers=account.headers)).json()["items"][0]
        seen[name] = (item["you_host"], item["you_moderate"], item["following"])
    assert seen == {
        "host": (True, True, False),
        "buyer": (False, False, True),
        "organizer": (False, True, False),
    }


async def test_a_draft_events_schedule_is_not_found(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client, status="draft")
    url = f"{API}/events/{expo.event_id}/livestreams"
    response = await client.get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "event_not_found"
    assert (await client.get(url, headers=expo.organizer.headers)).status_code == 200
