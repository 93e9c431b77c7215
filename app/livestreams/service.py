"""Rules for a booth's live shows: scheduling, editing, the event's schedule, start and end.

Who: a show is seen by whoever may see its booth (``access.seen``); its booth's members host
it (schedule, edit, start, end; 403 ``livestream_host_required`` for anyone else who sees
it). A show is scheduled only for an approved booth (409 ``booth_not_approved``) of an event
that is not closed (409 ``event_closed``).

Status: ``scheduled → live → ended``, each move a conditional UPDATE so that two racing
starts cannot both win; anything else is 409 ``livestream_status_conflict``. The scheduled
start can change only while the show is scheduled. Once the event is closed nothing changes,
except the recording URL of a show that has ended (hosts publish it after the show, when the
fair may well be over). Starting tells the show's followers
(a ``livestream.live`` notification on their ``user:{id}`` topic); both moves are sent to
the room as a ``status`` event and audited.

URLs: playback and recording URLs follow ``urls.check_url`` (422 ``invalid_url``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.booths import service as booths
from app.events import service as events
from app.kit.pagination import Page
from app.livestreams import access, cursors, followers, pins, repository
from app.livestreams.broadcast import audit_action, publish
from app.livestreams.errors import BoothNotApproved, HostRequired, LivestreamStatusConflict
from app.livestreams.schemas import (
    LivestreamCreate,
    LivestreamRead,
    LivestreamUpdate,
    StatusRead,
    SupplierRead,
    When,
)
from app.livestreams.urls import check_url
from app.models import Event, Livestream
from app.models.base import utcnow

STATUSES_FOR: dict[str, tuple[str, ...]] = {
    "upcoming": ("scheduled",),
    "live": ("live",),
    "ended": ("ended",),
    "all": ("live", "scheduled", "ended"),
}


# --- reading -------------------------------------------------------------------------------


async def read_many(
    session: AsyncSession, viewer: Principal | None, livestreams: Sequence[Livestream],
    organizer_id: int,
) -> list[LivestreamRead]:
    """Shows of one event as the API shows them to ``viewer`` (a fixed number of queries
    whatever the number of shows)."""
    names = await repository.organization_names(session, {ls.supplier_id for ls in livestreams})
    cards = await pins.pinned_cards(session, livestreams)
    following = (
        await repository.followed_among(session, viewer.user_id, [ls.id for ls in livestreams])
        if viewer is not None else set()
    )
    organization_id = viewer.organization_id if viewer is not None else None
    return [
        LivestreamRead(
            id=ls.id, booth_id=ls.booth_id, event_id=ls.event_id,
            supplier=SupplierRead(id=ls.supplier_id, name=names.get(ls.supplier_id, "")),
            title=ls.title, title_zh=ls.title_zh, description=ls.description,
            scheduled_start=ls.scheduled_start, playback_url=ls.playback_url,
            recording_url=ls.recording_url, status=ls.status, started_at=ls.started_at,
            ended_at=ls.ended_at, pinned=cards.get(ls.id),
            slow_mode_seconds=ls.slow_mode_seconds, like_count=ls.like_count,
            peak_viewers=ls.peak_viewers, following=ls.id in following,
            you_host=organization_id == ls.supplier_id,
            you_moderate=organization_id is not None
            and organization_id in (ls.supplier_id, organizer_id),
        )
        for ls in livestreams
    ]


async def _read(session: AsyncSession, viewer: Principal | None, seen: access.Seen
                ) -> LivestreamRead:
    return (await read_many(session, viewer, [seen.livestream], seen.event.organizer_id))[0]


async def get(session: AsyncSession, viewer: Principal | None, livestream_id: int
              ) -> LivestreamRead:
    """A show, for anyone who may see it (404 ``livestream_not_found`` for others)."""
    return await _read(session, viewer, await access.seen(session, viewer, livestream_id))


async def list_for_booth(
    session: AsyncSession, viewer: Principal | None, booth_id: int, limit: int,
    cursor: str | None,
) -> Page[LivestreamRead]:
    """A booth's shows, latest scheduled start first, for anyone who may see the booth."""
    booth = await booths.visible_booth(session, viewer, booth_id)
    event = await events.visible_event(session, viewer, booth.event_id)
    rows = await repository.list_for_booth(session, booth.id, limit, cursors.moment_key(cursor))
    shown, next_cursor = cursors.split(
        rows, limit, lambda last: cursors.moment_cursor(last.scheduled_start, last.id)
    )
    items = await read_many(session, viewer, shown, event.organizer_id)
    return Page(items=items, next_cursor=next_cursor)


async def schedule(
    session: AsyncSession, viewer: Principal | None, event_id: int, when: When, limit: int,
    cursor: str | None,
) -> Page[LivestreamRead]:
    """The event's shows, ``limit`` a page: live first, then upcoming by scheduled start,
    then ended. The cursor holds the last shown show's (rank of its status, scheduled start,
    id): no show that keeps its status is repeated or skipped (one that starts or ends
    between two pages moves in the order, so it may be seen twice or not at all).

    Shows of booths that are not approved are listed only to their own organization and the
    event's organizer (to everyone else they do not exist)."""
    event = await events.visible_event(session, viewer, event_id)
    every_booth = events.is_organizer(viewer, event) or (viewer is not None and viewer.is_admin)
    rows = await repository.schedule(
        session, event.id, STATUSES_FOR[when],
        own_supplier_id=viewer.organization_id if viewer is not None else None,
        every_booth=every_booth, limit=limit, after=cursors.schedule_key(cursor),
    )
    shown, next_cursor = cursors.split(
        rows, limit,
        lambda last: cursors.schedule_cursor(last.status, last.scheduled_start, last.id),
    )
    items = await read_many(session, viewer, shown, event.organizer_id)
    return Page(items=items, next_cursor=next_cursor)


