"""Each node's room driver: once a second, per room with sockets here, it writes what the
node's sockets did and tells them the room's numbers.

Per room and tick: the likes clicked here since the last tick are added to the show in one
UPDATE, which also raises ``peak_viewers`` if the audience (counted across nodes) is above it;
with nothing to add it only reads the totals (likes from other nodes). The users who joined
here since are recorded as unique viewers in one insert-or-ignore. Then the node's own
subscribers get ``stats`` {viewers, likes} through ``Hub.deliver_local`` when the numbers
changed: every node does the same for its sockets, so the broker carries no stats at all.

Nodes do not coordinate: increments add up, the peak only rises, viewer rows are inserted
once whoever comes first. Likes and viewers count while the show is live; a failed write is
kept and retried on the next tick. ``tick()`` does one round now: tests call it instead of
waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.livestreams import room_repository
from app.livestreams.room import Room, Rooms
from app.livestreams.room_repository import Totals
from app.models.base import utcnow
from app.realtime.audience import AUDIENCE_REFRESH_SECONDS
from app.realtime.hub import Hub
from app.realtime.protocol import event_frame

log = structlog.get_logger(__name__)

STATS_INTERVAL_SECONDS = 1.0


class RoomDriver:
    def __init__(self, hub: Hub, sessionmaker: async_sessionmaker[AsyncSession], rooms: Rooms,
                 interval_seconds: float = STATS_INTERVAL_SECONDS) -> None:
        self.hub = hub
        self.sessionmaker = sessionmaker
        self.rooms = rooms
        self.interval_seconds = interval_seconds
        self._refreshed_at: float | None = None
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="livestream-rooms")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        # The likes clicked since the last tick are not lost to a restart.
        with contextlib.suppress(Exception):
            await self.tick()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_seconds)  # the cadence itself, not a wait for
            try:
                await self.tick()
            except Exception:
                log.exception("livestream_rooms_tick_failed")

    async def tick(self) -> None:
        """Flush every room once, send changed numbers; keep the audience alive in Redis."""
        async with self._lock:
            now = time.monotonic()
            if self._refreshed_at is None or now - self._refreshed_at >= AUDIENCE_REFRESH_SECONDS:
                await self.rooms.audience.refresh()
                self._refreshed_at = now
            for room in list(self.rooms.rooms.values()):
                try:
                    await self._flush(room)
                except Exception:
                    log.exception("livestream_room_flush_failed", livestream_id=room.livestream_id)

    async def _flush(self, room: Room) -> None:
        here = room.topic in self.hub.channels
        if not here and room.idle:
            # Nobody left here and nothing to write: forget the room.
            self.rooms.rooms.pop(room.livestream_id, None)
            return
        viewers = await self.rooms.viewers(room.livestream_id) if here else 0
        likes, room.pending_likes = room.pending_likes, 0
        totals = await self._write(room, likes, viewers)
        if totals is None:  # the show is gone
            self.rooms.rooms.pop(room.livestream_id, None)
            return
        room.likes, room.peak_viewers, room.viewers = totals.likes, totals.peak_viewers, viewers
        if not here and totals.status != "live":
            # Those who waited for a show that never went live while they were here.
            self.rooms.rooms.pop(room.livestream_id, None)
            return
        if here and room.sent != (viewers, totals.likes):
            room.sent = (viewers, totals.likes)
            self.hub.deliver_local(room.topic, event_frame(
                room.topic, "stats", {"viewers": viewers, "likes": totals.likes}, None))

    async def _write(self, room: Room, likes: int, viewers: int) -> Totals | None:
        """One unit of work: likes and peak, new viewers. On failure what was taken is put
        back for the next tick."""
        joined = set(room.unrecorded)
        try:
            async with self.sessionmaker() as db:
                totals = None
                if likes or viewers > room.peak_viewers:
                    totals = await room_repository.add_likes_and_peak(
                        db, room.livestream_id, likes, viewers)
                if totals is None:  # nothing to add, or not live (then nothing is counted)
                    totals = await room_repository.totals(db, room.livestream_id)
                if totals is not None and totals.status == "live" and joined:
                    await room_repository.add_viewers(db, room.livestream_id, joined, utcnow())
                await db.commit()
        except Exception:
            room.pending_likes += likes
            raise
        if totals is None or totals.status == "live":
            room.unrecorded -= joined
            room.recorded |= joined
        elif totals.status == "ended":
            room.unrecorded.clear()  # came after the show: not its viewers
        # scheduled: they wait in the room; recorded once it goes live
        return totals
