"""Real concurrency on PostgreSQL: separate requests, sessions and connections at once."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from app.db import create_sessionmaker
from app.models import ScheduleJob
from tests.matchmaking.helpers import close_registration, register_buyer, register_supplier, setup

ROUNDS = 20


async def test_two_simultaneous_schedule_requests_make_one_job(
    pg_client: httpx.AsyncClient, pg_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = await setup(pg_client)
    await register_buyer(s)
    await register_supplier(s)
    await close_registration(s)

    # Jobs are not started: each round's job stays queued, so the race is only between
    # the two requests.
    starts_jobs = pg_app.state.matchmaking_jobs.after_commit
    monkeypatch.setattr(pg_app.state, "after_commit", tuple(
        hook for hook in pg_app.state.after_commit if hook != starts_jobs))
    sessionmaker = create_sessionmaker(pg_app.state.engine)
    for round_ in range(ROUNDS):
        first, second = await asyncio.gather(
            pg_client.post(f"{s.url}/schedule", headers=s.organizer.headers),
            pg_client.post(f"{s.url}/schedule", headers=s.organizer.headers),
        )
        assert sorted([first.status_code, second.status_code]) == [202, 409], (
            round_, first.text, second.text)
        loser = first if first.status_code == 409 else second
        assert loser.json()["error"]["code"] == "schedule_in_progress"
        async with sessionmaker() as db:
            active = await db.scalar(select(func.count()).select_from(ScheduleJob).where(
                ScheduleJob.session_id == s.id, ScheduleJob.status == "queued"))
            assert active == 1
            # Clear the way for the next round.
            await db.execute(update(ScheduleJob).where(ScheduleJob.session_id == s.id)
                             .values(status="failed"))
            await db.commit()
