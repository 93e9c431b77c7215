"""The servers under test and how to start each one on a given port.

Every server runs as its own process (`sys.executable`, so the same virtualenv), on uvloop,
with permessage-deflate off (the load generator does not offer it either), logging at
warning level and no access log. uvicorn flags match `tradehall serve`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bench.ws.adapters import AdapterConfig

PY = sys.executable


def uvicorn_argv(target: str, ws: str, *, factory: bool = False) -> Callable[[int], list[str]]:
    def argv(port: int) -> list[str]:
        return [
            PY, "-m", "uvicorn", target, *(["--factory"] if factory else []),
            "--host", "127.0.0.1", "--port", str(port),
            "--loop", "uvloop", "--http", "httptools", "--ws", ws,
            "--ws-per-message-deflate", "false", "--no-access-log",
            "--log-level", "warning", "--backlog", "4096",
        ]

    return argv


def module_argv(module: str) -> Callable[[int], list[str]]:
    def argv(port: int) -> list[str]:
        return [PY, "-m", module, "--host", "127.0.0.1", "--port", str(port)]

    return argv


@dataclass(frozen=True)
class ServerSpec:
    name: str
    label: str
    argv: Callable[[int], list[str]]
    adapter: AdapterConfig
    env: dict[str, str] = field(default_factory=dict)
    uses_redis: bool = False
    prepare: Callable[[int, AdapterConfig], Awaitable[AdapterConfig]] | None = None
    """Runs once the server listens (e.g. to log in); returns the adapter to use."""
    cleanup: Callable[[], None] | None = None
    """Runs after the server stopped (e.g. to delete its database file)."""


ENVELOPE = AdapterConfig(kind="envelope")
SOCKETIO = AdapterConfig(kind="socketio")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")

PEERS: dict[str, ServerSpec] = {
    spec.name: spec
    for spec in [
        ServerSpec("websockets", "(a) websockets asyncio server + broadcast()",
                   module_argv("bench.ws.servers.ws_bare"), ENVELOPE),
        ServerSpec("starlette-sansio", "(b) Starlette loop, uvicorn --ws websockets-sansio",
                   uvicorn_argv("bench.ws.servers.starlette_app:app", "websockets-sansio"),
                   ENVELOPE),
        ServerSpec("starlette-ws", "(b) Starlette loop, uvicorn --ws websockets (legacy)",
                   uvicorn_argv("bench.ws.servers.starlette_app:app", "websockets"), ENVELOPE),
        ServerSpec("socketio", "(c) python-socketio + AsyncRedisManager, uvicorn (auto=sansio)",
                   uvicorn_argv("bench.ws.servers.socketio_app:app", "auto"), SOCKETIO,
                   env={"BENCH_REDIS_URL": REDIS_URL}, uses_redis=True),
        ServerSpec("socketio-memory", "(c') python-socketio, in-process manager, uvicorn",
                   uvicorn_argv("bench.ws.servers.socketio_app:app", "auto"), SOCKETIO,
                   env={"BENCH_SIO_MANAGER": "memory"}),
    ]
}


def all_servers() -> dict[str, ServerSpec]:
    from bench.ws.tradehall import tradehall_specs

    return {**PEERS, **tradehall_specs(REDIS_URL)}
