"""Scheduling jobs: the organizer asks for a schedule, a background task computes it.

Rules: only the organizer schedules, in ``registration`` once the deadline has passed, or in
``scheduling``/``scheduled`` to run it again (409 ``matchmaking_status_conflict`` otherwise).
One job per session at a time (409 ``schedule_in_progress``): the request takes the
session's write lock before it looks, and a partial unique index backs that up. The request
answers at once with the queued job; the job starts after the request's commit.

The job reads the registrations, then scores the plausible pairs and runs the solver in a
worker process (app/matchmaking/solver.py: the event loop keeps serving requests meanwhile),
then writes the meetings, the job's result and the session's ``scheduled``
status in one transaction and notifies the participants. Progress goes to the job row and
as ``schedule.progress`` / ``schedule.done`` / ``schedule.failed`` events on
``matchmaking:{id}``.

A running job refreshes its heartbeat; one whose heartbeat stopped (its process died) is
failed at the next start of the app or the next schedule request, so it is safe to run again.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.accounts.principal import Principal
from app.audit import service as audit
from app.config import Settings
from app.db import run_after_commit
from app.matchmaking import meetings_repository, repository, service, solver
from app.matchmaking.errors import ScheduleInProgress, ScheduleJobNotFound, SessionNotFound
from app.matchmaking.notify import notify_organization
from app.matchmaking.plan import Written, load_inputs, write_schedule
from app.matchmaking.problem import Built, Inputs
from app.matchmaking.scheduler import Schedule
from app.matchmaking.schemas import ScheduleJobRead
from app.models import MatchmakingSession, ScheduleJob
from app.models.base import utcnow
from app.realtime.topics import emit

log = structlog.get_logger(__name__)

PENDING_JOBS_KEY = "matchmaking.pending_jobs"
STALE_ERROR = "The job stopped answering (its server stopped); run the schedule again."
SHUTDOWN_ERROR = "The server stopped while the job ran; run the schedule again."


def topic_of(session_id: int) -> str:
    return f"matchmaking:{session_id}"


def job_read(job: ScheduleJob) -> ScheduleJobRead:
    return ScheduleJobRead(
        id=job.id, session_id=job.session_id, status=job.status,  # type: ignore[arg-type]
        phase=job.phase, progress=job.progress, objective=job.objective,
        upper_bound=job.upper_bound, gap=job.gap, meetings_count=job.meetings_count,
        unplaced_priority=job.unplaced_priority, stats=job.stats, error=job.error,
        created_at=job.created_at, started_at=job.started_at, finished_at=job.finished_at,
    )


# --- asking for a schedule (the request's unit of work) ------------------------------------


async def request_schedule(
    session: AsyncSession, viewer: Principal, session_id: int, stale_after: timedelta
) -> ScheduleJobRead:
    """Queue a scheduling job (see the module's rules)."""
    loaded = await service.organized(session, viewer, session_id)
    await meetings_repository.lock_session(session, loaded.session.id)
    ms = await repository.get_session(session, loaded.session.id)
    if ms is None:
        raise SessionNotFound()
    now = utcnow()
    await meetings_repository.fail_stale_jobs(session, now - stale_after, now, STALE_ERROR,
                                              session_id=ms.id)
    active = await meetings_repository.active_job(session, ms.id)
    if active is not None:
        raise ScheduleInProgress(details={"job_id": active.id})
    if "schedule" not in service.allowed_actions(ms, now):
        raise service.status_conflict(ms, now)
    job = ScheduleJob(session_id=ms.id, status="queued", phase="queued", progress=0.0,
                      requested_by_user_id=viewer.user_id, heartbeat_at=now, created_at=now,
                      unplaced_priority=[], stats={})
    try:
        async with session.begin_nested():
            session.add(job)
            await session.flush()
    except IntegrityError:
        raise ScheduleInProgress() from None
    await repository.move_status(session, ms.id, ["registration", "scheduling", "scheduled"],
                                 "scheduling", now)
    session.info.setdefault(PENDING_JOBS_KEY, []).append(job.id)
    await emit(session, topic=topic_of(ms.id), event="schedule.queued",
               data={"job": job_read(job).model_dump(mode="json")}, durable=False)
    await audit.record(
        session, actor_user_id=viewer.user_id, organization_id=viewer.organization_id,
        action="matchmaking.schedule_requested", subject_type="matchmaking_session",
        subject_id=ms.id, details={"job_id": job.id},
    )
    return job_read(job)


async def get_job(
    session: AsyncSession, viewer: Principal, session_id: int, job_id: int
) -> ScheduleJobRead:
    loaded = await service.organized(session, viewer, session_id)
    job = await meetings_repository.get_job(session, loaded.session.id, job_id)
    if job is None:
        raise ScheduleJobNotFound()
    return job_read(job)


async def list_jobs(
    session: AsyncSession, viewer: Principal, session_id: int
) -> list[ScheduleJobRead]:
    loaded = await service.organized(session, viewer, session_id)
    return [job_read(j) for j in await meetings_repository.jobs_of(session, loaded.session.id,
                                                                   20)]


# --- running a job -------------------------------------------------------------------------


class JobRunner:
    """Runs this process's scheduling jobs as tasks, each after the commit that queued it."""

    def __init__(self, state: Any, settings: Settings) -> None:
        self.state = state
        self.sessionmaker: async_sessionmaker[AsyncSession] = state.sessionmaker
        self.heartbeat = settings.matchmaking_heartbeat_seconds
        self.stale_after = timedelta(seconds=settings.matchmaking_stale_job_seconds)
        self.polish_seconds = settings.matchmaking_polish_seconds
        self.solver_mode = settings.matchmaking_solver
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Fail the jobs a stopped process left running (their heartbeat is stale)."""
        async with self.sessionmaker() as session:
            now = utcnow()
            failed = await meetings_repository.fail_stale_jobs(
                session, now - self.stale_after, now, STALE_ERROR)
            await session.commit()
        if failed:
            log.warning("matchmaking_stale_jobs_failed", job_ids=failed)

    async def after_commit(self, session: AsyncSession) -> None:
        for job_id in session.info.pop(PENDING_JOBS_KEY, []):
            task = asyncio.create_task(self._run(job_id), name=f"schedule-job-{job_id}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def wait_idle(self) -> None:
        """Wait until every job started here has finished (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await self.wait_idle()

    async def _run(self, job_id: int) -> None:
        try:
            await self._execute(job_id)
        except asyncio.CancelledError:
            await asyncio.shield(self._fail(job_id, SHUTDOWN_ERROR))
            raise
        except Exception as exc:
            log.exception("matchmaking_schedule_job_failed", job_id=job_id)
            await self._fail(job_id, f"The scheduler failed: {exc}")

    async def _fail(self, job_id: int, error: str) -> None:
        async with self.sessionmaker() as session:
            job = await session.get(ScheduleJob, job_id)
            if job is not None and await meetings_repository.fail_job(session, job_id, error,
                                                                      utcnow()):
                await emit(session, topic=topic_of(job.session_id), event="schedule.failed",
                           data={"job_id": job_id, "error": error}, durable=False)
            await session.commit()
            await run_after_commit(self.state, session)

    async def _execute(self, job_id: int) -> None:
        async with self.sessionmaker() as session:
            now = utcnow()
            if not await meetings_repository.start_job(session, job_id, now):
                return  # failed or finished meanwhile
            job = await session.get(ScheduleJob, job_id)
            ms = await repository.get_session(session, job.session_id) if job else None
            if job is None or ms is None:
                return
            inputs = await load_inputs(session, ms, now)
            await session.commit()
        built, schedule = await self._solve(job_id, ms.id, inputs)
        await self._finish(job_id, ms.id, inputs, built, schedule)

    async def _solve(self, job_id: int, session_id: int, inputs: Inputs
                     ) -> tuple[Built, Schedule]:
        loop = asyncio.get_running_loop()
        latest: dict[str, Any] = {"phase": "prepare", "progress": 0.0}
        changed = asyncio.Event()

        def note(phase: str, fraction: float) -> None:
            latest.update(phase=phase, progress=round(min(1.0, fraction), 4))
            changed.set()

        def progress(phase: str, fraction: float) -> None:
            # Called from the solver's thread (or the relay of its process). A report that
            # arrives after the server's loop closed (shutdown mid-solve) has nobody to tell.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(note, phase, fraction)

        finished = asyncio.Event()
        reporter = asyncio.create_task(
            self._report(job_id, session_id, latest, changed, finished))
        try:
            return await solver.run(self.solver_mode, job_id, inputs, progress,
                                    self.polish_seconds)
        finally:
            # Told to stop rather than cancelled: on Python 3.11 a cancel that lands as the
            # awaited event fires can be lost, and the reporter would run on forever.
            finished.set()
            changed.set()
            await reporter

    async def _report(self, job_id: int, session_id: int, latest: dict[str, Any],
                      changed: asyncio.Event, finished: asyncio.Event) -> None:
        """Write progress (and the heartbeat) when it changes, or at least every beat; once
        more when the work is finished, so the last progress always precedes the result."""
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.heartbeat):
                    await changed.wait()
            changed.clear()
            last = finished.is_set()
            snapshot = dict(latest)
            async with self.sessionmaker() as session:
                if await meetings_repository.update_running(
                    session, job_id, {**snapshot, "heartbeat_at": utcnow()}
                ):
                    await emit(session, topic=topic_of(session_id), event="schedule.progress",
                               data={"job_id": job_id, **snapshot}, durable=False)
                await session.commit()
                await run_after_commit(self.state, session)
            if last:
                return

    async def _finish(self, job_id: int, session_id: int, inputs: Inputs, built: Built,
                      schedule: Schedule) -> None:
        async with self.sessionmaker() as session:
            await meetings_repository.lock_session(session, session_id)
            ms = await repository.get_session(session, session_id)
            now = utcnow()
            if ms is None or not await meetings_repository.update_running(
                session, job_id, {"heartbeat_at": now}
            ):
                await session.rollback()  # failed as stale meanwhile: its result is dropped
                return
            first = ms.status == "scheduling" and not await meetings_repository.meetings_of(
                session, ms.id)
            written = await write_schedule(session, ms, inputs.slots, schedule, built.scores, now)
            result = {
                "status": "done", "phase": "done", "progress": 1.0, "finished_at": now,
                "objective": schedule.objective, "upper_bound": schedule.upper_bound,
                "gap": schedule.gap, "meetings_count": len(schedule.meetings),
                "unplaced_priority": [[c.buyer, c.supplier] for c in schedule.unplaced_priority],
                "stats": dict(schedule.stats),
            }
            await meetings_repository.update_running(session, job_id, result)
            await repository.move_status(session, ms.id, ["scheduling"], "scheduled", now)
            await _notify(session, ms, written, first)
            await emit(session, topic=topic_of(ms.id), event="schedule.done",
                       data={"job_id": job_id, **{k: v for k, v in result.items()
                                                  if k not in ("finished_at", "stats")}},
                       durable=False)
            await audit.record(
                session, actor_user_id=None, organization_id=None,
                action="matchmaking.scheduled", subject_type="matchmaking_session",
                subject_id=ms.id, details={"job_id": job_id,
                                           "meetings": len(schedule.meetings)},
            )
            await session.commit()
            await run_after_commit(self.state, session)


async def _notify(session: AsyncSession, ms: MatchmakingSession, written: Written,
                  first: bool) -> None:
    """Each organization whose agenda changed hears it once (live and by email)."""
    changed = [*written.added, *written.moved, *written.removed]
    participant_ids = {m.buyer_id for m in changed} | {m.supplier_id for m in changed}
    people = await repository.participants_by_id(session, participant_ids)
    kind = "meeting.scheduled" if first else "meeting.changed"
    for participant_id in sorted(participant_ids):
        await notify_organization(
            session, organization_id=people[participant_id].organization_id, kind=kind,
            session_id=ms.id, title=ms.title, data={"participant_id": participant_id},
        )


def runner_of(state: Any) -> JobRunner | None:
    runner = getattr(state, "matchmaking_jobs", None)
    return runner if isinstance(runner, JobRunner) else None

