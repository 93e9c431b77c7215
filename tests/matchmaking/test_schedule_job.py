"""The scheduling job end to end: queued by the organizer, run in the background, meetings
written that keep every rule, participants notified; one job at a time; safe after a
restart."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.main import create_app
from app.models import OutboxEmail, ScheduleJob, TopicEvent
from app.models.base import utcnow
from tests.factories import register
from tests.matchmaking.helpers import (
    Setup,
    close_registration,
    register_buyer,
    register_supplier,
    request_meeting,
    scheduled_board,
    setup,
)
from tests.matchmaking.scheduling import all_meetings, run_schedule, violations, wait_for_job

MORNING = [{"date": "2031-05-12", "start": "09:00", "end": "10:30"}]


async def small_session(client: httpx.AsyncClient) -> Setup:
    """Three buyers and three suppliers, six slots, two tables per slot; the first buyer is
    only free 09:00-10:30 (slots 0-2) and has an accepted request with the third supplier,
    whose product is not what it asked for."""
    s = await setup(client, capacity=2, max_meetings=3)
    await register_buyer(s, time_zone="Asia/Shanghai", availability=MORNING)
    await register_buyer(s)
    await register_buyer(s, needs={"categories": ["frozen_shrimp"]})
    await register_supplier(s)
    await register_supplier(s, booth={"export_markets": ["ES"]})
    await register_supplier(s, product={
        "category": "cephalopods", "hs_code": "0307.43", "species": "Squid",
        "latin_name": "Loligo spp.", "name": "Squid rings"})
    first_buyer = s.buyers[0][0]
    squid = s.suppliers[2]
    sent = await request_meeting(s, first_buyer, squid[1]["id"])
    accepted = await client.post(f"/api/v1/meeting-requests/{sent.json()['id']}/accept",
                                 headers=squid[0].headers)
    assert accepted.status_code == 200, accepted.text
    await close_registration(s)
    return s


async def test_a_schedule_places_accepted_requests_and_keeps_every_rule(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await small_session(client)
    job = await run_schedule(s)
    assert job["objective"] > 0
    assert job["upper_bound"] >= job["objective"]
    assert 0 <= job["gap"] <= 1
    assert job["unplaced_priority"] == []
    assert job["progress"] == 1.0
    meetings = await all_meetings(s)
    assert job["meetings_count"] == len(meetings) > 0
    pairs = {(m["buyer"]["participant_id"], m["supplier"]["participant_id"]): m
             for m in meetings}
    accepted = pairs[(s.buyers[0][1]["id"], s.suppliers[2][1]["id"])]
    assert accepted["priority"] == 1
    assert accepted["slot_index"] in (0, 1, 2)
    assert await violations(db, s) == []
    per_slot: dict[int, list[int]] = {}
    for m in meetings:
        per_slot.setdefault(m["slot_index"], []).append(m["table_number"])
    assert all(sorted(tables) == list(range(1, len(tables) + 1)) and len(tables) <= 2
               for tables in per_slot.values())
    session = (await client.get(s.url, headers=s.organizer.headers)).json()
    assert session["status"] == "scheduled"
    assert "go_live" in session["allowed_actions"]


async def test_participants_are_told_and_see_only_their_meetings(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await small_session(client)
    await run_schedule(s)
    buyer, bought = s.buyers[0]
    notified = await db.scalar(select(TopicEvent).where(
        TopicEvent.topic == f"user:{buyer.user_id}",
        TopicEvent.event == "notification").order_by(TopicEvent.id.desc()))
    assert notified is not None
    assert notified.payload["kind"] == "meeting.scheduled"
    subject = await db.scalar(select(OutboxEmail.subject).where(
        OutboxEmail.to_address == buyer.email).order_by(OutboxEmail.id.desc()))
    assert subject is not None
    assert subject.startswith("Your matchmaking agenda is ready")
    own = (await client.get(f"{s.url}/meetings", headers=buyer.headers)).json()["items"]
    assert own
    assert all(m["buyer"]["participant_id"] == bought["id"] for m in own)
    other = await client.get(f"{s.url}/meetings?participant_id={s.buyers[1][1]['id']}",
                             headers=buyer.headers)
    assert other.json()["items"] == []
    stranger = await register(client, kind="buyer")
    refused = await client.get(f"{s.url}/meetings", headers=stranger.headers)
    assert refused.status_code == 403


async def test_only_the_organizer_schedules_and_reads_jobs(client: httpx.AsyncClient) -> None:
    s = await small_session(client)
    buyer = s.buyers[0][0]
    response = await client.post(f"{s.url}/schedule", headers=buyer.headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "organizer_required"
    job = await run_schedule(s)
    peek = await client.get(f"{s.url}/schedule-jobs/{job['id']}", headers=buyer.headers)
    assert peek.status_code == 403
    other = await setup(client)
    elsewhere = await client.get(f"{other.url}/schedule-jobs/{job['id']}",
                                 headers=other.organizer.headers)
    assert elsewhere.status_code == 404
    assert elsewhere.json()["error"]["code"] == "schedule_job_not_found"


async def test_a_second_request_while_one_runs_is_refused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await small_session(client)
    first = await client.post(f"{s.url}/schedule", headers=s.organizer.headers)
    second = await client.post(f"{s.url}/schedule", headers=s.organizer.headers)
    assert first.status_code == 202
    if second.status_code == 409:  # the first had not finished yet: the usual case
        assert second.json()["error"]["code"] == "schedule_in_progress"
        assert second.json()["error"]["details"] == {"job_id": first.json()["id"]}
    else:
        assert second.status_code == 202
    await app.state.matchmaking_jobs.wait_idle()
    jobs = (await client.get(f"{s.url}/schedule-jobs", headers=s.organizer.headers)).json()
    assert {j["status"] for j in jobs} == {"done"}


async def test_a_rerun_keeps_locked_meetings_and_moved_ones_get_a_new_sequence(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await small_session(client)
    await run_schedule(s)
    meetings = await all_meetings(s)
    morning_only = s.buyers[0][1]["id"]
    target, free_slot = next(
        (m, slot) for m in meetings for slot in range(6)
        if _free(meetings, m, slot) and (m["buyer"]["participant_id"] != morning_only
                                         or slot < 3)
    )
    moved = await client.patch(f"{s.url}/meetings/{target['id']}",
                               json={"slot_index": free_slot, "locked": True},
                               headers=s.organizer.headers)
    assert moved.status_code == 200, moved.text
    assert moved.json()["sequence"] == target["sequence"] + 1
    assert moved.json()["locked"] is True
    await run_schedule(s)
    again = {m["id"]: m for m in await all_meetings(s)}
    assert again[target["id"]]["slot_index"] == free_slot
    assert again[target["id"]]["locked"] is True
    assert await violations(db, s) == []


def _free(meetings: list[dict[str, Any]], meeting: dict[str, Any], slot: int) -> bool:
    """Whether ``meeting`` could move to ``slot``: both parties free, a table left."""
    others = [m for m in meetings if m["slot_index"] == slot and m["id"] != meeting["id"]]
    return slot != meeting["slot_index"] and len(others) < 2 and not any(
        m["buyer"]["participant_id"] == meeting["buyer"]["participant_id"]
        or m["supplier"]["participant_id"] == meeting["supplier"]["participant_id"]
        for m in others)


async def test_a_job_left_running_by_a_stopped_server_is_failed_at_start(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    s = await small_session(client)
    stale = ScheduleJob(session_id=s.id, status="running", phase="assign", progress=0.4,
                        heartbeat_at=utcnow() - timedelta(minutes=10), unplaced_priority=[],
                        stats={})
    db.add(stale)
    await db.commit()
    restarted = create_app(settings)
    async with restarted.router.lifespan_context(restarted):
        pass
    await db.refresh(stale)
    assert stale.status == "failed"
    assert stale.error is not None
    assert "run the schedule again" in stale.error
    # ...so the organizer can run it again at once.
    job = await run_schedule(s)
    assert job["status"] == "done"


async def test_a_job_whose_heartbeat_stopped_does_not_block_a_new_one(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await small_session(client)
    db.add(ScheduleJob(session_id=s.id, status="running", phase="assign", progress=0.4,
                       heartbeat_at=utcnow() - timedelta(minutes=10), unplaced_priority=[],
                       stats={}))
    await db.commit()
    response = await client.post(f"{s.url}/schedule", headers=s.organizer.headers)
    assert response.status_code == 202, response.text
    await wait_for_job(client, f"{s.url}/schedule-jobs/{response.json()['id']}", s.organizer)


async def test_progress_reaches_the_sessions_topic(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await small_session(client)
    seen: list[str] = []
    topic = f"matchmaking:{s.id}"
    done = asyncio.Event()
    original = app.state.hub.publish

    async def spy(event: object) -> None:
        seen.append(f"{event.topic} {event.event}")  # type: ignore[attr-defined]
        if seen[-1] == f"{topic} schedule.done":
            done.set()
        await original(event)

    app.state.hub.publish = spy
    try:
        await run_schedule(s)
        # The job's row says "done" at its commit; the event is published just after it.
        await asyncio.wait_for(done.wait(), timeout=30)
    finally:
        app.state.hub.publish = original
    assert f"{topic} schedule.queued" in seen
    assert f"{topic} schedule.progress" in seen
    assert seen.index(f"{topic} schedule.done") > seen.index(f"{topic} schedule.queued")


async def test_a_job_the_solver_refuses_fails_with_its_reason(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    b = await scheduled_board(client, db)
    for supplier, slot in ((0, 0), (1, 1)):
        added = await b.add(b.buyer(1), b.supplier(supplier), slot)
        assert added.status_code == 201, added.text
    # Fewer meetings allowed than the buyer already has locked: no schedule can keep them.
    lowered = await client.patch(b.s.url, json={"max_meetings": 1},
                                 headers=b.s.organizer.headers)
    assert lowered.status_code == 200, lowered.text
    response = await client.post(f"{b.s.url}/schedule", headers=b.s.organizer.headers)
    assert response.status_code == 202, response.text
    job = await wait_for_job(client, f"{b.s.url}/schedule-jobs/{response.json()['id']}",
                             b.s.organizer)
    assert job["status"] == "failed"
    assert "max_meetings" in job["error"]
    # Nothing was written: the locked meetings are all still there.
    assert len(await all_meetings(b.s)) == 2
