"""realtime.js in a real Chromium against a scripted server: several modules of one page join
the same durable topic (a page script and the notifications in every page's header both
listen to user:{id}). The socket joins it once; each listener gets what comes after the seq
it asked for; one that joins late and missed events is told to reload; the socket leaves the
topic with its last listener."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, WebSocketRoute

from tests.e2e.helpers import browser_contexts

pytestmark = pytest.mark.browser

TOPIC = "user:7"


def event(seq: int) -> dict[str, Any]:
    return {"type": "event", "topic": TOPIC, "ref": None,
            "payload": {"event": "notification", "data": {"n": seq}, "seq": seq}}


class ScriptedServer:
    """A durable topic at seq 5: a join from seq N replays N+1..5; the action `emit` sends
    the next live event, then replies (so the reply means the event was handled)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.seq = 5

    def __call__(self, ws: WebSocketRoute) -> None:
        ws.on_message(lambda message: self.on_message(ws, message))

    def on_message(self, ws: WebSocketRoute, message: str | bytes) -> None:
        frame = json.loads(message)
        self.received.append(frame)
        if frame["type"] == "join":
            since = frame["payload"].get("last_seq", self.seq)
            ws.send(json.dumps({"type": "joined", "topic": TOPIC, "ref": frame["ref"],
                                "payload": {"last_seq": self.seq, "reset": False,
                                            "replay_from": since, "presence": []}}))
            for seq in range(since + 1, self.seq + 1):
                ws.send(json.dumps(event(seq)))
        elif frame["type"] == "emit":
            self.seq += 1
            ws.send(json.dumps(event(self.seq)))
            ws.send(json.dumps({"type": "reply", "topic": TOPIC, "ref": frame["ref"],
                                "payload": {"seq": self.seq}}))
        elif frame["type"] == "leave":
            ws.send(json.dumps({"type": "reply", "topic": TOPIC, "ref": frame["ref"],
                                "payload": {"left": True}}))


@pytest.fixture
def context(browser: Browser, server_url: str) -> Iterator[BrowserContext]:
    with browser_contexts(browser, server_url, ("en-US", "UTC")) as (made,):
        yield made


def test_listeners_share_one_membership_and_each_gets_what_it_lacks(
    context: BrowserContext,
) -> None:
    server = ScriptedServer()
    page = context.new_page()
    page.route_web_socket("**/ws", server)
    page.goto("/login")  # any page without a socket of its own: the module loads from here
    got = page.evaluate("""async (topic) => {
        const { RealtimeClient } = await import("/static/js/realtime.js");
        const rt = new RealtimeClient();
        const log = {};
        const listener = (name, lastSeq) => {
            log[name] = [];
            const handlers = {
                onEvent: (payload, meta) => log[name].push([payload.seq, meta.replayed]),
                onReset: (payload) => log[name].push(["reset", payload.replay_from]),
            };
            if (lastSeq !== undefined) handlers.lastSeq = lastSeq;
            return handlers;
        };
        // Two modules in the same moment: a page that has seq 3, the header from now.
        const page = listener("page", 3);
        const header = listener("header");
        const joins = await Promise.all([rt.join(topic, page), rt.join(topic, header)]);
        await rt.request(topic, "emit");                     // seq 6
        // Later: one that loaded up to 4 (missed 5 and 6), one that already has 6.
        await rt.join(topic, listener("stale", 4));
        await rt.join(topic, listener("current", 6));
        await rt.request(topic, "emit");                     // seq 7
        await rt.leave(topic, page);
        await rt.request(topic, "emit");                     // seq 8
        const seq = rt.lastSeq(topic);
        await rt.leave(topic, header);
        await rt.leave(topic);                               // everyone else
        rt.close();
        return { log, joins: joins.map((p) => p.replay_from), seq };
    }""", TOPIC)

    joins = [f for f in server.received if f["type"] == "join"]
    assert [f["payload"] for f in joins] == [{"last_seq": 3}]  # one join, from the oldest
    assert got["joins"] == [3, 3]
    log = got["log"]
    assert log["page"] == [[4, True], [5, True], [6, False], [7, False]]
    assert log["header"] == [[6, False], [7, False], [8, False]]  # from now on
    assert log["stale"] == [["reset", 6], [7, False], [8, False]]  # reload, then live
    assert log["current"] == [[7, False], [8, False]]
    assert got["seq"] == 8
    leaves = [f for f in server.received if f["type"] == "leave"]
    assert len(leaves) == 1  # only when no listener is left
