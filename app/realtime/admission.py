"""Admission of WebSocket actions: refuse at once what the database cannot serve soon.

Every action holds a pooled database connection for its unit of work. Past the pool, an
action would wait (SQLAlchemy's pool timeout, 30 s) while its connection's reader is
stuck behind it: the socket stops reading, its keepalive pong goes unread and the server
closes it (1011). Refusing after a short wait instead costs the client one
``server_busy`` error frame and a retry; it keeps its socket, its topics and its place.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app.errors import ServiceUnavailable

# How long a client should wait before retrying a refused action (a hint in the frame).
RETRY_AFTER_MS = 1000


class ServerBusy(ServiceUnavailable):
    code = "server_busy"
    message = "The server is busy; nothing was done. Retry in a moment."


class Admission:
    """At most ``limit`` actions of this process hold a database session at once; one more
    waits up to ``wait_seconds`` for a place (a burst is served), then is refused."""

    def __init__(self, limit: int, wait_seconds: float) -> None:
        if limit < 1:
            raise ValueError("the admission limit must be at least 1")
        self.limit = limit
        self.wait_seconds = wait_seconds
        self._places = asyncio.Semaphore(limit)
        self.in_flight = 0

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        if self._places.locked() and self.wait_seconds <= 0:
            raise ServerBusy()
        try:
            async with asyncio.timeout(self.wait_seconds):
                await self._places.acquire()
        except TimeoutError:
            raise ServerBusy() from None
        self.in_flight += 1
        try:
            yield
        finally:
            self.in_flight -= 1
            self._places.release()
