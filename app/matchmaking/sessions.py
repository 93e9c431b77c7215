"""Creating, editing and moving matchmaking sessions (the organizer's side).

Rules: only the event's organizer creates and edits sessions, in an event that is not
closed. The windows (local dates and times in the event's zone), breaks and slot length
decide the slots, which are derived here and stored as UTC instants; they change only while
registration is open. Every slot lies within the event, and registration closes before the
first slot starts. Each problem is a 422 with its own code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.errors import InvalidInput
from app.events import service as events
from app.events.service import EventClosed
from app.kit.pagination import cursor_id, encode_cursor
from app.kit.translation import N_
from app.matchmaking import repository, service
from app.matchmaking.schemas import (
    DayWindowIn,
    DayWindowRead,
    LocalRangeIn,
    LocalRangeRead,
    SessionCreate,
    SessionRead,
    SessionUpdate,
    SlotRead,
)
from app.matchmaking.service import Loaded
from app.matchmaking.slots import (
    MAX_SLOTS,
    DayWindow,
    LocalRange,
    NonexistentLocalTime,
    Slot,
    derive_slots,
)
from app.models import Event, MatchmakingSession
from app.models.base import utcnow

_TIMING_FIELDS = ("windows", "breaks", "slot_minutes", "registration_deadline")


def _windows_json(windows: Sequence[DayWindowIn]) -> list[dict[str, str]]:
    return [{"date": w.date.isoformat(), "start": w.start.strftime("%H:%M"),
             "end": w.end.strftime("%H:%M")} for w in windows]


def _breaks_json(breaks: Sequence[LocalRangeIn]) -> list[dict[str, str]]:
    return [{"start": b.start.strftime("%H:%M"), "end": b.end.strftime("%H:%M")} for b in breaks]


def day_windows(stored: list[dict[str, str]]) -> list[DayWindowRead]:
    return [DayWindowRead.model_validate(w) for w in stored]


def local_breaks(stored: list[dict[str, str]]) -> list[LocalRangeRead]:
    return [LocalRangeRead.model_validate(b) for b in stored]


def plan_slots(
    windows: list[dict[str, str]], breaks: list[dict[str, str]], slot_minutes: int,
    event: Event, deadline: datetime,
) -> list[Slot]:
    """The slots of a session's timing, or the 422 that says what is wrong with it."""
    zone = ZoneInfo(event.time_zone)
    try:
        slots = derive_slots(
            [DayWindow(w.date, w.start, w.end) for w in day_windows(windows)],
            [LocalRange(b.start, b.end) for b in local_breaks(breaks)],
            slot_minutes, zone,
        )
    except NonexistentLocalTime as exc:
        raise _timing_error(
            "windows", "nonexistent_local_time",
            N_("A time in these windows does not exist in the event's time zone that day "
               "(the clocks skip it); choose another time."),
            {"date": exc.day.isoformat(), "time": exc.at.strftime("%H:%M"), "zone": exc.zone},
        ) from None
    if not slots:
        raise _timing_error("windows", "no_slots", N_(
            "These windows hold no slot: make them longer than a slot, or the slots shorter."))
    if len(slots) > MAX_SLOTS:
        raise _timing_error("windows", "too_many_slots", N_(
            "Too many slots for one session: shorten the windows or lengthen the slots."),
            {"max_slots": MAX_SLOTS})
    if slots[0].starts_at < event.starts_at or slots[-1].ends_at > event.ends_at:
        raise _timing_error("windows", "window_outside_event", N_(
            "Every window must lie within the event's dates, in the event's time zone."),
            {"time_zone": event.time_zone})
    if deadline > slots[0].starts_at:
        raise _timing_error("registration_deadline", "deadline_after_start", N_(
            "Registration must close before the first slot starts."))
    return slots


def _timing_error(field: str, code: str, message: str,
                  details: dict[str, Any] | None = None) -> InvalidInput:
    return InvalidInput(message, code=code, details=[
        {"loc": ["body", field], "msg": message, "type": code, **(details or {})}])


def _slot_read(slot: Slot, zone: ZoneInfo) -> SlotRead:
    return SlotRead(index=slot.index, starts_at=slot.starts_at.astimezone(zone),
                    ends_at=slot.ends_at.astimezone(zone))


async def read_many(
    session: AsyncSession, viewer: Principal | None, items: Sequence[Loaded],
    *, with_slots: bool = True,
) -> list[SessionRead]:
    ids = [i.session.id for i in items]
    counts = await repository.side_counts(session, ids)
    mine = (await repository.participant_ids_of(session, ids, viewer.organization_id)
            if viewer is not None and viewer.organization_id is not None else {})
    now = utcnow()
    out = []
    for item in items:
        ms, zone = item.session, item.zone
        slots = await repository.slots_of(session, ms.id) if with_slots else []
        out.append(SessionRead(
            id=ms.id, event_id=ms.event_id, title=ms.title, time_zone=item.event.time_zone,
            windows=day_windows(ms.windows), breaks=local_breaks(ms.breaks),
            slot_minutes=ms.slot_minutes, max_meetings=ms.max_meetings,
            registration_deadline=ms.registration_deadline.astimezone(zone),
            capacity=ms.capacity, status=ms.status,  # type: ignore[arg-type]
            request_quota=ms.request_quota, daily_request_cap=ms.daily_request_cap,
            request_ttl_hours=ms.request_ttl_hours,
            slots=[_slot_read(s, zone) for s in slots],
            buyers=counts[ms.id]["buyer"], suppliers=counts[ms.id]["supplier"],
            allowed_actions=service.allowed_actions(ms, now),
            your_participant_id=mine.get(ms.id),
            created_at=ms.created_at, updated_at=ms.updated_at,
        ))
    return out


