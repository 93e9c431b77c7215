"""The live room over a real server: ``livestream:{id}`` — who may join, the joiner's state,
chat to everyone in the room, likes counted in memory and written by the room driver, viewers
counted as users across nodes. Frames may come inside ``batch`` frames; ``Viewer`` unpacks
them as realtime.js does. The driver's ticks are called, never waited for."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from app.config import Settings
from app.db import create_engine
from app.livestreams.room_driver import RoomDriver
from app.models import Event, Livestream, LivestreamViewer
from tests.conftest import wipe_database
from tests.databases import redis_server_url
from tests.factories import count_rows, register
from tests.livestreams.helpers import LiveShow, live_show_setup, pin, start_show
from tests.negotiations.test_send_cost import statements
from tests.realtime.conftest import (
    Client,
    LiveServer,
    app_of,
    start_server,
    stop_server,
    ws_connect,
)

Frame = dict[str, Any]


class Viewer(Client):
    """A protocol client that hands out the frames inside a ``batch`` one by one."""

    def __init__(self, ws: Any) -> None:
        super().__init__(ws)
        self.inner: deque[Frame] = deque()
        self.batches = 0

    async def recv(self, timeout: float = 10) -> Frame:
        if self.inner:
            return self.inner.popleft()
        f = await super().recv(timeout)
        if f["type"] != "batch":
            return f
        self.batches += 1
        self.inner.extend(f["frames"])
        return self.inner.popleft()

    async def join_room(self, topic: str) -> Frame:
        """Join and return the ``state`` event that follows ``joined``."""
        joined, _ = await self.request("join", topic)
        assert joined["type"] == "joined", joined
        assert joined["payload"] == {"presence": []}  # counted, never listed
        state, _ = await self.recv_until(event("state"))
        return dict(state["payload"]["data"])

    async def settled(self) -> list[Frame]:
        """Everything the server sent before answering a ping: the frames before it have
        been handled (a connection's frames are handled in order)."""
        _, seen = await self.request("ping")
        return seen


def event(name: str, where: Callable[[Frame], bool] = lambda _d: True
          ) -> Callable[[Frame], bool]:
    return lambda f: (f["type"] == "event" and f["payload"]["event"] == name
                      and where(f["payload"]["data"]))


def room(show: LiveShow) -> str:
    return f"livestream:{show.show_id}"


def driver(server: LiveServer) -> RoomDriver:
    found: RoomDriver = server.app.state.livestream_room_driver
    return found


async def show_row(server: LiveServer, show_id: int) -> Livestream:
    async with server.app.state.sessionmaker() as db:
        row: Livestream | None = await db.scalar(select(Livestream)
                                                 .where(Livestream.id == show_id))
    assert row is not None
    return row


@asynccontextmanager
async def serving(settings: Settings, nodes: int = 1) -> AsyncIterator[list[LiveServer]]:
    """App servers (nodes) on one database and broker; the rows are wiped afterwards."""
    # The tests call the room driver's ticks themselves; its own cadence would run one in
    # the middle of a test now and then.
    settings = settings.model_copy(update={"livestream_stats_seconds": 60.0})
    started = []
    try:
        for _ in range(nodes):
            started.append(await start_server(settings))
        yield [LiveServer(app_of(server), f"http://{host}", f"ws://{host}/ws", settings)
               for server, _task, host in started]
    finally:
        for server, task, _host in started:
            await stop_server(server, task)
        engine = create_engine(settings.effective_database_url)
        await wipe_database(engine)
        await engine.dispose()


@pytest.fixture(params=["memory", "redis"])
async def live(request: pytest.FixtureRequest, settings: Settings
               ) -> AsyncIterator[LiveServer]:
    """One node, with the in-process broker or with Redis."""
    redis_url = redis_server_url() if request.param == "redis" else None
    async with serving(settings.model_copy(update={"redis_url": redis_url})) as (node,):
        yield node


@pytest.fixture
async def http(live: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live.base_url) as client:
        yield client


async def test_only_those_who_may_see_the_show_join_its_room(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    show = await live_show_setup(http)
    async with ws_connect(live, show.buyer.token) as ws:
        buyer = Viewer(ws)
        for topic in ("livestream:999999", "livestream:abc", "livestream:0"):
            refused, _ = await buyer.request("join", topic)
            assert refused["payload"]["code"] == "topic_not_found", topic
        # The event goes back to a draft: only its organizer sees it (and its shows).
        async with live.app.state.sessionmaker() as db:
            await db.execute(update(Event).where(Event.id == show.event_id)
                             .values(status="draft"))
            await db.commit()
        refused, _ = await buyer.request("join", room(show))
        assert refused["type"] == "error"
        assert refused["payload"]["code"] == "topic_not_found"
        # Not joined: no action either.
        refused, _ = await buyer.request("like", room(show), count=1)
        assert refused["payload"]["code"] == "not_joined"
    async with ws_connect(live, show.organizer.token) as ws:
        state = await Viewer(ws).join_room(room(show))
        assert state["status"] == "live"


async def test_the_joiner_gets_the_rooms_state(live: LiveServer, http: httpx.AsyncClient) -> None:
    show = await live_show_setup(http)
    card = await pin(http, show.host, show.show_id, show.product_id)
    async with ws_connect(live, show.buyer.token) as ws:
        state = await Viewer(ws).join_room(room(show))
    assert state == {
        "status": "live", "pinned": card, "slow_mode_seconds": 0, "likes": 0, "viewers": 1,
        "flash_offers": [], "muted_until": None,
    }


async def test_a_chat_line_reaches_everyone_in_the_room(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    show = await live_show_setup(http)
    other = await register(http, kind="buyer", country="DE")
    async with ws_connect(live, show.buyer.token) as bws, \
            ws_connect(live, other.token) as ows, ws_connect(live, show.host.token) as hws:
        buyer, watcher, host = Viewer(bws), Viewer(ows), Viewer(hws)
        for v in (buyer, watcher, host):
            await v.join_room(room(show))
        reply, before = await buyer.request("chat.send", room(show),
                                            body="  Price for 20 t CIF?  ", client_msg_id="c1")
        assert reply["type"] == "reply", reply
        message = reply["payload"]["message"]
        assert message["body"] == "Price for 20 t CIF?"
        assert message["user_id"] == show.buyer.user_id
        assert message["is_host"] is False
        # The sender's own line comes back too (before or after the reply).
        buyer.inner.extendleft(reversed(before))
        for v in (watcher, host, buyer):
            seen, _ = await v.recv_until(event("chat.message"))
            assert seen["topic"] == room(show)
            assert seen["payload"]["data"] == message
            assert "seq" not in seen["payload"]  # ephemeral: the chat table is the record

        answer, _ = await host.request("chat.send", room(show), body="USD 7.80/kg")
        assert answer["payload"]["message"]["is_host"] is True
        seen, _ = await watcher.recv_until(event("chat.message"))
        assert seen["payload"]["data"]["body"] == "USD 7.80/kg"

        bad, _ = await buyer.request("chat.send", room(show), body="")
        assert bad["payload"]["code"] == "invalid_body"
        bad, _ = await buyer.request("chat.send", room(show), body=42)
        assert bad["payload"]["code"] == "invalid_body"


async def test_chat_in_a_show_that_is_not_live_is_refused(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    show = await live_show_setup(http, live=False)
    async with ws_connect(live, show.buyer.token) as ws:
        buyer = Viewer(ws)
        state = await buyer.join_room(room(show))
        assert state["status"] == "scheduled"
        refused, _ = await buyer.request("chat.send", room(show), body="Hello?")
        assert refused["payload"]["code"] == "livestream_not_live"


async def test_a_muted_viewer_is_refused_with_chat_muted(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    show = await live_show_setup(http)
    r = await http.post(f"/api/v1/livestreams/{show.show_id}/mutes",
                        json={"user_id": show.buyer.user_id, "minutes": 10},
                        headers=show.host.headers)
    assert r.status_code == 201, r.text
    until = r.json()["until"]
    async with ws_connect(live, show.buyer.token) as ws:
        buyer = Viewer(ws)
        state = await buyer.join_room(room(show))
        assert state["muted_until"] is not None
        refused, _ = await buyer.request("chat.send", room(show), body="Let me speak")
        assert refused["type"] == "error"
        assert refused["payload"]["code"] == "chat_muted"
        assert refused["payload"]["details"]["until"] == state["muted_until"]
        assert refused["payload"]["details"]["until"][:19] == until[:19]
    assert await count_rows(live.app, Livestream, Livestream.id == show.show_id) == 1


async def test_likes_are_counted_here_and_written_in_one_batch_by_the_driver(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    show = await live_show_setup(http)
    other = await register(http, kind="buyer", country="FR")
    async with ws_connect(live, show.buyer.token) as a1, ws_connect(live, show.buyer.token) as a2, \
            ws_connect(live, other.token) as b1:
        tabs = [Viewer(a1), Viewer(a2), Viewer(b1)]
        for v in tabs:
            await v.join_room(room(show))
        sent = 0
        for i, v in enumerate(tabs):
            for count in (1, 50, i + 2):
                assert await v.send("like", room(show), count=count)
                sent += count
        for bad in (0, 51, -1, "3", 2.5, True, None):
            refused, _ = await tabs[0].request("like", room(show), count=bad)
            assert refused["payload"]["code"] == "invalid_count", bad
        for v in tabs:  # likes get no reply: the ping's answer says they were taken
            assert not [f for f in await v.settled() if f["type"] in ("reply", "error")]

        await driver(live).tick()
        assert (await show_row(live, show.show_id)).like_count == sent
        for v in tabs:
            stats, _ = await v.recv_until(event("stats", lambda d: d["likes"] == sent))
            assert stats["payload"]["data"] == {"viewers": 2, "likes": sent}

        # A joiner sees the total; more likes add to it.
        async with ws_connect(live, show.host.token) as hws:
            state = await Viewer(hws).join_room(room(show))
            assert state["likes"] == sent
            await tabs[2].send("like", room(show), count=5)
            await tabs[2].settled()
            await driver(live).tick()
    assert (await show_row(live, show.show_id)).like_count == sent + 5


async def test_likes_outside_a_live_show_are_not_counted(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    show = await live_show_setup(http, live=False)
    async with ws_connect(live, show.buyer.token) as ws:
        buyer = Viewer(ws)
        await buyer.join_room(room(show))
        await buyer.send("like", room(show), count=7)
        await buyer.settled()
        await driver(live).tick()
    row = await show_row(live, show.show_id)
    assert (row.like_count, row.peak_viewers) == (0, 0)


async def test_viewers_are_users_not_sockets(live: LiveServer, http: httpx.AsyncClient) -> None:
    show = await live_show_setup(http)
    other = await register(http, kind="buyer", country="FR")
    async with ws_connect(live, show.buyer.token) as a1, ws_connect(live, other.token) as b1:
        first, second = Viewer(a1), Viewer(b1)
        await first.join_room(room(show))
        async with ws_connect(live, show.buyer.token) as a2:
            again = await Viewer(a2).join_room(room(show))
            assert again["viewers"] == 1  # the same user in a second tab
            state = await second.join_room(room(show))
            assert state["viewers"] == 2
            await driver(live).tick()
            await first.recv_until(event("stats", lambda d: d["viewers"] == 2))
        # One of the buyer's two tabs closed: still two people watching.
        await second.request("leave", room(show))
        await driver(live).tick()
        stats, _ = await first.recv_until(event("stats", lambda d: d["viewers"] == 1))
        assert stats["payload"]["data"]["likes"] == 0
    assert (await show_row(live, show.show_id)).peak_viewers == 2


async def test_unique_viewers_are_recorded_once_per_user_while_live(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    show = await live_show_setup(http, live=False)
    async with ws_connect(live, show.buyer.token) as ws:
        await Viewer(ws).join_room(room(show))
        await driver(live).tick()
        # Waiting for the show to start is not watching it (yet).
        assert await count_rows(live.app, LivestreamViewer) == 0
        await start_show(http, show.host, show.show_id)
        await driver(live).tick()
        assert await count_rows(live.app, LivestreamViewer,
                                LivestreamViewer.user_id == show.buyer.user_id) == 1
    for _ in range(2):  # back, twice, in two tabs at once
        async with ws_connect(live, show.buyer.token) as a1, \
                ws_connect(live, show.buyer.token) as a2:
            await Viewer(a1).join_room(room(show))
            await Viewer(a2).join_room(room(show))
            await driver(live).tick()
    assert await count_rows(live.app, LivestreamViewer) == 1


async def test_a_chat_line_costs_two_statements_and_a_like_none(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    show = await live_show_setup(http)
    async with ws_connect(live, show.buyer.token) as ws:
        buyer = Viewer(ws)
        await buyer.join_room(room(show))
        with statements(live.app.state.engine) as seen:
            reply, _ = await buyer.request("chat.send", room(show), body="hello")
        assert reply["type"] == "reply", reply
        # The join checked visibility; a line reads the show's gate and stores itself.
        assert [sql.split()[0] for sql in seen] == ["SELECT", "INSERT"], seen
        assert seen[0].startswith("SELECT livestreams.status")
        assert seen[1].startswith("INSERT INTO livestream_chat_messages")
        with statements(live.app.state.engine) as seen:
            await buyer.send("like", room(show), count=3)
            await buyer.settled()
        assert seen == []


# --- two nodes on one Redis ----------------------------------------------------------------


@pytest.fixture
async def two_nodes(settings: Settings) -> AsyncIterator[list[LiveServer]]:
    """Two nodes on one database and one Redis, as behind a load balancer."""
    async with serving(settings.model_copy(update={"redis_url": redis_server_url()}),
                       nodes=2) as nodes:
        yield nodes


async def test_two_nodes_share_the_rooms_chat_and_count_its_viewers_together(
    two_nodes: list[LiveServer],
) -> None:
    node_a, node_b = two_nodes
    async with httpx.AsyncClient(base_url=node_a.base_url) as http:
        show = await live_show_setup(http)
        other = await register(http, kind="buyer", country="DE")
    async with ws_connect(node_a, show.buyer.token) as aws, ws_connect(node_b, other.token) as bws:
        on_a, on_b = Viewer(aws), Viewer(bws)
        await on_a.join_room(room(show))
        state = await on_b.join_room(room(show))
        assert state["viewers"] == 2  # one here, one on the other node

        reply, _ = await on_a.request("chat.send", room(show), body="From node A")
        seen, _ = await on_b.recv_until(event("chat.message"))
        assert seen["payload"]["data"] == reply["payload"]["message"]

        await on_a.send("like", room(show), count=4)
        await on_b.send("like", room(show), count=6)
        await on_a.settled()
        await on_b.settled()
        await driver(node_a).tick()
        await driver(node_b).tick()
        await driver(node_a).tick()  # A wrote its 4 before B's 6: it reads the sum now
        # Each node tells its own sockets; both know the total and the audience.
        for v in (on_a, on_b):
            await v.recv_until(event("stats", lambda d: d == {"viewers": 2, "likes": 10}))
    row = await show_row(node_a, show.show_id)
    assert (row.like_count, row.peak_viewers) == (10, 2)
    assert await count_rows(node_a.app, LivestreamViewer) == 2
