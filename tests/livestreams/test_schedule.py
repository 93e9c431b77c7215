"""The event's schedule of shows: live first, then upcoming; only what the viewer may see;
page by page with a cursor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx
from fastapi import FastAPI

from app.kit.pagination import decode_cursor, encode_cursor
from tests.factories import Account, apply_for_booth, approved_booth, open_expo, register
from tests.livestreams.helpers import (
    API,
    create_show,
    end_show,
    insert_show,
    start_show,
    walk,
)


def _ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [show["id"] for show in response.json()["items"]]


async def _show(
    client: httpx.AsyncClient, host: Account, booth: dict[str, Any], start: datetime
) -> int:
    return int((await create_show(client, host, booth["id"],
                                  scheduled_start=start.isoformat()))["id"])


async def test_live_shows_come_first_then_upcoming_by_start(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    host_a, booth_a = await approved_booth(client, expo)
    host_b, booth_b = await approved_booth(client, expo)
    day = timedelta(days=1)
    now = datetime.now(UTC)
    later = await _show(client, host_a, booth_a, now + 3 * day)
    sooner = await _show(client, host_b, booth_b, now + day)
    live = await _show(client, host_a, booth_a, now + 5 * day)
    over = await _show(client, host_b, booth_b, now + 2 * day)
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


def _walked_ids(items: list[dict[str, Any]]) -> list[int]:
    ids = [int(item["id"]) for item in items]
    assert len(ids) == len(set(ids)), "a show came twice"
    return ids


async def test_walking_the_schedule_page_by_page_lists_every_show_once_in_order(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    host, booth = await approved_booth(client, expo)
    show_at = partial(_show, client, host, booth)
    day = timedelta(days=1)
    soon = datetime.now(UTC) + day
    # Shows of every status at the same moment, and two scheduled ones at one moment: the
    # cursor must tell them apart by status, then by id.
    live_late, live_soon = await show_at(soon + 4 * day), await show_at(soon)
    upcoming_tied_1, upcoming_tied_2 = await show_at(soon + day), await show_at(soon + day)
    upcoming_late, upcoming_soon = await show_at(soon + 2 * day), await show_at(soon)
    ended_late, ended_soon = await show_at(soon + 3 * day), await show_at(soon)
    for show_id in (live_late, live_soon, ended_late, ended_soon):
        await start_show(client, host, show_id)
    for show_id in (ended_late, ended_soon):
        await end_show(client, host, show_id)
    url = f"{API}/events/{expo.event_id}/livestreams"
    upcoming = [upcoming_soon, upcoming_tied_1, upcoming_tied_2, upcoming_late]
    everything = [live_soon, live_late, *upcoming, ended_soon, ended_late]

    assert _ids(await client.get(url, params={"limit": 100})) == everything
    for limit in (1, 2, 3):
        assert _walked_ids(await walk(client, url, limit)) == everything
        assert _walked_ids(await walk(client, url, limit, when="upcoming")) == upcoming
    assert _walked_ids(await walk(client, url, 2, when="ended")) == [ended_soon, ended_late]


async def test_a_page_is_twenty_shows_unless_asked(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    expo = await open_expo(client)
    _host, booth = await approved_booth(client, expo)
    for _ in range(21):
        await insert_show(app, booth)
    url = f"{API}/events/{expo.event_id}/livestreams"
    first = (await client.get(url)).json()
    assert len(first["items"]) == 20
    rest = (await client.get(url, params={"cursor": first["next_cursor"]})).json()
    assert len(rest["items"]) == 1
    assert rest["next_cursor"] is None


async def test_shows_of_booths_not_approved_stay_hidden_on_every_page(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    expo = await open_expo(client)
    host, booth = await approved_booth(client, expo)
    day = datetime.now(UTC) + timedelta(days=1)
    public = [await _show(client, host, booth, day + timedelta(days=d)) for d in (0, 2)]
    applicant = await register(client, kind="supplier")
    applied = await apply_for_booth(client, applicant, expo.event_id, expo.hall_id)
    hidden_live = await insert_show(app, applied, status="live", started_at=day)
    hidden_between = await insert_show(app, applied, scheduled_start=day + timedelta(days=1))
    url = f"{API}/events/{expo.event_id}/livestreams"
    buyer = await register(client, kind="buyer")
    for headers in ({}, buyer.headers, host.headers):
        assert _walked_ids(await walk(client, url, 1, headers)) == public
    for account in (applicant, expo.organizer):
        assert _walked_ids(await walk(client, url, 1, account.headers)) == [
            hidden_live, public[0], hidden_between, public[1]
        ]


async def test_a_cursor_the_schedule_did_not_write_is_refused(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    host, booth = await approved_booth(client, expo)
    for _ in range(3):
        await create_show(client, host, booth["id"])
    url = f"{API}/events/{expo.event_id}/livestreams"
    written = (await client.get(url, params={"limit": 1})).json()["next_cursor"]
    rank, moment, last_id = decode_cursor(written)
    booth_cursor = (await client.get(f"{API}/booths/{booth['id']}/livestreams",
                                     params={"limit": 1})).json()["next_cursor"]
    refused = [
        "garbage",
        "not base64 at all!",
        encode_cursor([rank, moment]),  # a part missing
        booth_cursor,  # another list's cursor
        encode_cursor([9, moment, last_id]),  # no such status
        encode_cursor([True, moment, last_id]),
        encode_cursor([rank, moment.replace("+00:00", ""), last_id]),  # a time without zone
        encode_cursor([rank, "tomorrow", last_id]),
        encode_cursor([rank, moment, "x"]),
        encode_cursor([rank, moment, 10**30]),
        "e30",  # {} : JSON, but not a list
    ]
    for cursor in refused:
        response = await client.get(url, params={"cursor": cursor})
        assert response.status_code == 422, cursor
        assert response.json()["error"]["code"] == "invalid_cursor", cursor
    assert (await client.get(url, params={"cursor": written})).status_code == 200
    for limit in (0, 101, "many"):
        response = await client.get(url, params={"limit": limit})
        assert response.status_code == 422, limit
        assert response.json()["error"]["code"] == "validation_error"
