"""The demo's matchmaking session: about 40 foreign buyers and the 30 demo suppliers meet in
the Fuqing expo, with meeting requests sent and answered, and the meetings already
scheduled, so every demo buyer and supplier has an agenda to open.

Registration and requests go through the matchmaking services, exactly as the API drives
them. The schedule is computed here, synchronously, by the same functions the background
job runs (load the inputs, score, solve, write the meetings), after the registration
deadline has been moved to the moment of the seed, as an organizer closing registration
would. The session is found by its natural key (event × title): one that exists is left
exactly as it is, registrations, requests and meetings included.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.demo.data import BUYERS, SUPPLIERS, demo_email
from app.demo.deals import _principal
from app.demo.matchmaking_data import (
    EVENING_ONLY,
    MORE_BUYERS,
    NEEDS,
    REQUESTS,
    SESSION_DAYS_AHEAD,
    SESSION_TITLE,
    slug_of,
)
from app.matchmaking import registration, requests, sessions
from app.matchmaking.errors import ApprovedBoothRequired
from app.matchmaking.plan import build_problem, load_inputs, write_schedule
from app.matchmaking.scheduler import solve
from app.matchmaking.schemas import (
    BuyerNeeds,
    DayWindowIn,
    LocalRangeIn,
    MeetingRequestCreate,
    ParticipantCreate,
    SessionCreate,
    SessionUpdate,
    SupplierOffering,
)
from app.models import (
    MatchmakingParticipant,
    MatchmakingSession,
    Meeting,
    MeetingRequest,
    ScheduleJob,
)
from app.models.base import utcnow

if TYPE_CHECKING:
    from app.accounts.principal import Principal
    from app.demo.seed import SeedContext

SESSIONS = "matchmaking sessions"
PARTICIPANTS = "matchmaking participants"
MEETING_REQUESTS = "meeting requests"
MEETINGS = "meetings"

MORNING = ("09:00", "12:00")
AFTERNOON = ("14:00", "17:30")
COFFEE = ("10:30", "10:45")
SLOT_MINUTES = 20
MAX_MEETINGS = 8


async def seed_matchmaking_buyers(ctx: SeedContext) -> None:
    """The session's 28 extra buyers, each with its owner (like data.BUYERS)."""
    from app.demo.seed import ensure_organizations  # seed.py imports this module

    await ensure_organizations(ctx, MORE_BUYERS)


def _day(ctx: SeedContext) -> date:
    assert ctx.event is not None  # noqa: S101 - seed_expo runs first
    zone = ZoneInfo(ctx.event.time_zone)
    wanted = datetime.now(zone).date() + timedelta(days=SESSION_DAYS_AHEAD)
    last = ctx.event.ends_at.astimezone(zone).date()
    return min(wanted, last)


def _session_body(day: date, zone: ZoneInfo) -> SessionCreate:
    first_slot = datetime.combine(day, time.fromisoformat(MORNING[0]), zone)
    return SessionCreate(
        title=SESSION_TITLE,
        windows=[DayWindowIn.model_validate({"date": day, "start": start, "end": end})
                 for start, end in (MORNING, AFTERNOON)],
        breaks=[LocalRangeIn.model_validate({"start": COFFEE[0], "end": COFFEE[1]})],
        slot_minutes=SLOT_MINUTES, max_meetings=MAX_MEETINGS,
        registration_deadline=first_slot - timedelta(hours=12), capacity=None,
    )


def _needs(slug: str) -> BuyerNeeds:
    need = NEEDS[slug]
    return BuyerNeeds.model_validate({
        "categories": list(need.categories), "certifications": list(need.certifications),
        "incoterms": list(need.incoterms), "destination_port": need.port,
        "yearly_volume": str(need.volume_t), "volume_unit": "t",
        **({"price_max": need.price_max_usd, "currency": "USD"} if need.price_max_usd else {}),
    })


def _evening(day: date, event_zone: ZoneInfo, zone: ZoneInfo) -> list[DayWindowIn]:
    """The expo's afternoon, as a buyer in ``zone`` types it (their local date and times)."""
    start = datetime.combine(day, time.fromisoformat(AFTERNOON[0]), event_zone).astimezone(zone)
    end = datetime.combine(day, time.fromisoformat(AFTERNOON[1]), event_zone).astimezone(zone)
    if end.date() != start.date():  # crosses the buyer's midnight: keep the first part
        end = datetime.combine(start.date(), time(23, 59), zone)
    return [DayWindowIn.model_validate({"date": start.date(), "start": start.time(),
                                        "end": end.time()})]


async def _register_buyers(ctx: SeedContext, ms_id: int, day: date, event_zone: ZoneInfo
                           ) -> None:
    for seed in (*BUYERS, *MORE_BUYERS):
        slug = slug_of(seed)
        buyer = await _principal(ctx, slug)
        if buyer is None or slug not in NEEDS:
            continue
        zone = ZoneInfo(buyer.user.time_zone)
        await registration.register(ctx.session, buyer, ms_id, ParticipantCreate(
            time_zone=buyer.user.time_zone, needs=_needs(slug),
            availability=_evening(day, event_zone, zone) if slug in EVENING_ONLY else [],
        ))
        ctx.count(PARTICIPANTS, created=True)


