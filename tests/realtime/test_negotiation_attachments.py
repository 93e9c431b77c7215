"""A file sent over HTTP reaches the other side live on ``negotiation:{id}``, and a client
that rejoins with the seq it had gets the same message, files included."""

from __future__ import annotations

import httpx

from tests.factories import create_negotiation, image_bytes
from tests.realtime.conftest import Client, LiveServer, ws_connect


async def test_a_photo_sent_by_one_side_reaches_the_other_live_and_on_rejoin(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    deal = await create_negotiation(http)
    topic = f"negotiation:{deal.negotiation_id}"
    async with ws_connect(live, deal.supplier.token) as ws:
        supplier = Client(ws)
        joined, _ = await supplier.request("join", topic)
        before = joined["payload"]["last_seq"]
        sent = await http.post(
            f"/api/v1/negotiations/{deal.negotiation_id}/attachments",
            files={"file": ("cartons.png", image_bytes(), "image/png")},
            data={"body": "Master cartons, 10 kg"},
            headers=deal.buyer.headers,
        )
        assert sent.status_code == 201, sent.text
        event, _ = await supplier.recv_until(
            lambda f: f["type"] == "event" and f["payload"]["event"] == "message.created")
        live_message = event["payload"]["data"]["message"]
        assert live_message == sent.json()
        [item] = live_message["attachments"]
        assert (item["name"], item["kind"]) == ("cartons.webp", "image")
        got = await http.get(item["url"], headers=deal.supplier.headers)
        assert got.status_code == 200

    async with ws_connect(live, deal.supplier.token) as ws:
        supplier = Client(ws)
        await supplier.send("join", topic, last_seq=before)
        replayed, _ = await supplier.recv_until(
            lambda f: f["type"] == "event" and f["payload"]["event"] == "message.created")
        assert replayed["payload"]["data"]["message"] == live_message
