"""``matchmaking:{id}`` over a real server: the organizer and the session's participants may
join; anyone else finds no such topic; a running schedule job reports there."""

from __future__ import annotations

import httpx

from tests.factories import register
from tests.matchmaking.helpers import close_registration, register_buyer, register_supplier, setup
from tests.realtime.conftest import Client, LiveServer, ws_connect


async def test_only_the_organizer_and_participants_join_and_see_the_job(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    s = await setup(http)
    buyer, _ = await register_buyer(s)
    await register_supplier(s)
    await close_registration(s)
    topic = f"matchmaking:{s.id}"
    outsider = await register(http, kind="buyer")
    async with ws_connect(live, outsider.token) as ws:
        refused, _ = await Client(ws).request("join", topic)
        assert refused["payload"]["code"] == "topic_not_found"
        missing, _ = await Client(ws).request("join", "matchmaking:999999")
        assert missing["payload"]["code"] == "topic_not_found"
    async with ws_connect(live, buyer.token) as ws:
        joined, _ = await Client(ws).request("join", topic)
        assert joined["type"] == "joined", joined
    async with ws_connect(live, s.organizer.token) as ws:
        console = Client(ws)
        joined, _ = await console.request("join", topic)
        assert joined["type"] == "joined", joined
        response = await http.post(f"{s.url}/schedule", headers=s.organizer.headers)
        assert response.status_code == 202, response.text
        done, seen = await console.recv_until(
            lambda f: f["type"] == "event" and f["payload"]["event"] == "schedule.done")
        assert done["payload"]["data"]["job_id"] == response.json()["id"]
        assert done["payload"]["data"]["status"] == "done"
        events = [f["payload"]["event"] for f in seen if f["type"] == "event"]
        assert "schedule.progress" in events
