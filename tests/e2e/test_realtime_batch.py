"""realtime.js in a real Chromium against a scripted server: a ``batch`` frame's events reach
the page one by one, in order, as if each had come alone; ``send`` sends an action without a
ref (likes), and its refusal comes back as a "servererror" event."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, WebSocketRoute

pytestmark = pytest.mark.browser

TOPIC = "livestream:5"


def event(n: int, name: str = "chat.message") -> dict[str, Any]:
    return {"type": "event", "topic": TOPIC, "ref": None,
            "payload": {"event": name, "data": {"n": n}}}


class ScriptedServer:
    """Answers the page's socket instead of the app: joins are accepted, then the room sends
    one event alone and three in a batch; what the page sends is kept."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []

    def __call__(self, ws: WebSocketRoute) -> None:
        ws.on_message(lambda message: self.on_message(ws, message))

    def on_message(self, ws: WebSocketRoute, message: str | bytes) -> None:
        frame = json.loads(message)
        self.received.append(frame)
        if frame["type"] == "join":
            ws.send(json.dumps({"type": "joined", "topic": TOPIC, "ref": frame["ref"],
                                "payload": {"presence": []}}))
            ws.send(json.dumps(event(1)))
            ws.send(json.dumps({"type": "batch", "topic": TOPIC, "frames": [
                event(2), event(3, "stats"), event(4)]}))
        elif frame["type"] == "like" and frame["payload"]["count"] > 50:
            ws.send(json.dumps({"type": "error", "topic": TOPIC, "ref": None, "payload": {
                "code": "invalid_count", "message": "count must be 1 to 50."}}))


@pytest.fixture
def context(browser: Browser, server_url: str) -> Iterator[BrowserContext]:
    made = browser.new_context(base_url=server_url)
    made.set_default_timeout(10_000)
    try:
        yield made
    finally:
        made.close()


def test_a_batch_reaches_the_page_as_its_frames_one_by_one(context: BrowserContext) -> None:
    server = ScriptedServer()
    page = context.new_page()
    page.route_web_socket("**/ws", server)
    page.goto("/login")  # any page of the app: the module loads from its origin
    got = page.evaluate("""async (topic) => {
        const { RealtimeClient } = await import("/static/js/realtime.js");
        const rt = new RealtimeClient();
        const seen = [];
        const errors = [];
        rt.addEventListener("servererror", (e) => errors.push(e.detail.payload.code));
        let done;
        const all = new Promise((resolve) => { done = resolve; });
        await rt.join(topic, { onEvent: (payload, meta) => {
            seen.push([meta.topic, payload.event, payload.data.n]);
            if (seen.length === 4) done();
        } });
        await all;
        const sent = rt.send(topic, "like", { count: 3 });
        const notJoined = rt.send("livestream:6", "like", { count: 1 });
        rt.send(topic, "like", { count: 99 });
        while (errors.length === 0) await new Promise((r) => setTimeout(r, 10));
        rt.close();
        return { seen, sent, notJoined, errors };
    }""", TOPIC)
    assert got["seen"] == [
        [TOPIC, "chat.message", 1], [TOPIC, "chat.message", 2], [TOPIC, "stats", 3],
        [TOPIC, "chat.message", 4],
    ]
    assert got["sent"] is True
    assert got["notJoined"] is False  # nothing is sent for a topic the page is not in
    assert got["errors"] == ["invalid_count"]
    likes = [f for f in server.received if f["type"] == "like"]
    assert likes[0] == {"type": "like", "topic": TOPIC, "payload": {"count": 3}}
    assert [f["topic"] for f in likes] == [TOPIC, TOPIC]
