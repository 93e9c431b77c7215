"""Each node's driver of the live day: sweeps meetings at slot boundaries and tells its own
subscribers of ``matchmaking:{id}`` the clock and where to go.

Nodes do not coordinate: the clock is a pure function of the stored slot table and the
time (live_clock.py), the sweep is conditional UPDATEs that change each meeting once
whichever node runs first (and only the node that changed a row publishes the events about
it), and ``clock`` / ``meeting.start`` go to this node's sockets only (``Hub.deliver_local``)
— every node does the same for its own.

The driver sleeps until the next boundary of any live session, or ``poll_seconds`` (how
late it notices a session that went live on another node), or until woken (a join on
``matchmaking:{id}``). ``tick(now)`` does everything due at ``now``: tests call it with a
set clock instead of waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db import run_after_commit
from app.matchmaking import live, live_rematch, live_repository, repository
from app.matchmaking.live_clock import CLOCK, clock_at, crossed, next_boundary, started_between
from app.matchmaking.slots import Slot
from app.models import MatchmakingSession
from app.realtime.connection import Connection
from app.realtime.hub import Hub
from app.realtime.protocol import event_frame

log = structlog.get_logger(__name__)

_DRIVERS: set[LiveDriver] = set()


def wake() -> None:
    """Ask every running driver of this process to look again now."""
    for driver in tuple(_DRIVERS):
        driver.wake()


class LiveDriver:
    def __init__(self, state: Any, policy: live.Policy, poll_seconds: float) -> None:
        self.state = state
        self.policy = policy
        self.poll_seconds = poll_seconds
        self._seen: dict[int, datetime] = {}  # live session id → the instant last handled
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def hub(self) -> Hub:
        hub: Hub = self.state.hub
        return hub

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        maker: async_sessionmaker[AsyncSession] = self.state.sessionmaker
        return maker

    async def start(self) -> None:
        _DRIVERS.add(self)
        self._task = asyncio.create_task(self._run(), name="matchmaking-live")

    async def stop(self) -> None:
        _DRIVERS.discard(self)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                due = await self.tick()
            except Exception:
                log.exception("matchmaking_live_tick_failed")
                due = None
            timeout = self.poll_seconds
            if due is not None:
                timeout = min(timeout, max(0.0, (due - CLOCK.now()).total_seconds()))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()

    async def tick(self, now: datetime | None = None) -> datetime | None:
        """Do what is due at ``now`` (default: the clock's now) for every live session;
        returns the next instant something will be due."""
        async with self._lock:
            now = now or CLOCK.now()
            async with self.sessionmaker() as db:
                sessions = await live_repository.live_sessions(db)
                tables: dict[int, list[Slot]] = {}
                for ms in sessions:
                    tables[ms.id] = await repository.slots_of(db, ms.id)
                    swept = await live.sweep(db, ms, now, self.policy)
                    await live_rematch.offer(db, swept.no_shows, now, self.policy.grace)
                await db.commit()
                await run_after_commit(self.state, db)
                for ms in sessions:
                    await self._tell(db, ms, tables[ms.id], now)
                for gone in set(self._seen) - {ms.id for ms in sessions}:
                    # Finished (or taken back): tell this node's subscribers once.
                    ended = await repository.get_session(db, gone)
                    del self._seen[gone]
                    if ended is not None:
                        self._send_clock(ended, [], now)
            due = [next_boundary(tables[ms.id], self.policy.grace, now) for ms in sessions]
            return min((d for d in due if d is not None), default=None)

    async def _tell(self, db: AsyncSession, ms: MatchmakingSession, slots: list[Slot],
                    now: datetime) -> None:
        before = self._seen.get(ms.id)
        self._seen[ms.id] = now
        if before is None or crossed(slots, before, now):
            self._send_clock(ms, slots, now)
        for slot in started_between(slots, before, now):
            await self._send_starts(db, ms, slot)

    def _send_clock(self, ms: MatchmakingSession, slots: list[Slot], now: datetime) -> None:
        topic = live.session_topic(ms.id)
        data = clock_at(slots, now).as_event(ms.status, self.policy.grace)
        self.hub.deliver_local(topic, event_frame(topic, "clock", data, None))

    async def _send_starts(self, db: AsyncSession, ms: MatchmakingSession, slot: Slot) -> None:
        """``meeting.start`` to each local subscriber whose organization meets in ``slot``."""
        topic = live.session_topic(ms.id)
        if topic not in self.hub.channels:
            return
        meetings = [m for m in await live_repository.meetings_in_slot(db, ms.id, slot.index)
                    if m.status != "no_show"]
        people = await repository.participants_by_id(
            db, {m.buyer_id for m in meetings} | {m.supplier_id for m in meetings})
        for meeting in meetings:
            orgs = {people[meeting.buyer_id].organization_id,
                    people[meeting.supplier_id].organization_id}
            text = event_frame(topic, "meeting.start", live.start_event(meeting), None)

            def accept(conn: Connection, orgs: set[int] = orgs) -> bool:
                return conn.principal.organization_id in orgs

            self.hub.deliver_local(topic, text, accept)