async def _register_suppliers(ctx: SeedContext, ms_id: int) -> None:
    for seed in SUPPLIERS:
        supplier = await _principal(ctx, slug_of(seed))
        if supplier is None:
            continue
        try:
            await registration.register(ctx.session, supplier, ms_id, ParticipantCreate(
                time_zone=supplier.user.time_zone, offering=SupplierOffering(ports=["Fuzhou"]),
            ))
        except ApprovedBoothRequired:
            continue  # its booth is not (or no longer) approved: it cannot take part
        ctx.count(PARTICIPANTS, created=True)


async def _send_requests(ctx: SeedContext, ms_id: int) -> None:
    for buyer_slug, supplier_slug, note, accepted in REQUESTS:
        buyer = await _principal(ctx, buyer_slug)
        supplier = await _principal(ctx, supplier_slug)
        if buyer is None or supplier is None or supplier.organization_id is None:
            continue
        recipient = await ctx.session.scalar(select(MatchmakingParticipant.id).where(
            MatchmakingParticipant.session_id == ms_id,
            MatchmakingParticipant.organization_id == supplier.organization_id))
        if recipient is None:
            continue
        sent = await requests.send(ctx.session, buyer, ms_id,
                                   MeetingRequestCreate(recipient_id=recipient, note=note))
        ctx.count(MEETING_REQUESTS, created=True)
        if accepted:
            await requests.answer(ctx.session, supplier, sent.id, "accepted")


async def _schedule(ctx: SeedContext, organizer: Principal, ms_id: int) -> None:
    """Close registration now and schedule, as the background job would (synchronously)."""
    now = utcnow()
    await sessions.update_session(ctx.session, organizer, ms_id,
                                  SessionUpdate(registration_deadline=now))
    ms = await ctx.session.get(MatchmakingSession, ms_id)
    assert ms is not None  # noqa: S101 - created above, in this transaction
    inputs = await load_inputs(ctx.session, ms, now)
    built = build_problem(inputs)
    schedule = solve(built.problem)
    await write_schedule(ctx.session, ms, inputs.slots, schedule, built.scores, now)
    ms.status = "scheduled"
    ms.updated_at = now
    # A finished job, so the organizer's admin page shows the run's figures.
    ctx.session.add(ScheduleJob(
        session_id=ms.id, status="done", phase="done", progress=1.0,
        objective=schedule.objective, upper_bound=schedule.upper_bound, gap=schedule.gap,
        meetings_count=len(schedule.meetings),
        unplaced_priority=[[c.buyer, c.supplier] for c in schedule.unplaced_priority],
        stats=dict(schedule.stats), requested_by_user_id=organizer.user_id,
        heartbeat_at=now, started_at=now, finished_at=now, created_at=now,
    ))
    await ctx.session.flush()
    ctx.summary.created[MEETINGS] += len(schedule.meetings)


async def _count_present(ctx: SeedContext, ms_id: int) -> None:
    ctx.count(SESSIONS, created=False)
    for thing, model in ((PARTICIPANTS, MatchmakingParticipant),
                         (MEETING_REQUESTS, MeetingRequest), (MEETINGS, Meeting)):
        held = await ctx.session.scalar(
            select(func.count()).select_from(model).where(model.session_id == ms_id))
        ctx.summary.already_present[thing] += int(held or 0)


async def seed_matchmaking(ctx: SeedContext) -> None:
    """The scheduled session in the expo, unless a session with its title exists there."""
    event = ctx.event
    assert event is not None  # noqa: S101 - seed_expo runs first
    organizer = await _principal(ctx, "organizer")
    if organizer is None:
        ctx.summary.warnings.append("The matchmaking session was skipped: the demo organizer "
                                    "is missing or in no organization.")
        return
    existing = await ctx.session.scalar(
        select(MatchmakingSession.id)
        .where(MatchmakingSession.event_id == event.id, MatchmakingSession.title == SESSION_TITLE)
        .order_by(MatchmakingSession.id).limit(1))
    if existing is not None:
        await _count_present(ctx, existing)
    else:
        day = _day(ctx)
        created = await sessions.create_session(ctx.session, organizer, event.id,
                                                _session_body(day, ZoneInfo(event.time_zone)))
        ctx.count(SESSIONS, created=True)
        await _register_buyers(ctx, created.id, day, ZoneInfo(event.time_zone))
        await _register_suppliers(ctx, created.id)
        await _send_requests(ctx, created.id)
        await _schedule(ctx, organizer, created.id)
    ctx.summary.tour.append(
        f"Matchmaking: sign in as {demo_email('levante-mar')} to see a buyer's agenda, or as "
        f"{demo_email('organizer')} to run the scheduler again from the session's admin page."
    )
