"""How many users are in a topic — counted, not listed — in this process or across nodes.

For rooms too big for presence lists (a livestream with thousands of viewers): nobody needs
the names, everybody sees the number. Users, not sockets: a user with three tabs counts once.

Each process counts its own sockets per (topic, user), as presence does (``LocalSockets``);
only a user's first socket on a node (0 → 1) and the last (1 → 0) touch the shared state. In
Redis a topic's audience is a sorted set of user ids scored by an expiry time; every node
re-adds its users with a fresh expiry on ``refresh`` (periodically), so a crashed node's
users drop out within ``AUDIENCE_TTL_SECONDS`` by themselves; the count is the members whose
expiry is ahead.

A known inaccuracy, accepted for one write per first/last socket: the set holds user ids, not
``user|node`` pairs, so when a user is on two nodes and leaves one, that node removes the user
although the other still has them; the count is one short until the other node's next
refresh puts the user back (at most ``AUDIENCE_REFRESH_SECONDS``).
"""

from __future__ import annotations

import time
from typing import Protocol

from redis.asyncio import Redis

from app.realtime.presence import LocalSockets

AUDIENCE_TTL_SECONDS = 45
AUDIENCE_REFRESH_SECONDS = 15


class Audience(Protocol):
    async def add(self, topic: str, user_id: int) -> None:
        """Count one more socket of ``user_id`` in ``topic`` on this node."""
        ...

    async def remove(self, topic: str, user_id: int) -> None:
        """Count one socket less (a user with no socket left here leaves the audience)."""
        ...

    async def count(self, topic: str) -> int:
        """Users in the topic, on every node."""
        ...

    async def refresh(self) -> None:
        """Keep this node's users counted (called every ``AUDIENCE_REFRESH_SECONDS``)."""
        ...


class MemoryAudience:
    """One process: the local count is the whole count."""

    def __init__(self) -> None:
        self._local = LocalSockets()

    async def add(self, topic: str, user_id: int) -> None:
        self._local.add(topic, user_id)

    async def remove(self, topic: str, user_id: int) -> None:
        self._local.remove(topic, user_id)

    async def count(self, topic: str) -> int:
        return len(self._local.users.get(topic, ()))

    async def refresh(self) -> None:
        return None


class RedisAudience:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix + "audience:"
        self._local = LocalSockets()

    def _key(self, topic: str) -> str:
        return self._prefix + topic

    async def add(self, topic: str, user_id: int) -> None:
        if not self._local.add(topic, user_id):
            return
        key = self._key(topic)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zadd(key, {str(user_id): time.time() + AUDIENCE_TTL_SECONDS})
            pipe.expire(key, AUDIENCE_TTL_SECONDS * 2)
            await pipe.execute()

    async def remove(self, topic: str, user_id: int) -> None:
        if self._local.remove(topic, user_id):
            await self._redis.zrem(self._key(topic), str(user_id))

    async def count(self, topic: str) -> int:
        return int(await self._redis.zcount(self._key(topic), time.time(), "+inf"))

    async def refresh(self) -> None:
        now = time.time()
        async with self._redis.pipeline(transaction=False) as pipe:
            for topic, users in self._local.users.items():
                key = self._key(topic)
                pipe.zadd(key, {str(u): now + AUDIENCE_TTL_SECONDS for u in users})
                pipe.zremrangebyscore(key, "-inf", now)
                pipe.expire(key, AUDIENCE_TTL_SECONDS * 2)
            await pipe.execute()


def create_audience(redis: Redis | None, prefix: str) -> Audience:
    return RedisAudience(redis, prefix) if redis is not None else MemoryAudience()
