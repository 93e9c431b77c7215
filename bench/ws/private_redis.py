"""A Redis server of the benchmark's own, and the counters read from it.

The machine's Redis on 6379 is shared with other engineers' tests and benchmarks, so its CPU
and `INFO stats` mix their traffic with ours. A private `redis-server` on a free port (no
persistence) makes Redis CPU and bytes per message this run's alone. It is started and
stopped like every other process of the harness (`bench.ws.procs.managed`).
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from redis.asyncio import Redis

from bench.ws.procs import Managed, free_port, managed, wait_listening

HOST = "127.0.0.1"


@dataclass
class RedisCounters:
    """Cumulative counters from `INFO stats` / `INFO commandstats`."""

    net_output_bytes: int
    net_input_bytes: int
    publish_calls: int

    def minus(self, earlier: RedisCounters) -> RedisCounters:
        return RedisCounters(
            self.net_output_bytes - earlier.net_output_bytes,
            self.net_input_bytes - earlier.net_input_bytes,
            self.publish_calls - earlier.publish_calls,
        )


@dataclass
class PrivateRedis:
    handle: Managed | None
    """None when an external Redis was given (then its CPU is not measured)."""
    url: str
    client: Redis

    @property
    def pids(self) -> list[int]:
        return [self.handle.pid] if self.handle is not None else []

    async def counters(self) -> RedisCounters:
        stats = await self.client.info("stats")
        commands = await self.client.info("commandstats")
        publish = commands.get("cmdstat_publish", {})
        calls = int(publish.get("calls", 0)) if isinstance(publish, dict) else 0
        return RedisCounters(
            int(stats["total_net_output_bytes"]), int(stats["total_net_input_bytes"]), calls
        )

    async def subscribers(self, channel: str) -> int:
        """Subscriber connections of a channel (`PUBSUB NUMSUB`): one per node that has
        local subscribers, whatever the number of its WebSocket clients."""
        reply = await self.client.pubsub_numsub(channel)
        return int(reply[0][1]) if reply else 0


@asynccontextmanager
async def redis_for_bench(external_url: str | None, logs: Path) -> AsyncIterator[PrivateRedis]:
    """A private redis-server (default) or a client for `external_url`; always closed."""
    if external_url:
        client = Redis.from_url(external_url)
        try:
            yield PrivateRedis(None, external_url, client)
        finally:
            await client.aclose()
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed; pass --redis-url to use a running one")
    port = free_port()
    argv = [binary, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no",
            "--protected-mode", "yes", "--loglevel", "warning"]
    async with managed("redis", argv, log=logs / f"redis-{port}.log") as handle:
        await wait_listening(handle, port, 15)
        url = f"redis://{HOST}:{port}/0"
        client = Redis.from_url(url)
        try:
            yield PrivateRedis(handle, url, client)
        finally:
            await client.aclose()
