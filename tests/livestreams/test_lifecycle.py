"""A show's life: scheduled by its booth's members, started, ended, edited; who may not."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.kit.pagination import encode_cursor
from app.models import Livestream
from tests.factories import (
    add_colleague,
    apply_for_booth,
    approved_booth,
    count_rows,
    move_event,
    open_expo,
    register,
)
from tests.livestreams.helpers import (
    API,
    EventLog,
    audit_actions,
    create_show,
    end_show,
    insert_show,
    live_show_setup,
    show_body,
    start_show,
)


async def test_a_booth_member_schedules_a_show(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    host, booth = await approved_booth(client, expo)
    start = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    show = await create_show(client, host, booth["id"], scheduled_start=start.isoformat(),
                             recording_url="http://vod.example.com/rec/1.mp4")
    assert show["status"] == "scheduled"
    assert show["booth_id"] == booth["id"]
    assert show["event_id"] == expo.event_id
    assert show["supplier"]["id"] == host.organization_id
    assert datetime.fromisoformat(show["scheduled_start"]) == start
    assert show["recording_url"] == "http://vod.example.com/rec/1.mp4"
    assert show["pinned"] is None
    assert show["you_host"] is True
    assert show["you_moderate"] is True
    assert show["following"] is False
    public = await client.get(f"{API}/livestreams/{show['id']}")
    assert public.status_code == 200
    assert public.json()["you_host"] is False


async def test_only_the_booths_members_schedule_its_shows(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    expo = await open_expo(client)
    _host, booth = await approved_booth(client, expo)
    other_supplier = await register(client, kind="supplier")
    buyer = await register(client, kind="buyer")
    url = f"{API}/booths/{booth['id']}/livestreams"
    for account in (other_supplier, buyer, expo.organizer):
        response = await client.post(url, json=show_body(), headers=account.headers)
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "livestream_host_required"
    anonymous = await client.post(url, json=show_body())
    assert anonymous.status_code == 401
    assert await count_rows(app, Livestream) == 0


async def test_a_booth_not_yet_approved_cannot_schedule_a_show(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    url = f"{API}/booths/{booth['id']}/livestreams"
    own = await client.post(url, json=show_body(), headers=supplier.headers)
    assert own.status_code == 409
    assert own.json()["error"]["code"] == "booth_not_approved"
    # Another supplier does not even see the booth.
    stranger = await register(client, kind="supplier")
    other = await client.post(url, json=show_body(), headers=stranger.headers)
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "booth_not_found"
    assert await count_rows(app, Livestream) == 0


async def test_the_host_starts_and_ends_the_show(client: httpx.AsyncClient, app: FastAPI) -> None:
    s = await live_show_setup(client, live=False)
    topic = f"livestream:{s.show_id}"
    with EventLog(app) as log:
        started = await client.post(f"{API}/livestreams/{s.show_id}/start",
                                    headers=s.host.headers)
        assert started.status_code == 200, started.text
        assert started.json()["status"] == "live"
        assert started.json()["started_at"] is not None
        ended = await client.post(f"{API}/livestreams/{s.show_id}/end", headers=s.host.headers)
        assert ended.status_code == 200, ended.text
        assert ended.json()["status"] == "ended"
        assert ended.json()["ended_at"] is not None
    statuses = [e.data["status"] for e in log.on(topic, "status")]
    assert statuses == ["live", "ended"]
    assert log.on(topic, "status")[1].data["started_at"] == started.json()["started_at"]
    actions = await audit_actions(app, s.show_id)
    assert actions == ["livestream.scheduled", "livestream.started", "livestream.ended"]


async def test_a_colleague_of_the_host_may_start_the_show(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await live_show_setup(client, live=False)
    colleague = await add_colleague(client, db, s.host)
    show = await start_show(client, colleague, s.show_id)
    assert show["status"] == "live"


async def test_only_booth_members_start_or_end_a_show(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client, live=False)
    other_supplier = await register(client, kind="supplier")
    for action in ("start", "end"):
        url = f"{API}/livestreams/{s.show_id}/{action}"
        # The organizer moderates the show but does not host it.
        for account in (other_supplier, s.buyer, s.organizer):
            response = await client.post(url, headers=account.headers)
            assert response.status_code == 403, response.text
            assert response.json()["error"]["code"] == "livestream_host_required"
        assert (await client.post(url)).status_code == 401
    show = (await client.get(f"{API}/livestreams/{s.show_id}")).json()
    assert show["status"] == "scheduled"
    assert show["started_at"] is None
    assert await audit_actions(app, s.show_id) == ["livestream.scheduled"]


async def test_moves_the_status_does_not_allow_are_409(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client, live=False)
    base = f"{API}/livestreams/{s.show_id}"
    end_scheduled = await client.post(f"{base}/end", headers=s.host.headers)
    assert end_scheduled.status_code == 409
    assert end_scheduled.json()["error"]["code"] == "livestream_status_conflict"
    assert end_scheduled.json()["error"]["details"] == {"status": "scheduled"}
    await start_show(client, s.host, s.show_id)
    again = await client.post(f"{base}/start", headers=s.host.headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "livestream_status_conflict"
    assert again.json()["error"]["details"] == {"status": "live"}
    assert (await client.post(f"{base}/end", headers=s.host.headers)).status_code == 200
    for action in ("start", "end"):
        response = await client.post(f"{base}/{action}", headers=s.host.headers)
        assert response.status_code == 409
        assert response.json()["error"]["details"] == {"status": "ended"}


async def test_two_racing_starts_one_wins(client: httpx.AsyncClient, app: FastAPI) -> None:
    s = await live_show_setup(client, live=False)
    url = f"{API}/livestreams/{s.show_id}/start"
    with EventLog(app) as log:
        responses = await asyncio.gather(
            client.post(url, headers=s.host.headers), client.post(url, headers=s.host.headers)
        )
    assert sorted(r.status_code for r in responses) == [200, 409]
    assert len(log.on(f"livestream:{s.show_id}", "status")) == 1
    assert (await audit_actions(app, s.show_id)).count("livestream.started") == 1


async def test_the_host_edits_the_show(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client, live=False)
    url = f"{API}/livestreams/{s.show_id}"
    later = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    response = await client.patch(url, json={
        "title": "Grading day", "scheduled_start": later.isoformat(),
        "recording_url": "https://vod.example.com/grading.mp4",
    }, headers=s.host.headers)
    assert response.status_code == 200, response.text
    show = response.json()
    assert show["title"] == "Grading day"
    assert show["title_zh"] == s.show["title_zh"]
    assert datetime.fromisoformat(show["scheduled_start"]) == later
    cleared = await client.patch(url, json={"recording_url": None}, headers=s.host.headers)
    assert cleared.json()["recording_url"] is None
    null_title = await client.patch(url, json={"title": None}, headers=s.host.headers)
    assert null_title.status_code == 422


async def test_the_start_time_of_a_live_show_cannot_change(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client)
    url = f"{API}/livestreams/{s.show_id}"
    response = await client.patch(url, json={
        "title": "Not applied", "scheduled_start": datetime.now(UTC).isoformat(),
    }, headers=s.host.headers)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "livestream_status_conflict"
    show = (await client.get(url)).json()
    assert show["title"] == s.show["title"]  # nothing of the refused edit was kept
    assert show["scheduled_start"] == s.show["scheduled_start"]
    # Other fields may change during the show.
    title = await client.patch(url, json={"title": "Now live"}, headers=s.host.headers)
    assert title.status_code == 200
    assert title.json()["title"] == "Now live"


async def test_after_the_event_closes_the_host_still_adds_the_ended_shows_recording(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    upcoming = await create_show(client, s.host, s.booth_id)
    await end_show(client, s.host, s.show_id)
    await move_event(client, s.organizer, s.event_id, "close")
    url = f"{API}/livestreams/{s.show_id}"
    recording = "https://vod.example.com/shrimp-farm.mp4"

    # Anything else than the recording alone keeps the closed event's rule.
    mixed = await client.patch(url, json={"title": "Renamed", "recording_url": recording},
                               headers=s.host.headers)
    assert mixed.status_code == 409
    assert mixed.json()["error"]["code"] == "event_closed"
    bad = await client.patch(url, json={"recording_url": "javascript:alert(1)"},
                             headers=s.host.headers)
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_url"
    for account in (s.buyer, s.organizer):
        refused = await client.patch(url, json={"recording_url": recording},
                                     headers=account.headers)
        assert refused.status_code == 403
    assert (await client.get(url)).json()["recording_url"] is None  # nothing was kept

    added = await client.patch(url, json={"recording_url": recording}, headers=s.host.headers)
    assert added.status_code == 200, added.text
    assert added.json()["recording_url"] == recording
    shown = (await client.get(url)).json()
    assert (shown["recording_url"], shown["title"]) == (recording, s.show["title"])
    assert "livestream.updated" in await audit_actions(app, s.show_id)
    # A show that never took place is not "after the show".
    never = await client.patch(f"{API}/livestreams/{upcoming['id']}",
                               json={"recording_url": recording}, headers=s.host.headers)
    assert never.status_code == 409
    assert never.json()["error"]["code"] == "event_closed"


async def test_only_the_host_edits_the_show(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client, live=False)
    url = f"{API}/livestreams/{s.show_id}"
    for account in (s.buyer, s.organizer):
        response = await client.patch(url, json={"title": "Mine"}, headers=account.headers)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "livestream_host_required"
    assert (await client.patch(url, json={"title": "Mine"})).status_code == 401
    assert (await client.get(url)).json()["title"] == s.show["title"]


async def test_a_show_of_a_booth_others_cannot_see_is_404(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    show_id = await insert_show(app, booth)
    url = f"{API}/livestreams/{show_id}"
    stranger = await register(client, kind="supplier")
    buyer = await register(client, kind="buyer")
    for headers in ({}, buyer.headers, stranger.headers):
        response = await client.get(url, headers=headers)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "livestream_not_found"
    start = await client.post(f"{url}/start", headers=stranger.headers)
    assert start.status_code == 404
    pinned = await client.put(f"{url}/pin", json={"product_id": 1}, headers=stranger.headers)
    assert pinned.status_code == 404
    assert pinned.json()["error"]["code"] == "livestream_not_found"
    # The booth's two parties still see it.
    assert (await client.get(url, headers=supplier.headers)).status_code == 200
    assert (await client.get(url, headers=expo.organizer.headers)).status_code == 200


async def test_a_booth_lists_its_shows_page_by_page(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    host, booth = await approved_booth(client, expo)
    base = datetime.now(UTC) + timedelta(days=1)
    made = [
        await create_show(client, host, booth["id"], title=f"Show {i}",
                          scheduled_start=(base + timedelta(hours=i)).isoformat())
        for i in range(3)
    ]
    url = f"{API}/booths/{booth['id']}/livestreams"
    first = (await client.get(url, params={"limit": 2})).json()
    assert [s["id"] for s in first["items"]] == [made[2]["id"], made[1]["id"]]
    rest = (await client.get(url, params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert [s["id"] for s in rest["items"]] == [made[0]["id"]]
    assert rest["next_cursor"] is None
    bad = await client.get(url, params={"cursor": "nonsense"})
    assert bad.status_code == 422


async def test_made_up_cursors_and_edge_times_are_422(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client, live=False)
    url = f"{API}/booths/{s.booth_id}/livestreams"
    for values in (["2031-01-01T00:00:00", 1], ["0001-01-01T00:00:00+01:00", 1], [1], ["x", 1]):
        response = await client.get(url, params={"cursor": encode_cursor(values)})
        assert response.status_code == 422, values
        assert response.json()["error"]["code"] == "invalid_cursor"
    for when in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00", "1700000000"):
        response = await client.post(url, json=show_body(scheduled_start=when),
                                     headers=s.host.headers)
        assert response.status_code == 422, when
        patched = await client.patch(f"{API}/livestreams/{s.show_id}",
                                     json={"scheduled_start": when}, headers=s.host.headers)
        assert patched.status_code == 422, when
