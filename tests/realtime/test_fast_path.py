"""Fan-out's direct write into uvicorn's connection keeps the send guarantees.

A uvicorn websockets-sansio connection over a transport that records what is written (and
whose backpressure the test switches on and off), with a `Connection` on top, as the
endpoint builds it from the server's own ASGI send.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any, cast

import pytest
from starlette.types import Message, Send
from starlette.websockets import WebSocket, WebSocketState
from uvicorn.config import Config
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from uvicorn.server import ServerState
from websockets.protocol import OPEN

from app.accounts.principal import Principal
from app.realtime.connection import CLOSE_TRY_AGAIN_LATER, Connection, Limits
from app.realtime.direct_write import direct_writer

MAX_QUEUE = 16


class RecordingTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.data = bytearray()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.data += data

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        return None

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(
            name, default
        )

    def texts(self) -> list[str]:
        """The payloads of the unmasked text frames written so far."""
        out: list[str] = []
        data, i = bytes(self.data), 0
        while i < len(data):
            assert data[i] == 0x81, "a final text frame"
            length, i = data[i + 1], i + 2
            if length == 126:
                length, i = int.from_bytes(data[i:i + 2], "big"), i + 2
            out.append(data[i:i + length].decode())
            i += length
        return out


async def _no_app(_scope: Any, _receive: Any, _send: Any) -> None:
    return None


def open_server_connection() -> tuple[WebSocketsSansIOProtocol, RecordingTransport]:
    """uvicorn's side of a websocket whose handshake is done."""
    config = Config(_no_app, ws="websockets-sansio", ws_per_message_deflate=False)
    config.load()
    server = WebSocketsSansIOProtocol(config, ServerState(), {})
    transport = RecordingTransport()
    server.connection_made(transport)
    server.handshake_complete = True
    server.conn.state = OPEN
    return server, transport


@pytest.fixture
async def fast_path() -> AsyncIterator[tuple[Connection, WebSocketsSansIOProtocol,
                                             RecordingTransport]]:
    server, transport = open_server_connection()
    scope = {"type": "websocket", "path": "/ws", "headers": [], "query_string": b""}
    send = cast(Send, server.send)  # uvicorn types its send with its own ASGI event types
    websocket = WebSocket(scope, _never_receive, send)
    websocket.application_state = WebSocketState.CONNECTED
    principal = cast(Principal, SimpleNamespace(user_id=1))
    limits = Limits(max_queue=MAX_QUEUE, rate_per_second=100.0, burst=100, max_strikes=3,
                    idle_timeout=60.0, max_frame_bytes=65536)
    conn = Connection(websocket, principal, limits, send)
    try:
        yield conn, server, transport
    finally:
        conn.finish(1000, "")
        server.connection_lost(None)
        await conn.stop_writing()


async def _never_receive() -> Message:
    raise AssertionError("not read in these tests")


async def until(condition: Any) -> None:
    async with asyncio.timeout(5):
        while not condition():
            await asyncio.sleep(0)


def test_a_send_that_is_not_uvicorns_gets_no_direct_writer() -> None:
    async def other_send(_message: Message) -> None:
        return None

    assert direct_writer(other_send) is None
    server, _ = open_server_connection()
    assert direct_writer(server.send) is not None


async def test_frames_are_written_at_once_while_the_socket_is_writable(
    fast_path: tuple[Connection, WebSocketsSansIOProtocol, RecordingTransport],
) -> None:
    conn, _, transport = fast_path
    conn.send("first")
    conn.send("é 中")
    # Written synchronously: no task ran in between.
    assert transport.texts() == ["first", "é 中"]
    assert conn.queued() == 0


async def test_frames_sent_under_backpressure_follow_in_order_once_it_lifts(
    fast_path: tuple[Connection, WebSocketsSansIOProtocol, RecordingTransport],
) -> None:
    conn, server, transport = fast_path
    conn.send("1")
    server.pause_writing()
    for text in ("2", "3", "4"):
        conn.send(text)
    assert transport.texts() == ["1"]
    assert conn.behind
    server.resume_writing()
    await until(lambda: not conn.behind)
    assert transport.texts() == ["1", "2", "3", "4"]
    conn.send("5")  # written at once again
    assert transport.texts() == ["1", "2", "3", "4", "5"]


async def test_a_consumer_that_stays_unwritable_is_cut_off_with_a_bounded_queue(
    fast_path: tuple[Connection, WebSocketsSansIOProtocol, RecordingTransport],
) -> None:
    conn, server, transport = fast_path
    server.pause_writing()
    for i in range(MAX_QUEUE + 2):
        conn.send(str(i))
        assert conn.queued() <= MAX_QUEUE
    assert conn.cut_off
    assert conn.close_code == CLOSE_TRY_AGAIN_LATER
    conn.send("after")
    assert transport.texts() == []
    assert conn.queued() <= MAX_QUEUE


async def test_nothing_is_written_after_the_close_was_sent(
    fast_path: tuple[Connection, WebSocketsSansIOProtocol, RecordingTransport],
) -> None:
    conn, server, transport = fast_path
    conn.send("before")
    server.close_sent = True
    conn.send("after")
    assert transport.texts() == ["before"]
    assert conn.closed
