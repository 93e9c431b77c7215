"""Python CPU per delivery of one fan-out, by send path, without sockets or a load generator.

    .venv/bin/python -m bench.ws.hotpath [--clients 1000] [--broadcasts 40] [--repeats 7]

Builds `--clients` uvicorn websockets-sansio connections (the class `tradehall serve` runs)
over a transport that only counts bytes, joins each, through a TradeHall `Connection`, to one
topic, and times `--broadcasts` fan-outs of a 208-byte event frame through `Hub._fan_out`
(process CPU time, best of `--repeats`). Paths compared:

- `starlette`: frames through Starlette's `WebSocket.send` and the exception middleware's
  `sender` wrapper, as `websocket.send_text` would (TradeHall before the direct write);
- `asgi`: the server's own ASGI `send`, coroutine stepped by hand (no wrapper);
- `direct`: what `tradehall serve` does now (`app.realtime.direct_write`);
- `floor`: only the `websockets` protocol calls and the transport write per recipient, what
  `websockets.broadcast()` does: the least any fan-out over this stack can cost in Python.

What it leaves out, by design: the kernel's share (a `write` syscall per recipient on a real
socket, which the full benchmark, `bench.ws.run`, measures with everything else), and the
per-publish work (the action, the broker), which is shared by all recipients.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from types import SimpleNamespace
from typing import Any, cast

from starlette.types import Message, Send
from starlette.websockets import WebSocket, WebSocketState
from uvicorn.config import Config
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from uvicorn.server import ServerState
from websockets.protocol import OPEN

from app.accounts.principal import Principal
from app.realtime.connection import Connection, Limits, TopicState
from app.realtime.hub import Channel, Hub
from app.realtime.protocol import event_frame

TOPIC = "pulse:bench"
PATHS = ("starlette", "asgi", "direct", "floor")


class CountingTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += len(data)

    def is_closing(self) -> bool:
        return False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(
            name, default
        )


async def _no_app(_scope: Any, _receive: Any, _send: Any) -> None:
    return None


async def _no_receive() -> Message:
    raise RuntimeError("nothing is read here")


def _open_server_connection(config: Config) -> WebSocketsSansIOProtocol:
    server = WebSocketsSansIOProtocol(config, ServerState(), {})
    server.connection_made(CountingTransport())
    server.handshake_complete = True
    server.conn.state = OPEN
    return server


def _wrapped(send: Send) -> Send:
    """Starlette's exception-middleware `sender`: one more coroutine per frame."""
    async def sender(message: Message) -> None:
        await send(message)

    return sender


def _connection(path: str, server: WebSocketsSansIOProtocol) -> Connection:
    send = cast(Send, server.send)
    scope = {"type": "websocket", "path": "/ws", "headers": [], "query_string": b""}
    websocket = WebSocket(scope, _no_receive, _wrapped(send))
    websocket.application_state = WebSocketState.CONNECTED
    limits = Limits(max_queue=1024, rate_per_second=20.0, burst=60, max_strikes=40,
                    idle_timeout=75.0, max_frame_bytes=65536)
    principal = cast(Principal, SimpleNamespace(user_id=1))
    conn = Connection(websocket, principal, limits, None if path == "starlette" else send)
    if path == "asgi":
        conn._write_now = None  # the same Connection, without the direct write
    conn.topics[TOPIC] = TopicState(durable=False, replaying=False)
    return conn


def _frame() -> str:
    data = {"text": "S1:1:" + "x" * 100, "user_id": 1, "name": "Bench",
            "sent_at_ns": time.time_ns()}
    return event_frame(TOPIC, "message", data, None)


def measure(path: str, clients: int, broadcasts: int, repeats: int) -> float:
    """Best µs of process CPU per delivery over `repeats` runs of `broadcasts` fan-outs."""
    config = Config(_no_app, ws="websockets-sansio", ws_per_message_deflate=False)
    config.load()
    servers = [_open_server_connection(config) for _ in range(clients)]
    channel = Channel(durable=False)
    channel.subscribers = {_connection(path, server) for server in servers}
    hub = Hub.__new__(Hub)  # only its fan-out is used
    text = _frame()
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        if path == "floor":
            for _ in range(broadcasts):
                data = text.encode()
                for server in servers:
                    protocol = server.conn
                    if protocol.state is OPEN:
                        protocol.send_text(data)
                        server.transport.write(b"".join(protocol.data_to_send()))
        else:
            for _ in range(broadcasts):
                hub._fan_out(channel, TOPIC, 0, text)
        best = min(best, time.process_time() - started)
    return best / (clients * broadcasts) * 1e6


async def _main(args: argparse.Namespace) -> None:
    # In a running loop, as in the server (asyncio objects bind to it).
    for path in args.paths.split(","):
        us = measure(path, args.clients, args.broadcasts, args.repeats)
        print(f"{path:10} {us:6.2f} µs of Python CPU per delivery")  # noqa: T201


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--broadcasts", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--paths", default=",".join(PATHS))
    asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
