"""Events and halls: /events, /events/{id}, /events/{id}/halls."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.analytics import service as analytics
from app.analytics.schemas import ActivityCounts
from app.api.deps import CurrentPrincipal, OptionalPrincipal, SessionDep
from app.events import service as events
from app.events.schemas import (
    EventCreate,
    EventRead,
    EventStatus,
    EventUpdate,
    HallCreate,
    HallRead,
    HallUpdate,
)
from app.kit.pagination import Page, PageDep
from app.kit.validation import Id, IsoMoment

router = APIRouter(prefix="/events", tags=["events"])


@router.get("")
async def list_events(
    viewer: OptionalPrincipal,
    session: SessionDep,
    page: PageDep,
    status_filter: Annotated[list[EventStatus] | None, Query(alias="status")] = None,
) -> Page[EventRead]:
    """Public: published, live and closed events (newest first); organizers also see their
    drafts. ``?status=`` (repeatable) narrows the list."""
    items, next_cursor = await events.list_events(
        session, viewer, statuses=status_filter, limit=page.limit, cursor=page.cursor
    )
    return Page(items=items, next_cursor=next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_event(
    data: EventCreate, viewer: CurrentPrincipal, session: SessionDep
) -> EventRead:
    """Organizer organizations only (403 ``organizer_required``); the event starts as a draft."""
    return await events.create_event(session, viewer, data)


@router.get("/{event_id}")
async def get_event(event_id: Id, viewer: OptionalPrincipal, session: SessionDep) -> EventRead:
    """Public, except drafts: 404 for anyone but the organizer's members."""
    return await events.get_event(session, viewer, event_id)


@router.patch("/{event_id}")
async def update_event(
    event_id: Id, data: EventUpdate, viewer: CurrentPrincipal, session: SessionDep
) -> EventRead:
    """The organizer's members, until the event is closed (409 ``event_closed``)."""
    return await events.update_event(session, viewer, event_id, data)


@router.post("/{event_id}/publish")
async def publish_event(
    event_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> EventRead:
    """draft → published (organizer only; else 409 ``event_status_conflict``)."""
    return await events.publish_event(session, viewer, event_id)


@router.post("/{event_id}/go-live")
async def go_live(event_id: Id, viewer: CurrentPrincipal, session: SessionDep) -> EventRead:
    """published → live (organizer only; else 409 ``event_status_conflict``)."""
    return await events.go_live(session, viewer, event_id)


@router.post("/{event_id}/close")
async def close_event(
    event_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> EventRead:
    """live → closed, or published → closed (organizer only; closed is final)."""
    return await events.close_event(session, viewer, event_id)


@router.get("/{event_id}/activity-counts")
async def event_activity_counts(
    event_id: Id,
    viewer: CurrentPrincipal,
    session: SessionDep,
    since: Annotated[IsoMoment | None, Query()] = None,
) -> ActivityCounts:
    """Booth visits, product views... in the event, per kind (the organizer's dashboard)."""
    return await analytics.event_counts(session, viewer, event_id, since=since)


@router.get("/{event_id}/halls")
async def list_halls(
    event_id: Id, viewer: OptionalPrincipal, session: SessionDep, page: PageDep
) -> Page[HallRead]:
    """Whoever can see the event sees its halls, in lobby order."""
    items, next_cursor = await events.list_halls(
        session, viewer, event_id, limit=page.limit, cursor=page.cursor
    )
    return Page(items=items, next_cursor=next_cursor)


@router.post("/{event_id}/halls", status_code=status.HTTP_201_CREATED)
async def create_hall(
    event_id: Id, data: HallCreate, viewer: CurrentPrincipal, session: SessionDep
) -> HallRead:
    """The organizer's members; names are unique per event (409 ``hall_name_taken``)."""
    return await events.create_hall(session, viewer, event_id, data)


@router.patch("/{event_id}/halls/{hall_id}")
async def update_hall(
    event_id: Id,
    hall_id: Id,
    data: HallUpdate,
    viewer: CurrentPrincipal,
    session: SessionDep,
) -> HallRead:
    """The organizer's members."""
    return await events.update_hall(session, viewer, event_id, hall_id, data)


@router.delete("/{event_id}/halls/{hall_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_hall(
    event_id: Id, hall_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> Response:
    """The organizer's members; only an empty hall (409 ``hall_not_empty``)."""
    await events.delete_hall(session, viewer, event_id, hall_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
