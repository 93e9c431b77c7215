"""Message brokers: in-process (one process) and Redis pub/sub (many processes).

Each process subscribes once per channel and hands every message to one callback (the hub),
which fans it out to that process's local connections. The backend is chosen by URL:
``memory://`` (the default) or ``redis://...``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from app.errors import ServiceUnavailable

log = structlog.get_logger(__name__)

MessageCallback = Callable[[str, str], None]  # (channel, message)


class Broker(Protocol):
    async def start(self, on_message: MessageCallback) -> None: ...
    async def stop(self) -> None: ...
    async def subscribe(self, channel: str) -> None: ...
    async def unsubscribe(self, channel: str) -> None: ...
    async def publish(self, channel: str, message: str) -> None: ...


class MemoryBroker:
    """Delivery within this process: publish hands the message to the hub directly."""

    def __init__(self) -> None:
        self._on_message: MessageCallback | None = None
        self._channels: set[str] = set()

    async def start(self, on_message: MessageCallback) -> None:
        self._on_message = on_message

    async def stop(self) -> None:
        self._channels.clear()

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)

    async def publish(self, channel: str, message: str) -> None:
        if self._on_message is not None and channel in self._channels:
            self._on_message(channel, message)


class BrokerUnavailable(ServiceUnavailable):
    code = "realtime_unavailable"
    message = "Live updates are unavailable right now; reconnect in a moment."


class RedisBroker:
    """Redis pub/sub: one subscriber connection per process, one reader task.

    ``subscribe`` returns only once Redis has confirmed the subscription, so a caller that
    subscribes and then reads history cannot miss an event published in between. If the
    connection drops, the reader reconnects with backoff and subscribes to every channel
    again; durable topics recover what was published meanwhile from the topic log.
    """

    CONNECT_TIMEOUT = 5.0

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix + "ch:"
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._on_message: MessageCallback | None = None
        self._channels: set[str] = set()
        self._confirmations: dict[str, asyncio.Future[None]] = {}
        self._connected = asyncio.Event()
        self._lock = asyncio.Lock()
        self._stopping = False

    async def start(self, on_message: MessageCallback) -> None:
        self._on_message = on_message
        self._reader = asyncio.create_task(self._run(), name="redis-broker-reader")

    async def stop(self) -> None:
        self._stopping = True
        if self._reader is not None:
            self._reader.cancel()
            # redis-py's get_message can swallow a cancellation; the loop also checks
            # _stopping, so bound the wait instead of trusting the cancel.
            await asyncio.wait({self._reader}, timeout=self.CONNECT_TIMEOUT)
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()  # type: ignore[no-untyped-call]

    async def subscribe(self, channel: str) -> None:
        name = self._prefix + channel
        try:
            await asyncio.wait_for(self._connected.wait(), timeout=self.CONNECT_TIMEOUT)
        except TimeoutError as exc:
            raise BrokerUnavailable() from exc
        loop = asyncio.get_running_loop()
        async with self._lock:
            self._channels.add(name)
            confirmed: asyncio.Future[None] = loop.create_future()
            self._confirmations[name] = confirmed
            if self._pubsub is None:
                raise BrokerUnavailable()
            await self._pubsub.subscribe(name)
        await asyncio.wait_for(confirmed, timeout=self.CONNECT_TIMEOUT)

    async def unsubscribe(self, channel: str) -> None:
        name = self._prefix + channel
        async with self._lock:
            self._channels.discard(name)
            if self._pubsub is not None and self._connected.is_set():
                with contextlib.suppress(Exception):
                    await self._pubsub.unsubscribe(name)

    async def publish(self, channel: str, message: str) -> None:
        await self._redis.publish(self._prefix + channel, message)

    async def _connect(self) -> PubSub:
        pubsub = self._redis.pubsub()
        # The control channel opens the connection so the reader can listen before any topic.
        await pubsub.subscribe(self._prefix + "_control", *sorted(self._channels))
        return pubsub

    async def _run(self) -> None:
        backoff = 0.1
        while not self._stopping:
            try:
                async with self._lock:
                    self._pubsub = await self._connect()
                self._connected.set()
                backoff = 0.1
                await self._read(self._pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._connected.clear()
                log.warning("redis_broker_disconnected", error=type(exc).__name__)
                if self._pubsub is not None:
                    with contextlib.suppress(Exception):
                        await self._pubsub.aclose()  # type: ignore[no-untyped-call]
                await asyncio.sleep(backoff)  # reconnect backoff, not synchronisation
                backoff = min(backoff * 2, 5.0)

    async def _read(self, pubsub: PubSub) -> None:
        strip = len(self._prefix)
        while not self._stopping:
            message = await pubsub.get_message(timeout=1.0)
            if message is None:
                continue
            kind = message["type"]
            name = message["channel"]
            name = name.decode() if isinstance(name, bytes) else str(name)
            if kind == "subscribe":
                confirmed = self._confirmations.pop(name, None)
                if confirmed is not None and not confirmed.done():
                    confirmed.set_result(None)
            elif kind == "message" and self._on_message is not None:
                data = message["data"]
                text = data.decode() if isinstance(data, bytes) else str(data)
                self._on_message(name[strip:], text)


def create_broker(redis: Redis | None, prefix: str) -> Broker:
    return RedisBroker(redis, prefix) if redis is not None else MemoryBroker()
