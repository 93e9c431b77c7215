"""Fixed-window counters: in memory for one process, in Redis when several nodes share them."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis


@dataclass(frozen=True)
class WindowState:
    count: int
    retry_after: int  # seconds until the window resets


class Counter(Protocol):
    async def get(self, key: str, window: int) -> WindowState: ...
    async def hit(self, key: str, window: int) -> WindowState: ...
    async def reset(self, key: str) -> None: ...


class MemoryCounter:
    """Counters in this process's memory; expired windows are swept as keys are touched."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._windows: dict[str, tuple[float, int]] = {}
        self._clock = clock

    def _current(self, key: str) -> tuple[float, int] | None:
        entry = self._windows.get(key)
        if entry is not None and entry[0] <= self._clock():
            del self._windows[key]
            return None
        return entry

    def _state(self, entry: tuple[float, int] | None, window: int) -> WindowState:
        if entry is None:
            return WindowState(0, window)
        return WindowState(entry[1], max(1, math.ceil(entry[0] - self._clock())))

    async def get(self, key: str, window: int) -> WindowState:
        return self._state(self._current(key), window)

    async def hit(self, key: str, window: int) -> WindowState:
        if len(self._windows) > 10_000:
            self._sweep()
        entry = self._current(key)
        entry = (self._clock() + window, 1) if entry is None else (entry[0], entry[1] + 1)
        self._windows[key] = entry
        return self._state(entry, window)

    async def reset(self, key: str) -> None:
        self._windows.pop(key, None)

    def _sweep(self) -> None:
        now = self._clock()
        for key in [k for k, (ends, _) in self._windows.items() if ends <= now]:
            del self._windows[key]


class RedisCounter:
    """Counters shared by every node: INCR plus an expiry set on the window's first hit."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix + "rl:"

    async def get(self, key: str, window: int) -> WindowState:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.get(self._prefix + key)
            pipe.ttl(self._prefix + key)
            raw, ttl = await pipe.execute()
        return WindowState(int(raw or 0), ttl if ttl and ttl > 0 else window)

    async def hit(self, key: str, window: int) -> WindowState:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(self._prefix + key)
            pipe.expire(self._prefix + key, window, nx=True)
            pipe.ttl(self._prefix + key)
            count, _, ttl = await pipe.execute()
        return WindowState(int(count), ttl if ttl and ttl > 0 else window)

    async def reset(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)
