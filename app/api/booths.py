"""Booths: /events/{id}/booths (apply, list, search) and /booths/{id} (profile, decisions)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from pydantic import AfterValidator, StringConstraints

from app.analytics import service as analytics
from app.analytics.schemas import ActivityCounts
from app.api.deps import CurrentPrincipal, OptionalPrincipal, SessionDep
from app.booths import service as booths
from app.booths.schemas import (
    BoothApply,
    BoothRead,
    BoothReject,
    BoothStatus,
    BoothSummary,
    BoothUpdate,
    CertificationScheme,
)
from app.kit.pagination import Page, PageDep
from app.kit.validation import CountryCode, Id, IsoMoment, refuse_control_characters

router = APIRouter(tags=["booths"])

SearchText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=100),
    AfterValidator(refuse_control_characters),
]


@router.get("/events/{event_id}/booths")
async def list_booths(
    event_id: Id,
    viewer: OptionalPrincipal,
    session: SessionDep,
    page: PageDep,
    hall_id: Annotated[Id | None, Query()] = None,
    q: Annotated[SearchText | None, Query(description="in booth and supplier names")] = None,
    certification: Annotated[CertificationScheme | None, Query()] = None,
    market: Annotated[CountryCode | None, Query(description="an export market")] = None,
    status_filter: Annotated[BoothStatus | None, Query(alias="status")] = None,
) -> Page[BoothSummary]:
    """Public: the approved booths (and your own, whatever its status). The organizer's members
    list the review queue with ``status=applied`` (or ``rejected``)."""
    items, next_cursor = await booths.list_booths(
        session,
        viewer,
        event_id,
        booths.BoothFilters(
            status=status_filter,
            hall_id=hall_id,
            text=q or None,
            certification=certification,
            market=market,
        ),
        limit=page.limit,
        cursor=page.cursor,
    )
    return Page(items=items, next_cursor=next_cursor)


@router.post("/events/{event_id}/booths", status_code=status.HTTP_201_CREATED)
async def apply_for_booth(
    event_id: Id, data: BoothApply, viewer: CurrentPrincipal, session: SessionDep
) -> BoothRead:
    """A supplier's member applies (one booth per supplier per event; event published or
    live)."""
    return await booths.apply(session, viewer, event_id, data)


@router.get("/booths/{booth_id}")
async def get_booth(
    booth_id: Id, request: Request, viewer: OptionalPrincipal, session: SessionDep
) -> BoothRead:
    """Approved booths are public; others only for the exhibitor and the organizer.
    A visit by someone outside the exhibitor is counted for the dashboards."""
    booth = await booths.get_booth(session, viewer, booth_id)
    if booth.status == "approved":
        analytics.record_booth_visit(
            request.app.state,
            event_id=booth.event_id,
            booth_id=booth.id,
            supplier_id=booth.supplier_id,
            viewer=viewer,
        )
    return booth


@router.patch("/booths/{booth_id}")
async def update_booth(
    booth_id: Id, data: BoothUpdate, viewer: CurrentPrincipal, session: SessionDep
) -> BoothRead:
    """The exhibitor's members edit the profile (the organizer: 403; anyone else: 404)."""
    return await booths.update_booth(session, viewer, booth_id, data)


@router.post("/booths/{booth_id}/approve")
async def approve_booth(
    booth_id: Id, viewer: CurrentPrincipal, session: SessionDep
) -> BoothRead:
    """applied → approved, by the event organizer's members (the exhibitor: 403)."""
    return await booths.approve(session, viewer, booth_id)


@router.post("/booths/{booth_id}/reject")
async def reject_booth(
    booth_id: Id, data: BoothReject, viewer: CurrentPrincipal, session: SessionDep
) -> BoothRead:
    """applied → rejected with a reason, by the event organizer's members."""
    return await booths.reject(session, viewer, booth_id, data)


@router.get("/booths/{booth_id}/activity-counts")
async def booth_activity_counts(
    booth_id: Id,
    viewer: CurrentPrincipal,
    session: SessionDep,
    since: Annotated[IsoMoment | None, Query()] = None,
) -> ActivityCounts:
    """Visits and product views of the booth, per kind: its exhibitor and the organizer."""
    return await analytics.booth_counts(session, viewer, booth_id, since=since)
