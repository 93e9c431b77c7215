"""Rules for events and their halls.

Who: only organizer organizations create events. An event's organizer (any of its owners and
members) edits it, moves its status and manages its halls; nobody else does.

Visibility: a draft exists only for its organizer's members (and platform admins); for
everyone else it is 404. Published, live and closed events are public, even to anonymous
visitors: the lobby is the shop window. Acting on a visible event that is not yours is 403
``organizer_required``.

Status: ``draft → published → live → closed``, each by an explicit action (publish, go live,
close). A published event may also be closed directly, so an organizer can call off an event
that never opened without pretending it went live. Anything else is 409
``event_status_conflict``, and a closed event is read-only (409 ``event_closed``). The status
changes are conditional updates, so two racing actions cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.events import repository
from app.events.schemas import (
    EventCreate,
    EventRead,
    EventUpdate,
    HallCreate,
    HallRead,
    HallUpdate,
    ends_before_starts,
)
from app.kit.pagination import decode_cursor, encode_cursor
from app.kit.validation import MAX_ID
from app.models import Event, Hall
from app.models.base import utcnow
from app.organizations import service as organizations


class EventNotFound(NotFound):
    code = "event_not_found"
    message = "No such event."


class OrganizerRequired(PermissionDenied):
    code = "organizer_required"
    message = "Only the event's organizer can do this."


class EventStatusConflict(Conflict):
    code = "event_status_conflict"
    message = "The event's status does not allow this."


class EventClosed(Conflict):
    code = "event_closed"
    message = "This event is closed; it can no longer be changed."


class HallNotFound(NotFound):
    code = "hall_not_found"
    message = "No such hall in this event."


class HallNameTaken(Conflict):
    code = "hall_name_taken"
    message = "This event already has a hall with this name; choose another name."


class HallNotEmpty(Conflict):
    code = "hall_not_empty"
    message = "This hall has booths; move or remove them before deleting the hall."


def invalid_cursor() -> InvalidInput:
    return InvalidInput("The cursor is not valid; start again without it.", code="invalid_cursor")


def cursor_int(value: object) -> int:
    """An integer from a cursor, within what the database's integer columns hold."""
    number = int(str(value))
    if not -MAX_ID <= number <= MAX_ID:
        raise ValueError("out of range")
    return number


# --- visibility and roles ------------------------------------------------------------------


def is_organizer(viewer: Principal | None, event: Event) -> bool:
    """True when the viewer acts for the event's organizer organization."""
    return viewer is not None and viewer.is_member_of(event.organizer_id)


def can_see(viewer: Principal | None, event: Event) -> bool:
    if event.status != "draft":
        return True
    return viewer is not None and (viewer.is_admin or is_organizer(viewer, event))


async def _visible(
    session: AsyncSession, viewer: Principal | None, event_id: int
) -> tuple[Event, str]:
    found = await repository.get_event(session, event_id)
    if found is None or not can_see(viewer, found[0]):
        raise EventNotFound()
    return found


async def visible_event(session: AsyncSession, viewer: Principal | None, event_id: int) -> Event:
    """The event if the viewer may see it (drafts: the organizer's members only), else 404."""
    event, _name = await _visible(session, viewer, event_id)
    return event


async def _organized(
    session: AsyncSession, viewer: Principal, event_id: int
) -> tuple[Event, str]:
    event, name = await _visible(session, viewer, event_id)
    if not is_organizer(viewer, event):
        raise OrganizerRequired()
    return event, name


async def organized_event(session: AsyncSession, viewer: Principal, event_id: int) -> Event:
    """The event if the viewer acts for its organizer: 404 if invisible, 403 if not theirs."""
    event, _name = await _organized(session, viewer, event_id)
    return event


def _refuse_if_closed(event: Event) -> None:
    if event.status == "closed":
        raise EventClosed()


def _read(event: Event, organizer_name: str) -> EventRead:
    return EventRead.model_validate(
        {**{c: getattr(event, c) for c in EventRead.model_fields if c != "organizer_name"},
         "organizer_name": organizer_name}
    )


# --- events --------------------------------------------------------------------------------


async def create_event(session: AsyncSession, viewer: Principal, data: EventCreate) -> EventRead:
    """Organizer organizations only (403 ``organizer_required`` for others); starts as draft."""
    if viewer.organization_id is None:
        raise OrganizerRequired("Only organizer organizations can create events.")
    organization = await organizations.get_profile(session, viewer.organization_id)
    if organization.kind != "organizer":
        raise OrganizerRequired("Only organizer organizations can create events.")
    event = Event(organizer_id=organization.id, status="draft", **data.model_dump())
    session.add(event)
    await session.flush()
    await audit.record(
        session,
        actor_user_id=viewer.user_id,
        organization_id=organization.id,
        action="event.created",
        subject_type="event",
        subject_id=event.id,
        details={"title": event.title},
    )
    return _read(event, organization.name)


