"""Cached search results: the encoded JSON of a results page, per query, per process.

Why: every search computes its page, its total and six facet counts over all the matching
products (for a common word in a 100,000-product fair, ~250 ms of database time), while
thousands of buyers repeat the same few queries and the catalog changes rarely by
comparison. So each process keeps the latest answers in a bounded LRU.

Correctness rests on a *catalog generation*: a number that every commit touching what search
shows increments (``app.search.changes`` marks such sessions; ``after_commit`` bumps it). An
entry is served only if it was computed under the current generation, and a computation
reads the generation *before* it queries, so a result that raced with a write is never
served after the write's commit has bumped the number. The generation lives in this process
(in-process broker: one process) or in Redis (several processes or hosts: one ``GET`` per
search, one ``INCR`` per catalog change). If Redis cannot be reached, searches bypass the
cache; if a bump is lost (the process dies between its commit and the ``INCR``), entries
still expire after ``ttl`` seconds, the bound on staleness.

Only results that do not depend on who asks are cached: those of events everyone may see
(published, live, closed). Concurrent misses of one query wait for the first one's answer
(single flight), so a popular query costs one computation after each catalog change, not
one per waiting client.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from app.search.changes import take_catalog_changed

log = structlog.get_logger(__name__)

# What a computation returns: the body, and whether anyone may be given it.
Computed = tuple[bytes, bool]


class Generation(Protocol):
    async def current(self) -> int | None:
        """The catalog generation now, or None if it cannot be known (then: no caching)."""
        ...

    async def bump(self) -> None: ...


class LocalGeneration:
    """One process: a counter in memory."""

    def __init__(self) -> None:
        self._value = 0

    async def current(self) -> int | None:
        return self._value

    async def bump(self) -> None:
        self._value += 1


class RedisGeneration:
    """Several processes: a counter in Redis that every process reads and increments."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._key = prefix + "search:generation"

    async def current(self) -> int | None:
        try:
            value = await self._redis.get(self._key)
        except RedisError as exc:
            log.warning("search_cache_generation_unavailable", error=type(exc).__name__)
            return None
        return int(value) if value is not None else 0

    async def bump(self) -> None:
        try:
            await self._redis.incr(self._key)
        except RedisError as exc:
            # Other processes keep serving their entries until the TTL: the documented bound.
            log.warning("search_cache_invalidation_failed", error=type(exc).__name__)


@dataclass(frozen=True, slots=True)
class _Entry:
    generation: int
    expires_at: float
    body: bytes


class SearchCache:
    """A bounded LRU of encoded search results, checked against the catalog generation."""

    def __init__(self, generation: Generation, *, max_entries: int, ttl_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._generation = generation
        self._clock = clock
        self._max_entries = max_entries
        self._ttl = ttl_seconds
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._flights: dict[tuple[Hashable, int], asyncio.Future[bytes | None]] = {}
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self._max_entries > 0

    def __len__(self) -> int:
        return len(self._entries)

    async def get_or_compute(self, key: Hashable, compute: Callable[[], Awaitable[Computed]]
                             ) -> bytes:
        """The cached body for `key`, or `compute()`'s (stored if it says it may be shared).

        Errors from `compute` propagate to its caller; a concurrent caller of the same key
        then computes for itself (and gets its own error)."""
        generation = await self._generation.current() if self.enabled else None
        if generation is None:
            return (await compute())[0]
        entry = self._entries.get(key)
        if entry is not None:
            if entry.generation == generation and entry.expires_at > self._clock():
                self._entries.move_to_end(key)
                self.hits += 1
                return entry.body
            del self._entries[key]
        self.misses += 1
        flight_key = (key, generation)
        flight = self._flights.get(flight_key)
        if flight is not None:
            # shield: a waiter that gives up must not cancel the answer others wait for.
            shared = await asyncio.shield(flight)
            return shared if shared is not None else (await compute())[0]
        flight = asyncio.get_running_loop().create_future()
        self._flights[flight_key] = flight
        shared = None
        try:
            body, shareable = await compute()
            if shareable:
                self._store(key, _Entry(generation, self._clock() + self._ttl, body))
                shared = body
            return body
        finally:
            del self._flights[flight_key]
            flight.set_result(shared)

    def _store(self, key: Hashable, entry: _Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    async def invalidate(self) -> None:
        """The catalog changed: no entry computed before now may be served again."""
        self._entries.clear()
        await self._generation.bump()

    async def after_commit(self, session: AsyncSession) -> None:
        """Run after a unit of work commits: invalidate if it wrote what search shows."""
        if take_catalog_changed(session.sync_session):
            await self.invalidate()


def create_search_cache(redis: Redis | None, prefix: str, *, max_entries: int,
                        ttl_seconds: float) -> SearchCache:
    generation: Generation = (
        RedisGeneration(redis, prefix) if redis is not None else LocalGeneration()
    )
    return SearchCache(generation, max_entries=max_entries, ttl_seconds=ttl_seconds)
