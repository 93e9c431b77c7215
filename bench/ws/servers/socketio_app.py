"""Peer (c): python-socketio (ASGI) on uvicorn with its Redis manager.

`join` (with an ack) enters the room; `publish` emits `event` to the room through
`AsyncRedisManager`, so every message goes to Redis and back before the local fan-out (what
a multi-process deployment does). `BENCH_SIO_MANAGER=memory` drops Redis, for comparison.

    BENCH_REDIS_URL=redis://127.0.0.1:6379/0 uvicorn bench.ws.servers.socketio_app:app --port 8765

python-socketio ships no type information, so it is imported dynamically (typed as Any):
mypy stays clean whether or not the optional `bench` dependencies are installed.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from bench.ws.servers.common import raise_nofile_limit
from bench.ws.wire import TOPIC

socketio: Any = importlib.import_module("socketio")

if os.environ.get("BENCH_SIO_MANAGER", "redis") == "memory":
    manager: Any = None
else:
    manager = socketio.AsyncRedisManager(
        os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        # A channel of our own: the machine's Redis is shared with tests and other runs.
        channel=os.environ.get("BENCH_SIO_CHANNEL", f"bench-socketio-{os.getpid()}"),
    )
sio: Any = socketio.AsyncServer(async_mode="asgi", client_manager=manager)


async def join(sid: str, topic: str) -> str:
    await sio.enter_room(sid, topic)
    return "ok"


async def publish(sid: str, data: dict[str, Any]) -> None:
    del sid
    await sio.emit("event", data, room=TOPIC)


sio.on("join", join)
sio.on("publish", publish)
raise_nofile_limit()
app: Any = socketio.ASGIApp(sio)
