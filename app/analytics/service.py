"""Activity: what the dashboards count (booth visits, product views...), and who sees it.

Recording never slows a page: ``record_booth_visit`` and ``record_product_view`` only queue
a row for the app's ``ActivityRecorder`` (see ``app.analytics.recorder``), started and stopped
with the app by ``start(app.state)`` / ``stop(app.state)``. Without a running recorder (an app
whose lifespan does not start one, or after shutdown) a record is dropped and logged: a
dashboard figure is never worth an error or a delay on a page. Visits by the exhibitor's own
team are not counted: they are not interest from buyers.

Reading the figures: an event's counts are for its organizer's members (403
``organizer_required`` for others who can see the event); a booth's counts are for its two
parties, the exhibitor and the organizer (404 for anyone else).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.accounts.principal import Principal
from app.analytics import repository
from app.analytics.recorder import ActivityRecord, ActivityRecorder
from app.analytics.schemas import ActivityCounts
from app.booths import service as booths
from app.events import service as events
from app.models.activity import ACTIVITY_KINDS
from app.models.base import utcnow

log = structlog.get_logger(__name__)

STATE_ATTRIBUTE = "activity_recorder"


class _Fallback:
    """Counts records made while no recorder runs, and logs the first one."""

    dropped = 0


# --- the recorder's life -------------------------------------------------------------------


async def start(state: Any, **options: Any) -> ActivityRecorder:
    """Start the app's recorder (idempotent) on ``state.sessionmaker``; keep it on ``state``.

    ``state`` is the app's ``app.state`` (anything with a ``sessionmaker`` attribute);
    ``options`` are ``ActivityRecorder``'s (``max_queue``, ``batch_size``, ``flush_interval``).
    """
    current = recorder_of(state)
    if current is not None and current.accepting:
        return current
    sessionmaker: async_sessionmaker[AsyncSession] = state.sessionmaker
    recorder = ActivityRecorder(sessionmaker, **options)
    await recorder.start()
    setattr(state, STATE_ATTRIBUTE, recorder)
    return recorder


async def stop(state: Any) -> None:
    """Stop the app's recorder, writing what is still queued (nothing is lost at shutdown)."""
    recorder = recorder_of(state)
    if recorder is not None:
        await recorder.stop()


def recorder_of(state: Any) -> ActivityRecorder | None:
    recorder = getattr(state, STATE_ATTRIBUTE, None)
    return recorder if isinstance(recorder, ActivityRecorder) else None


def _record(state: Any, item: ActivityRecord) -> bool:
    recorder = recorder_of(state)
    if recorder is None or not recorder.accepting:
        _Fallback.dropped += 1
        if _Fallback.dropped == 1:
            log.warning("activity_recorder_not_running",
                        hint="call app.analytics.service.start(app.state) in the app's lifespan")
        return False
    return recorder.record(item)


# --- recording -----------------------------------------------------------------------------


def record_booth_visit(
    state: Any,
    *,
    event_id: int,
    booth_id: int,
    supplier_id: int,
    viewer: Principal | None,
) -> bool:
    """Count a visit to a booth page (not by the exhibitor's own team). Never waits.

    Returns whether the visit was queued.
    """
    if viewer is not None and viewer.is_member_of(supplier_id):
        return False
    return _record(
        state,
        ActivityRecord(
            kind="booth_visit",
            created_at=utcnow(),
            event_id=event_id,
            booth_id=booth_id,
            actor_user_id=viewer.user_id if viewer is not None else None,
            actor_org_id=viewer.organization_id if viewer is not None else None,
        ),
    )


def record_product_view(
    state: Any,
    *,
    product_id: int,
    supplier_id: int,
    viewer: Principal | None,
    event_id: int | None = None,
    booth_id: int | None = None,
) -> bool:
    """Count a view of a product page (not by the supplier's own team). Never waits.

    Pass the event and booth when the product was opened inside one, so the event's and the
    booth's dashboards count it too. Returns whether the view was queued.
    """
    if viewer is not None and viewer.is_member_of(supplier_id):
        return False
    return _record(
        state,
        ActivityRecord(
            kind="product_view",
            created_at=utcnow(),
            event_id=event_id,
            booth_id=booth_id,
            product_id=product_id,
            actor_user_id=viewer.user_id if viewer is not None else None,
            actor_org_id=viewer.organization_id if viewer is not None else None,
        ),
    )


# --- counting ------------------------------------------------------------------------------


async def count_activities(
    session: AsyncSession,
    *,
    event_id: int | None = None,
    booth_id: int | None = None,
    product_id: int | None = None,
    since: datetime | None = None,
) -> dict[str, int]:
    """Counts per kind (every kind present, 0 if none) for an event, booth and/or product.

    No authorization: for callers that have decided the viewer may see these figures.
    Records still queued in the recorder are not counted yet.
    """
    if event_id is None and booth_id is None and product_id is None:
        raise ValueError("count activities of an event, a booth or a product")
    found = await repository.count_by_kind(
        session, event_id=event_id, booth_id=booth_id, product_id=product_id, since=since
    )
    return {kind: found.get(kind, 0) for kind in ACTIVITY_KINDS}


async def event_counts(
    session: AsyncSession, viewer: Principal, event_id: int, *, since: datetime | None = None
) -> ActivityCounts:
    """The event's figures, for its organizer's members only."""
    event = await events.organized_event(session, viewer, event_id)
    counts = await count_activities(session, event_id=event.id, since=since)
    return ActivityCounts(counts=counts, since=since)


async def booth_counts(
    session: AsyncSession, viewer: Principal, booth_id: int, *, since: datetime | None = None
) -> ActivityCounts:
    """A booth's figures, for its exhibitor's and the event organizer's members only."""
    booth = await booths.party_booth(session, viewer, booth_id)
    counts = await count_activities(session, booth_id=booth.id, since=since)
    return ActivityCounts(counts=counts, since=since)
