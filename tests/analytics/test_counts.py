"""What the dashboards count, and who may see the figures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics import service as analytics
from app.analytics.recorder import ActivityRecorder
from app.models import Activity
from app.models.base import utcnow
from tests.factories import add_colleague, apply_for_booth, approved_booth, open_expo, register


@pytest.fixture
async def recorder(app: FastAPI) -> AsyncIterator[ActivityRecorder]:
    """The app's recorder. Started here until the app's lifespan starts it (then reused)."""
    started = await analytics.start(app.state)
    yield started
    await analytics.stop(app.state)


async def test_visits_by_others_are_counted_but_not_the_exhibitors_own(
    client: httpx.AsyncClient, db: AsyncSession, recorder: ActivityRecorder
) -> None:
    expo = await open_expo(client)
    supplier, booth = await approved_booth(client, expo)
    colleague = await add_colleague(client, db, supplier)
    buyer = await register(client, kind="buyer")
    url = f"/api/v1/booths/{booth['id']}"
    for headers in ({}, buyer.headers, buyer.headers, supplier.headers, colleague.headers):
        assert (await client.get(url, headers=headers)).status_code == 200
    await recorder.flush()

    r = await client.get(f"{url}/activity-counts", headers=supplier.headers)
    assert r.status_code == 200, r.text
    assert r.json()["counts"] == {
        "booth_visit": 3, "product_view": 0, "inquiry": 0, "meeting": 0, "order": 0
    }
    event_counts = await client.get(
        f"/api/v1/events/{expo.event_id}/activity-counts", headers=expo.organizer.headers
    )
    assert event_counts.json()["counts"]["booth_visit"] == 3


async def test_a_pending_booth_is_not_counted_as_visited(
    client: httpx.AsyncClient, db: AsyncSession, recorder: ActivityRecorder
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    await client.get(f"/api/v1/booths/{booth['id']}", headers=expo.organizer.headers)
    await recorder.flush()
    counts = await analytics.count_activities(db, booth_id=booth["id"])
    assert counts["booth_visit"] == 0


async def test_counts_since_a_moment_and_per_product(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    _supplier, booth = await approved_booth(client, expo)
    now = utcnow()
    db.add_all(
        [
            Activity(kind="booth_visit", event_id=expo.event_id, booth_id=booth["id"],
                     created_at=now - timedelta(days=2)),
            Activity(kind="booth_visit", event_id=expo.event_id, booth_id=booth["id"],
                     created_at=now - timedelta(minutes=5)),
            Activity(kind="inquiry", event_id=expo.event_id, booth_id=booth["id"],
                     created_at=now - timedelta(minutes=1)),
        ]
    )
    await db.commit()
    since = now - timedelta(hours=1)
    counts = await analytics.count_activities(db, event_id=expo.event_id, since=since)
    assert (counts["booth_visit"], counts["inquiry"]) == (1, 1)
    everything = await analytics.count_activities(db, booth_id=booth["id"])
    assert everything["booth_visit"] == 2

    r = await client.get(
        f"/api/v1/events/{expo.event_id}/activity-counts?since={quote(since.isoformat())}",
        headers=expo.organizer.headers,
    )
    assert r.json()["counts"]["booth_visit"] == 1
    naive = await client.get(
        f"/api/v1/events/{expo.event_id}/activity-counts?since=2031-01-01T00:00:00",
        headers=expo.organizer.headers,
    )
    assert naive.status_code == 422
    with pytest.raises(ValueError, match="event, a booth or a product"):
        await analytics.count_activities(db)


async def test_only_the_organizer_sees_the_event_figures(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    supplier, _booth = await approved_booth(client, expo)
    r = await client.get(
        f"/api/v1/events/{expo.event_id}/activity-counts", headers=supplier.headers
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "organizer_required"
    assert (await client.get(f"/api/v1/events/{expo.event_id}/activity-counts")).status_code == 401


async def test_only_the_booths_parties_see_its_figures(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    _supplier, booth = await approved_booth(client, expo)
    url = f"/api/v1/booths/{booth['id']}/activity-counts"
    assert (await client.get(url, headers=expo.organizer.headers)).status_code == 200
    for kind in ("supplier", "buyer"):
        stranger = await register(client, kind=kind)
        r = await client.get(url, headers=stranger.headers)
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "booth_not_found"
