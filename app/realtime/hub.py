"""This process's side of every topic: one broker subscription per topic, local fan-out.

Durable events carry their per-topic seq in the broker message. Publishes can reach a
process out of order (two writers commit seq 5 and 6, then publish 6 first); the hub keeps
each topic's stream in order and gap-free for its local subscribers, reading any gap back
from the topic log — once per process, not once per connection.

Ephemeral topics may coalesce (``TopicHandler.coalesce_seconds``): the first frame after a
quiet window goes out at once and opens a window; frames arriving within it are held and go
out together when it closes, as one ``batch`` frame encoded once for every subscriber (and
the next window opens). A room with 50 chat lines a second and 2,000 sockets then costs ten
deliveries per socket a second instead of fifty.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.realtime import log as topic_log
from app.realtime.broker import Broker
from app.realtime.connection import Connection
from app.realtime.presence import Presence
from app.realtime.protocol import batch_frame, event_frame, frame
from app.realtime.topics import PENDING_EVENTS_KEY, PendingEvent, TopicRegistry

log = structlog.get_logger(__name__)

PRESENCE_REFRESH_SECONDS = 15


@dataclass
class Channel:
    durable: bool
    subscribers: set[Connection] = field(default_factory=set)
    last_seq: int = 0
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    filling: bool = True  # until the baseline seq is known, then while a gap is read back
    backlog: list[tuple[int, str]] = field(default_factory=list)
    # Coalescing (ephemeral topics that ask for it): the window's length, the frames held in
    # the open window, and the timer that closes it (None: quiet, the next frame goes now).
    coalesce: float | None = None
    held: list[str] = field(default_factory=list)
    window: asyncio.TimerHandle | None = None

    def close_window(self) -> None:
        if self.window is not None:
            self.window.cancel()
            self.window = None
        self.held.clear()


class Hub:
    def __init__(
        self,
        broker: Broker,
        presence: Presence,
        sessionmaker: async_sessionmaker[AsyncSession],
        registry: TopicRegistry,
    ) -> None:
        self.broker = broker
        self.presence = presence
        self.sessionmaker = sessionmaker
        self.registry = registry
        self.channels: dict[str, Channel] = {}
        self.connections: set[Connection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._refresher: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self.broker.start(self._on_message)
        self._refresher = asyncio.create_task(self._refresh_presence(), name="presence-refresh")

    async def stop(self) -> None:
        for conn in list(self.connections):
            conn.finish(1012, "server restarting")
        for channel in self.channels.values():
            channel.close_window()
        tasks = [*self._tasks, *([self._refresher] if self._refresher else [])]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.broker.stop()

    # --- subscriptions -------------------------------------------------------------------

    async def subscribe(self, topic: str, conn: Connection, durable: bool,
                        coalesce_seconds: float | None = None) -> None:
        """Add a local subscriber; the first one subscribes this process at the broker.
        ``coalesce_seconds``: batch the topic's frames (ephemeral topics only)."""
        if durable and coalesce_seconds is not None:
            raise ValueError("durable topics are delivered one seq at a time, never batched")
        async with self._lock:
            channel = self.channels.get(topic)
            created = channel is None
            if channel is None:
                channel = self.channels[topic] = Channel(durable=durable,
                                                         coalesce=coalesce_seconds)
            channel.subscribers.add(conn)
        if created:
            try:
                await self.broker.subscribe(topic)
                if durable:
                    async with self.sessionmaker() as session:
                        channel.last_seq = await topic_log.last_seq(session, topic)
            except BaseException:
                channel.subscribers.discard(conn)
                self.channels.pop(topic, None)
                channel.ready.set()
                raise
            self._drain_backlog(topic, channel)
            channel.ready.set()
        else:
            await channel.ready.wait()

    async def unsubscribe(self, topic: str, conn: Connection) -> None:
        async with self._lock:
            channel = self.channels.get(topic)
            if channel is None:
                return
            channel.subscribers.discard(conn)
            if channel.subscribers:
                return
            del self.channels[topic]
            channel.close_window()
        await self.broker.unsubscribe(topic)

    # --- publishing ----------------------------------------------------------------------

    async def publish(self, event: PendingEvent) -> None:
        text = event_frame(event.topic, event.event, event.data, event.seq)
        await self.broker.publish(event.topic, f"{event.seq or 0}\n{text}")

    async def publish_frame(self, topic: str, text: str) -> None:
        """Publish an unsequenced frame (presence diffs, ephemeral signals) to every node."""
        await self.broker.publish(topic, f"0\n{text}")

    async def publish_pending(self, session: AsyncSession) -> None:
        """Publish the events a committed unit of work recorded (see ``topics.emit``)."""
        pending: list[PendingEvent] = session.info.pop(PENDING_EVENTS_KEY, [])
        for event in pending:
            await self.publish(event)

    async def announce_presence(
        self, topic: str, joins: list[dict[str, Any]], leaves: list[dict[str, Any]]
    ) -> None:
        await self.publish_frame(topic, frame("presence", topic, None,
                                              {"joins": joins, "leaves": leaves}))

    # --- delivery ------------------------------------------------------------------------

    def _on_message(self, topic: str, message: str) -> None:
        channel = self.channels.get(topic)
        if channel is None:
            return
        header, _, text = message.partition("\n")
        seq = int(header) if header.isdigit() else 0
        if seq == 0 or not channel.durable:
            self._fan_out(channel, topic, 0, text)
            return
        if channel.filling:
            channel.backlog.append((seq, text))
            return
        if seq <= channel.last_seq:
            return
        if seq == channel.last_seq + 1:
            channel.last_seq = seq
            self._fan_out(channel, topic, seq, text)
            return
        channel.filling = True
        channel.backlog.append((seq, text))
        self._spawn(self._fill_gap(topic, channel))

    def deliver_local(
        self, topic: str, text: str, accept: Callable[[Connection], bool] | None = None
    ) -> int:
        """Hand an unsequenced frame to this process's subscribers of ``topic`` only (those
        ``accept`` takes), without the broker: for what every node computes for itself, such
        as the matchmaking slot clock. Returns how many got it (or will, at the end of a
        coalescing window: a frame for everyone joins the window like a broker's; one for
        some only goes at once, after the frames held so far, to keep the order)."""
        channel = self.channels.get(topic)
        if channel is None:
            return 0
        if channel.coalesce is not None:
            if accept is None:
                self._coalesce(channel, topic, text)
                return len(channel.subscribers)
            self._release_held(channel, topic)
        sent = 0
        for conn in tuple(channel.subscribers):
            if accept is None or accept(conn):
                conn.deliver(topic, 0, text)
                sent += 1
        return sent

    def _fan_out(self, channel: Channel, topic: str, seq: int, text: str) -> None:
        if channel.coalesce is not None:
            self._coalesce(channel, topic, text)
            return
        for conn in tuple(channel.subscribers):
            conn.deliver(topic, seq, text)

    # --- coalescing ----------------------------------------------------------------------

    def _coalesce(self, channel: Channel, topic: str, text: str) -> None:
        if channel.window is not None:
            channel.held.append(text)
            return
        # Quiet until now: this frame goes at once, and a window opens behind it.
        self._deliver_all(channel, topic, text)
        self._open_window(channel, topic)

    def _open_window(self, channel: Channel, topic: str) -> None:
        loop = self._loop or asyncio.get_running_loop()
        if channel.coalesce is not None:
            channel.window = loop.call_later(channel.coalesce, self._close_window, channel,
                                             topic)

    def _close_window(self, channel: Channel, topic: str) -> None:
        channel.window = None
        if self.channels.get(topic) is not channel:  # unsubscribed meanwhile
            channel.held.clear()
            return
        if channel.held:
            self._release_held(channel, topic)
            # Frames kept coming: the next ones are held for a window again.
            self._open_window(channel, topic)

    def _release_held(self, channel: Channel, topic: str) -> None:
        """Deliver what the open window holds now, as one frame (a batch if several)."""
        held = channel.held
        if not held:
            return
        channel.held = []
        self._deliver_all(channel, topic, held[0] if len(held) == 1 else batch_frame(topic, held))

    def flush_held(self, topic: str) -> None:
        """Deliver what a coalescing topic holds now instead of at the window's end."""
        channel = self.channels.get(topic)
        if channel is not None:
            self._release_held(channel, topic)

    @staticmethod
    def _deliver_all(channel: Channel, topic: str, text: str) -> None:
        for conn in tuple(channel.subscribers):
            conn.deliver(topic, 0, text)

    def _drain_backlog(self, topic: str, channel: Channel) -> bool:
        """Deliver held messages in order; False if a gap remains to be read back."""
        channel.backlog.sort()
        while channel.backlog:
            seq, text = channel.backlog[0]
            if seq <= channel.last_seq:
                channel.backlog.pop(0)
            elif seq == channel.last_seq + 1:
                channel.backlog.pop(0)
                channel.last_seq = seq
                self._fan_out(channel, topic, seq, text)
            else:
                return False
        channel.filling = False
        return True

    async def _fill_gap(self, topic: str, channel: Channel) -> None:
        try:
            while not self._drain_backlog(topic, channel):
                upto = channel.backlog[0][0]
                async with self.sessionmaker() as session:
                    missing = await topic_log.history(
                        session, topic, channel.last_seq, limit=1000, before_seq=upto
                    )
                if not missing:
                    # Not in the log (pruned): skip ahead rather than stall the topic.
                    log.warning("topic_gap_unrecoverable", topic=topic,
                                after=channel.last_seq, before=upto)
                    channel.last_seq = upto - 1
                for item in missing:
                    if item.seq == channel.last_seq + 1:
                        channel.last_seq = item.seq
                        self._fan_out(channel, topic, item.seq,
                                      event_frame(topic, item.event, item.payload, item.seq))
        except Exception:
            log.exception("topic_gap_fill_failed", topic=topic)
            channel.filling = False

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _refresh_presence(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_REFRESH_SECONDS)
            try:
                await self.presence.refresh()
            except Exception:
                log.exception("presence_refresh_failed")
