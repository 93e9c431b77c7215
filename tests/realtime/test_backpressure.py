"""A client that stops reading is cut off; everyone else keeps receiving."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from app.config import Settings
from app.realtime.diagnostics import MAX_TEXT
from tests.realtime.conftest import (
    Client,
    LiveServer,
    app_of,
    new_user,
    start_server,
    stop_server,
    ws_connect,
)


@pytest.fixture
async def small_queue_live(realtime_settings: Settings) -> AsyncIterator[LiveServer]:
    settings = realtime_settings.model_copy(update={
        "realtime_send_queue": 32, "realtime_rate_per_second": 1000.0, "realtime_rate_burst": 1000,
    })
    server, task, host = await start_server(settings)
    try:
        yield LiveServer(app_of(server), f"http://{host}", f"ws://{host}/ws", settings, server)
    finally:
        await stop_server(server, task)


async def test_a_client_that_never_reads_is_cut_off_while_others_keep_receiving(
    small_queue_live: LiveServer,
) -> None:
    live = small_queue_live
    topic = "pulse:firehose"
    async with httpx.AsyncClient(base_url=live.base_url) as http:
        tokens = [await new_user(http) for _ in range(3)]
    hub = live.app.state.hub
    # The sleeper's client library buffers one frame, then stops reading from the socket,
    # whose receive buffer is kept small so that the server feels it quickly.
    host, port = live.ws_url.removeprefix("ws://").removesuffix("/ws").split(":")
    sleeper_sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sleeper_sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sleeper_sock.connect((host, int(port)))
    async with (
        ws_connect(live, tokens[0], max_queue=1, sock=sleeper_sock) as sleeper_ws,
        ws_connect(live, tokens[1]) as reader_ws,
        ws_connect(live, tokens[2]) as writer_ws,
    ):
        sleeper, reader, writer = Client(sleeper_ws), Client(reader_ws), Client(writer_ws)
        for c in (sleeper, reader, writer):
            await c.request("join", topic)
        assert len(hub.connections) == 3
        # The server as deployed: fan-out takes the direct write, and still cuts off below.
        assert all(c.writes_directly for c in hub.connections)
        big = "x" * MAX_TEXT  # the largest diagnostic message: fills socket buffers quickly
        received = 0

        async def read_all(expected: int) -> None:
            nonlocal received
            while received < expected:
                f = await reader.recv(timeout=30)
                if f["type"] == "event":
                    received += 1

        total = 1000
        reading = asyncio.create_task(read_all(total))
        sent = 0
        # Publish until the server has dropped the sleeper (bounded by `total`).
        while sent < total:
            reply, _ = await writer.request("publish", topic, text=big)  # processed
            assert reply["type"] == "reply", reply
            sent += 1
            if len(hub.connections) == 2:
                break
        assert len(hub.connections) == 2, "the non-reading client was never cut off"
        remaining = total - sent
        for _ in range(remaining):
            await writer.request("publish", topic, text="after")
        await reading
        assert received == total
        assert all(not c.cut_off for c in hub.connections)
