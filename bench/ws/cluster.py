"""TradeHall processes for the multi-node and storm scenarios: one or more nodes on one
database file and (when given) one Redis prefix, each on a free port, always stopped."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from bench.ws.procs import Managed, free_port, managed, wait_listening
from bench.ws.tradehall import serve_argv, tradehall_specs

PRODUCT_RATE_LIMITS = ("TRADEHALL_REALTIME_RATE_PER_SECOND", "TRADEHALL_REALTIME_RATE_BURST")
"""The fan-out spec lifts these for its fast publisher; the storm keeps the product's."""


@dataclasses.dataclass(frozen=True)
class Node:
    handle: Managed
    port: int


def node_env(
    database: Path, redis_url: str | None, prefix: str, *, lift_rate_limits: bool
) -> dict[str, str]:
    env = dict(tradehall_specs(redis_url or "")["tradehall-memory"].env)
    env["TRADEHALL_DATABASE_URL"] = f"sqlite+aiosqlite:///{database}"
    if redis_url:
        env["TRADEHALL_REDIS_URL"] = redis_url
        env["TRADEHALL_REDIS_PREFIX"] = prefix
    if not lift_rate_limits:
        for key in PRODUCT_RATE_LIMITS:
            env.pop(key, None)
    return env


@asynccontextmanager
async def tradehall_nodes(
    count: int, redis_url: str | None, prefix: str, logs: Path, tag: str,
    *, lift_rate_limits: bool = True,
) -> AsyncIterator[list[Node]]:
    """`count` TradeHall processes on a fresh SQLite file (deleted afterwards); node A
    migrates the database before node B starts, so they never race on the schema."""
    if count > 1 and not redis_url:
        raise ValueError("several nodes need Redis")
    database = Path(tempfile.gettempdir()) / f"tradehall-{tag}-{os.getpid()}.db"
    env = node_env(database, redis_url, prefix, lift_rate_limits=lift_rate_limits)
    try:
        async with AsyncExitStack() as stack:
            nodes = []
            for index in range(count):
                port = free_port()
                name = f"node{chr(ord('A') + index)}"
                handle = await stack.enter_async_context(
                    managed(name, serve_argv(port), env=env, log=logs / f"{tag}-{name}.log")
                )
                await wait_listening(handle, port, 60)
                nodes.append(Node(handle, port))
            yield nodes
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
