"""The activity recorder: batched writes, no loss at shutdown, a bounded queue."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics import service as analytics
from app.analytics.recorder import ActivityRecord, ActivityRecorder
from app.models import Activity
from app.models.base import utcnow
from tests.factories import Expo, approved_booth, open_expo, register


async def _count(db: AsyncSession, **where: object) -> int:
    query = select(func.count()).select_from(Activity)
    for column, value in where.items():
        query = query.where(getattr(Activity, column) == value)
    return int(await db.scalar(query) or 0)


def _visit(expo: Expo, booth_id: int) -> ActivityRecord:
    return ActivityRecord(
        kind="booth_visit", created_at=utcnow(), event_id=expo.event_id, booth_id=booth_id
    )


@pytest.fixture
async def booth(client: httpx.AsyncClient) -> tuple[Expo, int]:
    expo = await open_expo(client)
    _supplier, created = await approved_booth(client, expo)
    return expo, int(created["id"])


@pytest.fixture
async def recorder(app: FastAPI) -> AsyncIterator[ActivityRecorder]:
    made = ActivityRecorder(app.state.sessionmaker, batch_size=100, flush_interval=0.05)
    await made.start()
    yield made
    await made.stop()


async def _eventually(db: AsyncSession, expected: int, timeout: float = 5.0) -> int:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        count = await _count(db)
        if count >= expected or asyncio.get_running_loop().time() > deadline:
            return count
        await asyncio.sleep(0.02)


async def test_a_burst_lands_in_the_table_in_batches(
    db: AsyncSession, booth: tuple[Expo, int], recorder: ActivityRecorder
) -> None:
    expo, booth_id = booth
    for _ in range(1050):
        assert recorder.record(_visit(expo, booth_id))
    # record() never waits: everything is still queued when it returns.
    assert recorder.pending == 1050
    assert await _eventually(db, 1050) == 1050
    assert await _count(db, kind="booth_visit", booth_id=booth_id, event_id=expo.event_id) == 1050
    assert recorder.stats.written == 1050
    assert (recorder.stats.dropped, recorder.stats.failed) == (0, 0)


async def test_a_few_records_are_written_by_the_timer(
    db: AsyncSession, booth: tuple[Expo, int], recorder: ActivityRecorder
) -> None:
    expo, booth_id = booth
    for _ in range(3):
        recorder.record(_visit(expo, booth_id))
    # Far below the batch size: only the flush interval writes them.
    assert await _eventually(db, 3) == 3


async def test_stop_writes_everything_still_queued(
    app: FastAPI, db: AsyncSession, booth: tuple[Expo, int]
) -> None:
    expo, booth_id = booth
    recorder = ActivityRecorder(app.state.sessionmaker, batch_size=1000, flush_interval=3600)
    await recorder.start()
    for _ in range(250):
        recorder.record(_visit(expo, booth_id))
    await asyncio.sleep(0.05)
    assert await _count(db) == 0  # neither the batch size nor the interval was reached
    await recorder.stop()
    assert await _count(db) == 250
    assert recorder.pending == 0
    # After stop, records are refused (and counted), not queued forever.
    assert recorder.record(_visit(expo, booth_id)) is False
    assert recorder.stats.dropped == 1


async def test_a_full_queue_drops_new_records_and_counts_them(
    app: FastAPI, db: AsyncSession, booth: tuple[Expo, int]
) -> None:
    expo, booth_id = booth
    recorder = ActivityRecorder(
        app.state.sessionmaker, max_queue=10, batch_size=100, flush_interval=3600
    )
    await recorder.start()
    accepted = [recorder.record(_visit(expo, booth_id)) for _ in range(15)]
    assert accepted == [True] * 10 + [False] * 5
    assert (recorder.pending, recorder.stats.dropped) == (10, 5)
    await recorder.stop()
    assert await _count(db) == 10
    assert (recorder.stats.accepted, recorder.stats.written) == (10, 10)


async def test_a_bad_row_does_not_take_its_batch_down(
    app: FastAPI, db: AsyncSession, booth: tuple[Expo, int]
) -> None:
    expo, booth_id = booth
    recorder = ActivityRecorder(app.state.sessionmaker, batch_size=100, flush_interval=3600)
    await recorder.start()
    for _ in range(5):
        recorder.record(_visit(expo, booth_id))
    recorder.record(_visit(expo, 999_999))  # a booth that does not exist (foreign key)
    await recorder.stop()
    assert await _count(db) == 5
    assert (recorder.stats.written, recorder.stats.failed) == (5, 1)


async def test_recording_without_a_running_recorder_is_a_safe_no_op(
    booth: tuple[Expo, int],
) -> None:
    expo, booth_id = booth
    state = SimpleNamespace()  # an app whose lifespan did not start a recorder
    queued = analytics.record_booth_visit(
        state, event_id=expo.event_id, booth_id=booth_id, supplier_id=1, viewer=None
    )
    assert queued is False


async def test_start_and_stop_on_the_app_state(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, booth: tuple[Expo, int]
) -> None:
    expo, booth_id = booth
    recorder = await analytics.start(app.state)
    try:
        assert await analytics.start(app.state) is recorder  # idempotent
        buyer = await register(client, kind="buyer")
        r = await client.get(f"/api/v1/booths/{booth_id}", headers=buyer.headers)
        assert r.status_code == 200
    finally:
        await analytics.stop(app.state)
    assert await _count(db, kind="booth_visit", booth_id=booth_id) == 1
    row = await db.scalar(select(Activity))
    assert row is not None
    assert (row.actor_user_id, row.actor_org_id, row.event_id) == (
        buyer.user_id, buyer.organization_id, expo.event_id
    )
