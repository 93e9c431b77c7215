"""The activity recorder: counts booth visits and product views without slowing the page.

A page calls ``record()``, which only appends to an in-memory queue (no I/O, no await). A
background task writes the queue to ``activities`` in batches, one multi-row INSERT each, when
``batch_size`` records are waiting or every ``flush_interval`` seconds, whichever comes first.
``stop()`` writes whatever is still queued, so a clean shutdown loses nothing.

Overload policy: the queue is bounded (``max_queue``). When it is full (the database is slow or
down, or a flood of visits), a new record is dropped and counted in ``stats.dropped``: a
dashboard figure is not worth blocking a page or growing memory without bound. Dropping the new
record rather than the oldest keeps the queue's contents stable under overload and the policy
simple to reason about; both lose the same number of records. A batch the database refuses is
retried row by row (a visit to a booth deleted meanwhile must not take 499 others down); rows
that still fail, and whole batches lost to an unreachable database, count in
``stats.failed``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import asdict, dataclass
from datetime import datetime

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.analytics import repository

log = structlog.get_logger(__name__)

DEFAULT_MAX_QUEUE = 10_000
DEFAULT_BATCH_SIZE = 500
DEFAULT_FLUSH_INTERVAL = 1.0  # seconds


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    """One row for ``activities``; ``created_at`` is when it happened, not when it is written."""

    kind: str
    created_at: datetime
    event_id: int | None = None
    booth_id: int | None = None
    product_id: int | None = None
    actor_user_id: int | None = None
    actor_org_id: int | None = None


@dataclass
class RecorderStats:
    accepted: int = 0  # queued
    written: int = 0  # in the table
    dropped: int = 0  # refused at a full queue (or after stop)
    failed: int = 0  # refused or lost by the database


class ActivityRecorder:
    """Batches activity rows in memory and writes them in the background (see module doc)."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        max_queue: int = DEFAULT_MAX_QUEUE,
        batch_size: int = DEFAULT_BATCH_SIZE,
        flush_interval: float = DEFAULT_FLUSH_INTERVAL,
    ) -> None:
        if max_queue < 1 or batch_size < 1 or flush_interval <= 0:
            raise ValueError("max_queue and batch_size must be >= 1, flush_interval > 0")
        self._sessionmaker = sessionmaker
        self.max_queue = max_queue
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.stats = RecorderStats()
        self._queue: deque[ActivityRecord] = deque()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def accepting(self) -> bool:
        """Started and not stopped: ``record()`` queues instead of dropping."""
        return self._task is not None and not self._stopping

    @property
    def pending(self) -> int:
        return len(self._queue)

    def record(self, item: ActivityRecord) -> bool:
        """Queue a record without waiting; False if it was dropped (full queue or stopped)."""
        if self._stopping or len(self._queue) >= self.max_queue:
            self.stats.dropped += 1
            # Log the 1st, 2nd, 4th, 8th... drop: visible in the logs, never a log flood.
            if self.stats.dropped & (self.stats.dropped - 1) == 0:
                log.warning("activity_dropped", dropped=self.stats.dropped,
                            max_queue=self.max_queue, stopping=self._stopping)
            return False
        self._queue.append(item)
        self.stats.accepted += 1
        if len(self._queue) >= self.batch_size:
            self._wake.set()
        return True

    async def start(self) -> None:
        if self._task is not None:
            return
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="activity-recorder")

    async def stop(self) -> None:
        """Stop taking records and write everything still queued."""
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        if task is not None:
            # The loop exits after its current batch; an error there is already logged.
            with contextlib.suppress(Exception):
                await task
        await self.flush()

    async def flush(self) -> None:
        """Write everything queued now, batch by batch."""
        while self._queue:
            await self._write_batch()

    async def _run(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.flush_interval)
            self._wake.clear()
            # Writes full batches while there are any, then whatever the interval gathered.
            while self._queue and not self._stopping:
                await self._write_batch()

    def _take_batch(self) -> list[ActivityRecord]:
        count = min(self.batch_size, len(self._queue))
        return [self._queue.popleft() for _ in range(count)]

    async def _write_batch(self) -> None:
        batch = self._take_batch()
        if not batch:
            return
        try:
            await self._insert(batch)
        except IntegrityError:
            await self._insert_one_by_one(batch)
        except Exception:
            self.stats.failed += len(batch)
            log.exception("activity_batch_failed", rows=len(batch))
        else:
            self.stats.written += len(batch)

    async def _insert(self, batch: list[ActivityRecord]) -> None:
        async with self._sessionmaker() as session:
            await repository.insert_many(session, [asdict(item) for item in batch])
            await session.commit()

    async def _insert_one_by_one(self, batch: list[ActivityRecord]) -> None:
        for item in batch:
            try:
                await self._insert([item])
            except Exception:
                self.stats.failed += 1
                log.warning("activity_row_refused", kind=item.kind, booth_id=item.booth_id,
                            product_id=item.product_id)
            else:
                self.stats.written += 1