async def get_event(session: AsyncSession, viewer: Principal | None, event_id: int) -> EventRead:
    """Public unless a draft: a draft is 404 for all but its organizer's members."""
    return _read(*await _visible(session, viewer, event_id))


def _event_key(cursor: str | None) -> tuple[datetime, int] | None:
    if cursor is None:
        return None
    values = decode_cursor(cursor)
    try:
        starts_at = datetime.fromisoformat(str(values[0]))
        event_id = cursor_int(values[1])
    except (IndexError, TypeError, ValueError) as exc:
        raise invalid_cursor() from exc
    if starts_at.tzinfo is None:
        raise invalid_cursor()
    return starts_at, event_id


async def list_events(
    session: AsyncSession,
    viewer: Principal | None,
    *,
    statuses: Sequence[str] | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[EventRead], str | None]:
    """Published, live and closed events for anyone; the viewer's own drafts in addition.

    Newest first by start time. Returns the page and the next page's cursor.
    """
    rows = await repository.list_events(
        session,
        drafts_of=viewer.organization_id if viewer is not None else None,
        all_drafts=viewer is not None and viewer.is_admin,
        statuses=statuses,
        limit=limit + 1,
        after=_event_key(cursor),
    )
    items = [_read(event, name) for event, name in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = encode_cursor([last.starts_at.isoformat(), last.id])
    return items, next_cursor


async def update_event(
    session: AsyncSession, viewer: Principal, event_id: int, data: EventUpdate
) -> EventRead:
    """The organizer edits any field but the status, until the event is closed."""
    event, organizer_name = await _organized(session, viewer, event_id)
    _refuse_if_closed(event)
    changes = data.model_dump(exclude_unset=True)
    starts_at = changes.get("starts_at", event.starts_at)
    ends_at = changes.get("ends_at", event.ends_at)
    if ends_at <= starts_at:
        error = ends_before_starts()  # the same error as on create
        raise InvalidInput(
            "The event must end after it starts: set ends_at after starts_at.",
            details=[{"loc": ["body", "ends_at"], "msg": error.message(), "type": error.type}],
        )
    for field, value in changes.items():
        setattr(event, field, value)
    if changes:
        event.updated_at = utcnow()
        await session.flush()
        await audit.record(
            session,
            actor_user_id=viewer.user_id,
            organization_id=event.organizer_id,
            action="event.updated",
            subject_type="event",
            subject_id=event.id,
            details={"fields": sorted(changes)},
        )
    return _read(event, organizer_name)


@dataclass(frozen=True)
class _Move:
    command: str  # the action's path segment: publish, go-live, close
    verb: str  # for people: "published", "taken live", "closed"
    action: str  # audit action
    from_statuses: tuple[str, ...]
    to_status: str


PUBLISH = _Move("publish", "published", "event.published", ("draft",), "published")
GO_LIVE = _Move("go-live", "taken live", "event.went_live", ("published",), "live")
CLOSE = _Move("close", "closed", "event.closed", ("published", "live"), "closed")
MOVES = (PUBLISH, GO_LIVE, CLOSE)


def _status_conflict(current: str, move: _Move) -> EventStatusConflict:
    """Say what the status is and what can be done from it, so the client can recover.

    One fixed message per status (no formatting), so pages can show it translated.
    """
    details = {
        "status": current,
        "allowed_from": list(move.from_statuses),
        "possible_actions": [m.command for m in MOVES if current in m.from_statuses],
    }
    if current == "draft":
        return EventStatusConflict(
            "The event is a draft: publish it first; then it can go live and be closed.",
            details=details,
        )
    if current == "published":
        return EventStatusConflict(
            "The event is already published: it can go live, or be closed.", details=details
        )
    if current == "live":
        return EventStatusConflict("The event is live: it can only be closed.", details=details)
    return EventStatusConflict(
        "The event is closed, which is final: its status cannot change any more.",
        details=details,
    )


async def _move(
    session: AsyncSession, viewer: Principal, event_id: int, move: _Move
) -> EventRead:
    event, organizer_name = await _organized(session, viewer, event_id)
    current = event.status
    if current not in move.from_statuses:
        raise _status_conflict(current, move)
    moved = await repository.move_event_status(
        session, event.id, from_statuses=move.from_statuses, to_status=move.to_status,
        now=utcnow(),
    )
    if not moved:  # another request moved it since we read it
        await repository.reload(session, event)
        raise _status_conflict(event.status, move)
    await repository.reload(session, event)
    await audit.record(
        session,
        actor_user_id=viewer.user_id,
        organization_id=event.organizer_id,
        action=move.action,
        subject_type="event",
        subject_id=event.id,
        details={"from": current, "to": move.to_status},
    )
    return _read(event, organizer_name)


async def publish_event(session: AsyncSession, viewer: Principal, event_id: int) -> EventRead:
    """draft → published, by the organizer: the event becomes public and opens to exhibitors."""
    return await _move(session, viewer, event_id, PUBLISH)


async def go_live(session: AsyncSession, viewer: Principal, event_id: int) -> EventRead:
    """published → live, by the organizer."""
    return await _move(session, viewer, event_id, GO_LIVE)


async def close_event(session: AsyncSession, viewer: Principal, event_id: int) -> EventRead:
    """live → closed (or published → closed: called off), by the organizer. Final."""
    return await _move(session, viewer, event_id, CLOSE)


# --- halls ---------------------------------------------------------------------------------


def _hall_read(hall: Hall, booth_count: int) -> HallRead:
    return HallRead.model_validate(
        {**{c: getattr(hall, c) for c in HallRead.model_fields if c != "booth_count"},
         "booth_count": booth_count}
    )


def _hall_key(cursor: str | None) -> tuple[int, int] | None:
    if cursor is None:
        return None
    values = decode_cursor(cursor)
    try:
        return cursor_int(values[0]), cursor_int(values[1])
    except (IndexError, TypeError, ValueError) as exc:
        raise invalid_cursor() from exc


async def list_halls(
    session: AsyncSession,
    viewer: Principal | None,
    event_id: int,
    *,
    limit: int,
    cursor: str | None,
) -> tuple[list[HallRead], str | None]:
    """Anyone who can see the event sees its halls, in lobby order (position, then id)."""
    event = await visible_event(session, viewer, event_id)
    rows = await repository.list_halls(
        session, event.id, limit=limit + 1, after=_hall_key(cursor)
    )
    items = [_hall_read(hall, count) for hall, count in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor([items[-1].position, items[-1].id])
    return items, next_cursor


async def get_hall(session: AsyncSession, event_id: int, hall_id: int) -> Hall | None:
    """The hall if it belongs to the event (no visibility rule: callers check the event)."""
    return await repository.get_hall(session, event_id, hall_id)


async def _flush_hall(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:  # the same name added concurrently
        raise HallNameTaken() from exc


async def create_hall(
    session: AsyncSession, viewer: Principal, event_id: int, data: HallCreate
) -> HallRead:
    """The organizer adds a hall; names are unique per event (case-insensitive)."""
    event = await organized_event(session, viewer, event_id)
    _refuse_if_closed(event)
    if await repository.hall_name_taken(session, event.id, data.name):
        raise HallNameTaken()
    position = data.position
    if position is None:
        position = await repository.next_hall_position(session, event.id)
    hall = Hall(
        event_id=event.id,
        name=data.name,
        name_zh=data.name_zh,
        description=data.description,
        position=position,
    )
    session.add(hall)
    await _flush_hall(session)
    await _audit_hall(session, viewer, event, hall, "hall.created", {"name": hall.name})
    return _hall_read(hall, 0)


async def update_hall(
    session: AsyncSession, viewer: Principal, event_id: int, hall_id: int, data: HallUpdate
) -> HallRead:
    """The organizer renames, describes or reorders a hall, until the event is closed."""
    event = await organized_event(session, viewer, event_id)
    hall = await repository.get_hall(session, event.id, hall_id)
    if hall is None:
        raise HallNotFound()
    _refuse_if_closed(event)
    changes = data.model_dump(exclude_unset=True)
    if "name" in changes and await repository.hall_name_taken(
        session, event.id, changes["name"], except_hall_id=hall.id
    ):
        raise HallNameTaken()
    for field, value in changes.items():
        setattr(hall, field, value)
    await _flush_hall(session)
    if changes:
        await _audit_hall(session, viewer, event, hall, "hall.updated",
                          {"fields": sorted(changes)})
    return _hall_read(hall, await repository.approved_booth_count(session, hall.id))


async def delete_hall(
    session: AsyncSession, viewer: Principal, event_id: int, hall_id: int
) -> None:
    """The organizer deletes an empty hall; a hall with booths (any status) is 409."""
    event = await organized_event(session, viewer, event_id)
    hall = await repository.get_hall(session, event.id, hall_id)
    if hall is None:
        raise HallNotFound()
    _refuse_if_closed(event)
    if await repository.hall_has_booths(session, hall.id):
        raise HallNotEmpty()
    name = hall.name
    try:
        await repository.delete_hall(session, hall)
    except IntegrityError as exc:  # a booth applied to it meanwhile (foreign key RESTRICT)
        raise HallNotEmpty() from exc
    await _audit_hall(session, viewer, event, hall, "hall.deleted", {"name": name})


async def _audit_hall(
    session: AsyncSession,
    viewer: Principal,
    event: Event,
    hall: Hall,
    action: str,
    details: dict[str, Any],
) -> None:
    await audit.record(
        session,
        actor_user_id=viewer.user_id,
        organization_id=event.organizer_id,
        action=action,
        subject_type="hall",
        subject_id=hall.id,
        details={"event_id": event.id, **details},
    )