async def read(session: AsyncSession, viewer: Principal | None, loaded: Loaded) -> SessionRead:
    return (await read_many(session, viewer, [loaded]))[0]


async def create_session(
    session: AsyncSession, viewer: Principal, event_id: int, data: SessionCreate
) -> SessionRead:
    """The event's organizer opens a session (status ``registration``)."""
    event = await events.organized_event(session, viewer, event_id)
    if event.status == "closed":
        raise EventClosed()
    windows, breaks = _windows_json(data.windows), _breaks_json(data.breaks)
    slots = plan_slots(windows, breaks, data.slot_minutes, event, data.registration_deadline)
    now = utcnow()
    created = MatchmakingSession(
        event_id=event.id, title=data.title, windows=windows, breaks=breaks,
        slot_minutes=data.slot_minutes, max_meetings=data.max_meetings,
        registration_deadline=data.registration_deadline, capacity=data.capacity,
        status="registration", request_quota=data.request_quota,
        daily_request_cap=data.daily_request_cap, request_ttl_hours=data.request_ttl_hours,
        created_by_user_id=viewer.user_id, created_at=now,
    )
    session.add(created)
    await session.flush()
    await repository.replace_slots(session, created.id, slots)
    await _audit(session, viewer, created, "matchmaking.session_created",
                 {"title": created.title, "slots": len(slots)})
    return await read(session, viewer, Loaded(created, event))


async def get_session(
    session: AsyncSession, viewer: Principal | None, session_id: int
) -> SessionRead:
    return await read(session, viewer, await service.load(session, viewer, session_id))


async def list_sessions(
    session: AsyncSession, viewer: Principal | None, event_id: int, limit: int,
    cursor: str | None,
) -> tuple[list[SessionRead], str | None]:
    """The sessions of an event the viewer may see, oldest first (slots left out: read one
    session for them)."""
    event = await events.visible_event(session, viewer, event_id)
    rows = await repository.list_sessions(session, event.id, cursor_id(cursor), limit + 1)
    items = await read_many(session, viewer, [Loaded(r, event) for r in rows[:limit]],
                            with_slots=False)
    next_cursor = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return items, next_cursor


async def update_session(
    session: AsyncSession, viewer: Principal, session_id: int, data: SessionUpdate
) -> SessionRead:
    """The organizer edits the session. Timing (windows, breaks, slot length, deadline)
    changes only during registration; in a live session only the title; never once
    finished."""
    loaded = await service.organized(session, viewer, session_id, for_update=True)
    ms, now = loaded.session, utcnow()
    changes = data.model_dump(exclude_unset=True)
    if not changes:
        return await read(session, viewer, loaded)
    if any(field in changes for field in _TIMING_FIELDS):
        service.require(ms, "edit_timing", now)
    elif set(changes) == {"title"}:
        if ms.status == "finished":
            raise service.status_conflict(ms, now)
    else:
        service.require(ms, "edit", now)
    if "windows" in changes:
        changes["windows"] = _windows_json(data.windows or [])
    if "breaks" in changes:
        changes["breaks"] = _breaks_json(data.breaks or [])
    if any(field in changes for field in _TIMING_FIELDS):
        slots = plan_slots(
            changes.get("windows", ms.windows), changes.get("breaks", ms.breaks),
            changes.get("slot_minutes", ms.slot_minutes), loaded.event,
            changes.get("registration_deadline", ms.registration_deadline),
        )
        await repository.replace_slots(session, ms.id, slots)
    for field, value in changes.items():
        setattr(ms, field, value)
    ms.updated_at = now
    await session.flush()
    await _audit(session, viewer, ms, "matchmaking.session_updated", {"fields": sorted(changes)})
    return await read(session, viewer, loaded)


async def move(
    session: AsyncSession, viewer: Principal, session_id: int, action: str
) -> SessionRead:
    """``go_live`` (from scheduled) or ``finish`` (from live), by the organizer."""
    loaded = await service.organized(session, viewer, session_id)
    ms, now = loaded.session, utcnow()
    service.require(ms, action, now)
    source, target = ("scheduled", "live") if action == "go_live" else ("live", "finished")
    if not await repository.move_status(session, ms.id, [source], target, now):
        # Someone else moved it meanwhile: answer with its status as it is now.
        await session.refresh(ms)
        raise service.status_conflict(ms, now)
    await session.refresh(ms)
    await _audit(session, viewer, ms, f"matchmaking.session_{target}", {})
    return await read(session, viewer, loaded)


async def _audit(
    session: AsyncSession, viewer: Principal, ms: MatchmakingSession, action: str,
    details: dict[str, Any],
) -> None:
    await audit.record(
        session, actor_user_id=viewer.user_id, organization_id=viewer.organization_id,
        action=action, subject_type="matchmaking_session", subject_id=ms.id, details=details,
    )