# --- scheduling and editing ------------------------------------------------------------------


def _refuse_if_closed(event: Event) -> None:
    if event.status == "closed":
        raise events.EventClosed()


async def create(
    session: AsyncSession, viewer: Principal, booth_id: int, data: LivestreamCreate
) -> LivestreamRead:
    """The booth's members schedule a show (see the module's rules)."""
    booth = await booths.visible_booth(session, viewer, booth_id)
    if not viewer.is_member_of(booth.supplier_id):
        raise HostRequired()
    if booth.status != "approved":
        raise BoothNotApproved()
    event = await events.visible_event(session, viewer, booth.event_id)
    _refuse_if_closed(event)
    livestream = Livestream(
        booth_id=booth.id, event_id=booth.event_id, supplier_id=booth.supplier_id,
        title=data.title, title_zh=data.title_zh, description=data.description,
        scheduled_start=data.scheduled_start,
        playback_url=check_url(data.playback_url, "playback_url"),
        recording_url=(check_url(data.recording_url, "recording_url")
                       if data.recording_url is not None else None),
        status="scheduled", slow_mode_seconds=0, like_count=0, peak_viewers=0,
        created_by_id=viewer.user_id, created_at=utcnow(),
    )
    session.add(livestream)
    await session.flush()
    await audit_action(session, viewer, livestream.id, "livestream.scheduled",
                 {"scheduled_start": livestream.scheduled_start.isoformat()})
    return (await read_many(session, viewer, [livestream], event.organizer_id))[0]


def _checked_changes(data: LivestreamUpdate) -> dict[str, Any]:
    changes = data.model_dump(exclude_unset=True)
    for field in ("playback_url", "recording_url"):
        if changes.get(field) is not None:
            check_url(changes[field], field)
    return changes


def _recording_after_the_show(livestream: Livestream, changes: dict[str, Any]) -> bool:
    """Only the recording URL of an ended show: allowed even in a closed event."""
    return livestream.status == "ended" and changes.keys() == {"recording_url"}


async def update(
    session: AsyncSession, viewer: Principal, livestream_id: int, data: LivestreamUpdate
) -> LivestreamRead:
    """The host edits the show; the scheduled start only while it is scheduled; in a closed
    event, only an ended show's recording URL (409 ``event_closed`` for anything else)."""
    seen = await access.hosted(session, viewer, livestream_id)
    livestream = seen.livestream
    changes = _checked_changes(data)
    if "scheduled_start" in changes and livestream.status != "scheduled":
        raise _status_conflict(livestream, "The show has started: its start time is history.")
    if not _recording_after_the_show(livestream, changes):
        _refuse_if_closed(seen.event)
    for field, value in changes.items():
        setattr(livestream, field, value)
    if changes:
        livestream.updated_at = utcnow()
        await session.flush()
        await audit_action(session, viewer, livestream.id, "livestream.updated",
                     {"fields": sorted(changes)})
    return await _read(session, viewer, seen)


# --- start and end -------------------------------------------------------------------------


def _status_conflict(livestream: Livestream, message: str) -> LivestreamStatusConflict:
    return LivestreamStatusConflict(message, details={"status": livestream.status})


@dataclass(frozen=True)
class _Move:
    from_status: str
    to_status: str
    stamp: str  # the column that records when
    action: str
    refusal: str


_START = _Move("scheduled", "live", "started_at", "livestream.started",
               "Only a scheduled show can start.")
_END = _Move("live", "ended", "ended_at", "livestream.ended", "Only a live show can end.")


async def _move(
    session: AsyncSession, viewer: Principal, livestream: Livestream, move: _Move
) -> None:
    """The move as a conditional UPDATE (of two racing moves one wins, the other gets 409),
    told to the room and audited."""
    now = utcnow()
    if not await repository.move(session, livestream.id, move.from_status,
                                 status=move.to_status, updated_at=now, **{move.stamp: now}):
        await session.refresh(livestream)
        raise _status_conflict(livestream, move.refusal)
    moved = StatusRead(status=livestream.status, started_at=livestream.started_at,
                       ended_at=livestream.ended_at)
    await publish(session, livestream.id, "status", moved.model_dump(mode="json"))
    await audit_action(session, viewer, livestream.id, move.action,
                       {"status": livestream.status})


async def start(session: AsyncSession, viewer: Principal, livestream_id: int) -> LivestreamRead:
    """scheduled → live, by the host; the followers are told."""
    seen = await access.hosted(session, viewer, livestream_id)
    _refuse_if_closed(seen.event)
    await _move(session, viewer, seen.livestream, _START)
    await followers.notify_live(session, seen.livestream)
    return await _read(session, viewer, seen)


async def end(session: AsyncSession, viewer: Principal, livestream_id: int) -> LivestreamRead:
    """live → ended, by the host."""
    seen = await access.hosted(session, viewer, livestream_id)
    await _move(session, viewer, seen.livestream, _END)
    return await _read(session, viewer, seen)
