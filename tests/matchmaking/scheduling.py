"""Helpers for tests that run scheduling jobs."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.matchmaking import repository
from app.matchmaking.plan import load_inputs
from app.matchmaking.problem import build_problem
from app.matchmaking.scheduler import Placement, Schedule, check
from app.models.base import utcnow
from tests.factories import Account
from tests.matchmaking.helpers import Setup

# How often and how long a test looks at a job before it gives up: a bound, never a timing
# assertion (a job on a handful of participants takes milliseconds).
POLLS = 600
POLL_INTERVAL = 0.05


async def wait_for_job(client: httpx.AsyncClient, url: str, account: Account
                       ) -> dict[str, Any]:
    """Poll a job until it is done or failed (bounded)."""
    for _ in range(POLLS):
        response = await client.get(url, headers=account.headers)
        assert response.status_code == 200, response.text
        job = dict(response.json())
        if job["status"] in ("done", "failed"):
            return job
        await asyncio.sleep(POLL_INTERVAL)
    raise AssertionError(f"job still {job['status']} after {POLLS} polls: {job}")


async def run_schedule(s: Setup) -> dict[str, Any]:
    response = await s.client.post(f"{s.url}/schedule", headers=s.organizer.headers)
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] == "queued"
    done = await wait_for_job(s.client, f"{s.url}/schedule-jobs/{job['id']}", s.organizer)
    assert done["status"] == "done", done
    return done


async def all_meetings(s: Setup) -> list[dict[str, Any]]:
    response = await s.client.get(f"{s.url}/meetings?limit=100", headers=s.organizer.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def violations(db: AsyncSession, s: Setup) -> list[str]:
    """The scheduler's own feasibility check of the stored meetings against the session's
    problem as the database describes it now."""
    ms = await repository.get_session(db, s.id)
    assert ms is not None
    inputs = await load_inputs(db, ms, utcnow())
    built = build_problem(inputs)
    meetings = await all_meetings(s)
    placements = tuple(sorted(
        (Placement(m["buyer"]["participant_id"], m["supplier"]["participant_id"],
                   m["slot_index"]) for m in meetings),
        key=lambda p: (p.slot, p.buyer, p.supplier)))
    scores = {(c.buyer, c.supplier): c.score for c in built.problem.candidates}
    objective = sum(scores.get((p.buyer, p.supplier), 0) for p in placements)
    return check(built.problem, Schedule(placements, objective, objective, 0.0, (), {}))
