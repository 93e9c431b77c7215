"""Realtime across processes: two nodes on one Redis, and a server restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from app.db import create_engine
from tests.conftest import wipe_database
from tests.databases import redis_server_url
from tests.realtime.conftest import Client, new_user
from tests.servers import ServerProcess, running_server


@pytest.fixture
async def clean_database(database_url: str) -> AsyncIterator[str]:
    yield database_url
    engine = create_engine(database_url)
    await wipe_database(engine)
    await engine.dispose()


def _connect(server: ServerProcess, token: str) -> connect:
    return connect(server.ws_url, additional_headers={"Authorization": f"Bearer {token}"},
                   open_timeout=10)


async def test_a_message_published_on_one_node_reaches_a_client_on_the_other(
    clean_database: str, tmp_path: Path
) -> None:
    redis_url = redis_server_url()
    prefix = {"TRADEHALL_REDIS_PREFIX": f"tradehall-test-{tmp_path.name}:"}
    with (
        running_server(clean_database, tmp_path / "a", redis_url=redis_url,
                       extra_env=prefix) as node_a,
        running_server(clean_database, tmp_path / "b", redis_url=redis_url,
                       extra_env=prefix) as node_b,
    ):
        async with httpx.AsyncClient(base_url=node_a.url) as http:
            alice = await new_user(http)
            bob = await new_user(http)
        topic = "diag:cluster"
        async with _connect(node_a, alice) as a_ws, _connect(node_b, bob) as b_ws:
            a, b = Client(a_ws), Client(b_ws)
            await a.request("join", topic)
            b_joined, _ = await b.request("join", topic)
            # Presence spans nodes: Bob, on B, sees Alice, who is on A.
            assert len(b_joined["payload"]["presence"]) == 2
            for i in range(5):
                await a.request("publish", topic, text=f"from A {i}")
            received = await b.events(topic, 5)
            assert [e["payload"]["seq"] for e in received] == [1, 2, 3, 4, 5]
            assert received[-1]["payload"]["data"]["text"] == "from A 4"
            # And back: B to A.
            await b.request("publish", topic, text="from B")
            back, _ = await a.recv_until(
                lambda f: f["type"] == "event" and f["payload"]["data"]["text"] == "from B"
            )
            assert back["payload"]["seq"] == 6


async def test_nothing_acknowledged_is_lost_across_a_restart(
    clean_database: str, tmp_path: Path
) -> None:
    topic = "diag:restart"
    with running_server(clean_database, tmp_path / "first") as server:
        async with httpx.AsyncClient(base_url=server.url) as http:
            token = await new_user(http)
        acknowledged: list[int] = []
        async with _connect(server, token) as ws:
            c = Client(ws)
            joined, _ = await c.request("join", topic)
            for i in range(20):
                reply, _ = await c.request("publish", topic, text=f"m{i}",
                                           client_msg_id=f"restart-{i}")
                acknowledged.append(reply["payload"]["seq"])
    # The first server is gone (SIGTERM, as a deployment stops it). A new one starts.
    with running_server(clean_database, tmp_path / "second") as server:
        async with _connect(server, token) as ws:
            c = Client(ws)
            rejoined, _ = await c.request("join", topic, last_seq=0)
            assert rejoined["payload"]["last_seq"] == acknowledged[-1]
            replayed = await c.events(topic, len(acknowledged))
            assert [e["payload"]["seq"] for e in replayed] == acknowledged
            assert [e["payload"]["data"]["text"] for e in replayed] == [
                f"m{i}" for i in range(20)
            ]
