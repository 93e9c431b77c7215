"""The demo's matchmaking session: about 40 buyers and the 30 suppliers registered, requests
sent and answered, the meetings scheduled so a demo buyer opens an agenda; seeded once."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.demo.data import BUYERS, SUPPLIERS, demo_email
from app.demo.matchmaking_data import MORE_BUYERS, NEEDS, SESSION_TITLE, slug_of
from app.demo.seed import DEMO_PASSWORD, seed_demo
from app.models import (
    MatchmakingParticipant,
    MatchmakingSession,
    Meeting,
    MeetingRequest,
    Organization,
    ScheduleJob,
)


def test_every_demo_buyer_has_needs_and_the_extra_buyers_are_international() -> None:
    assert {slug_of(b) for b in (*BUYERS, *MORE_BUYERS)} == set(NEEDS)
    assert len(BUYERS) + len(MORE_BUYERS) >= 40
    assert len({b.country for b in MORE_BUYERS}) >= 20
    assert len({b.time_zone for b in MORE_BUYERS}) >= 20


async def test_the_seed_schedules_a_session_with_forty_buyers_and_thirty_suppliers(
    settings: Settings, db: AsyncSession
) -> None:
    summary = await seed_demo(settings)
    ms = await db.scalar(select(MatchmakingSession).where(
        MatchmakingSession.title == SESSION_TITLE))
    assert ms is not None
    assert ms.status == "scheduled"
    sides = dict((await db.execute(
        select(MatchmakingParticipant.side, func.count())
        .where(MatchmakingParticipant.session_id == ms.id)
        .group_by(MatchmakingParticipant.side))).all())
    assert sides == {"buyer": len(BUYERS) + len(MORE_BUYERS), "supplier": len(SUPPLIERS)}
    statuses = set(await db.scalars(select(MeetingRequest.status)
                                    .where(MeetingRequest.session_id == ms.id)))
    assert {"accepted", "pending"} <= statuses
    meetings = await db.scalar(select(func.count()).select_from(Meeting)
                               .where(Meeting.session_id == ms.id))
    assert meetings
    assert meetings > 40
    assert summary.created["meetings"] == meetings
    job = await db.scalar(select(ScheduleJob).where(ScheduleJob.session_id == ms.id))
    assert job is not None
    assert job.status == "done"
    assert job.unplaced_priority == []
    buyers = await db.scalar(select(func.count()).select_from(Organization)
                             .where(Organization.kind == "buyer"))
    assert buyers == len(BUYERS) + len(MORE_BUYERS)
    assert any("matchmaking" in line.lower() for line in summary.tour)


async def test_a_demo_buyer_signs_in_and_reads_an_agenda(
    settings: Settings, client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await seed_demo(settings)
    ms_id = await db.scalar(select(MatchmakingSession.id).where(
        MatchmakingSession.title == SESSION_TITLE))
    login = await client.post("/api/v1/auth/login", json={
        "email": demo_email("levante-mar"), "password": DEMO_PASSWORD})
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    agenda = await client.get(f"/api/v1/matchmaking-sessions/{ms_id}/agenda", headers=headers)
    assert agenda.status_code == 200, agenda.text
    body = agenda.json()
    assert body["time_zone"] == "Europe/Madrid"
    assert len(body["items"]) >= 2  # its two accepted requests at least
    assert all(item["reasons"] for item in body["items"])
