"""Who is in a topic — users, not sockets — in this process or across nodes.

Each process counts its own sockets per (topic, user). Only the first socket of a user on a
node (0 → 1) and the last one (1 → 0) touch the shared state, and a join or leave is
announced only when the user appears on or disappears from *every* node.

In Redis, a topic's presence is a sorted set of ``user|node`` members scored by an expiry
time that each node refreshes; a crashed node's users expire on their own.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Protocol

from redis.asyncio import Redis

PRESENCE_TTL_SECONDS = 45


class Presence(Protocol):
    async def add(self, topic: str, user_id: int, name: str) -> bool:
        """Count one more socket; True if the user just became present anywhere."""
        ...

    async def remove(self, topic: str, user_id: int) -> bool:
        """Count one socket less; True if the user is now absent everywhere."""
        ...

    async def members(self, topic: str) -> list[dict[str, object]]: ...

    async def refresh(self) -> None:
        """Keep this node's entries alive (called periodically)."""
        ...


class LocalSockets:
    """This node's sockets per (topic, user): what decides when shared state changes."""

    def __init__(self) -> None:
        self.users: dict[str, dict[int, int]] = defaultdict(dict)

    def add(self, topic: str, user_id: int) -> bool:
        """Count one more socket; True if it is the user's first in the topic here."""
        users = self.users[topic]
        users[user_id] = users.get(user_id, 0) + 1
        return users[user_id] == 1

    def remove(self, topic: str, user_id: int) -> bool:
        """Count one socket less; True if it was the user's last in the topic here."""
        users = self.users.get(topic)
        if not users or user_id not in users:
            return False
        users[user_id] -= 1
        if users[user_id] > 0:
            return False
        del users[user_id]
        if not users:
            del self.users[topic]
        return True


class MemoryPresence:
    def __init__(self) -> None:
        self.sockets = LocalSockets()
        self._names: dict[int, str] = {}

    async def add(self, topic: str, user_id: int, name: str) -> bool:
        self._names[user_id] = name
        return self.sockets.add(topic, user_id)

    async def remove(self, topic: str, user_id: int) -> bool:
        return self.sockets.remove(topic, user_id)

    async def members(self, topic: str) -> list[dict[str, object]]:
        return [
            {"user_id": uid, "name": self._names.get(uid, "")}
            for uid in sorted(self.sockets.users.get(topic, {}))
        ]

    async def refresh(self) -> None:
        return None


class RedisPresence:
    def __init__(self, redis: Redis, prefix: str, node_id: str) -> None:
        self._redis = redis
        self._prefix = prefix + "presence:"
        self._names_key = prefix + "presence-names"
        self._node = node_id
        self._local = MemoryPresence()

    def _key(self, topic: str) -> str:
        return self._prefix + topic

    def _member(self, user_id: int) -> str:
        return f"{user_id}|{self._node}"

    async def _present_elsewhere(self, topic: str, user_id: int, now: float) -> bool:
        entries = await self._entries(topic, now)
        mine = self._member(user_id)
        return any(e.startswith(f"{user_id}|") and e != mine for e in entries)

    async def _entries(self, topic: str, now: float) -> list[str]:
        raw = await self._redis.zrangebyscore(self._key(topic), now, "+inf")
        return [e.decode() if isinstance(e, bytes) else str(e) for e in raw]

    async def add(self, topic: str, user_id: int, name: str) -> bool:
        if not await self._local.add(topic, user_id, name):
            return False
        now = time.time()
        elsewhere = await self._present_elsewhere(topic, user_id, now)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zadd(self._key(topic), {self._member(user_id): now + PRESENCE_TTL_SECONDS})
            pipe.hset(self._names_key, str(user_id), name)
            pipe.expire(self._key(topic), PRESENCE_TTL_SECONDS * 2)
            await pipe.execute()
        return not elsewhere

    async def remove(self, topic: str, user_id: int) -> bool:
        if not await self._local.remove(topic, user_id):
            return False
        await self._redis.zrem(self._key(topic), self._member(user_id))
        return not await self._present_elsewhere(topic, user_id, time.time())

    async def members(self, topic: str) -> list[dict[str, object]]:
        now = time.time()
        user_ids = sorted({int(e.split("|", 1)[0]) for e in await self._entries(topic, now)})
        if not user_ids:
            return []
        names = await self._redis.hmget(self._names_key, [str(u) for u in user_ids])
        return [
            {"user_id": uid, "name": n.decode() if isinstance(n, bytes) else (n or "")}
            for uid, n in zip(user_ids, names, strict=True)
        ]

    async def refresh(self) -> None:
        now = time.time()
        async with self._redis.pipeline(transaction=False) as pipe:
            for topic, users in self._local.sockets.users.items():
                key = self._key(topic)
                pipe.zadd(key, {self._member(u): now + PRESENCE_TTL_SECONDS for u in users})
                pipe.zremrangebyscore(key, "-inf", now)
                pipe.expire(key, PRESENCE_TTL_SECONDS * 2)
            await pipe.execute()
