"""A live matchmaking session with one known meeting, and a clock the test sets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from app.matchmaking.live_clock import CLOCK
from tests.factories import Account
from tests.matchmaking.helpers import (
    Setup,
    close_registration,
    register_buyer,
    register_supplier,
    setup,
)
from tests.matchmaking.scheduling import all_meetings, run_schedule

# The helpers' session: six 30-minute slots from 09:00 in Shanghai on 2031-05-12.
SLOT0 = datetime(2031, 5, 12, 1, 0, tzinfo=UTC)
SLOT = timedelta(minutes=30)
GRACE = timedelta(minutes=5)


class SetClock:
    """The live day's now, moved by the test (never by sleeping)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def at(self, now: datetime) -> None:
        self.now = now


def set_clock() -> Iterator[SetClock]:
    """For a test module's ``clock`` fixture: ``yield from set_clock()``."""
    fixed = SetClock(SLOT0 - timedelta(minutes=30))
    CLOCK.set(fixed)
    try:
        yield fixed
    finally:
        CLOCK.set(None)


@dataclass
class Live:
    s: Setup
    buyer: Account
    supplier: Account
    other_buyer: Account
    buyer_participant: int
    supplier_participant: int
    other_buyer_participant: int
    meeting: dict[str, Any]

    @property
    def meeting_id(self) -> int:
        return int(self.meeting["id"])


async def live_session(client: httpx.AsyncClient) -> Live:
    """Two buyers and a supplier; the first buyer meets the supplier in slot 0 and nothing
    else is scheduled (so the second buyer is free for a re-match); the session is live."""
    s = await setup(client)
    buyer, buyer_row = await register_buyer(s)
    other, other_row = await register_buyer(s)
    supplier, supplier_row = await register_supplier(s)
    await close_registration(s)
    await run_schedule(s)
    for meeting in await all_meetings(s):
        deleted = await client.delete(f"{s.url}/meetings/{meeting['id']}",
                                      headers=s.organizer.headers)
        assert deleted.status_code == 204, deleted.text
    added = await client.post(f"{s.url}/meetings", json={
        "buyer_id": buyer_row["id"], "supplier_id": supplier_row["id"], "slot_index": 0,
    }, headers=s.organizer.headers)
    assert added.status_code == 201, added.text
    went = await client.post(f"{s.url}/go-live", headers=s.organizer.headers)
    assert went.status_code == 200, went.text
    return Live(s, buyer, supplier, other, int(buyer_row["id"]), int(supplier_row["id"]),
                int(other_row["id"]), dict(added.json()))


def meeting_url(meeting_id: int) -> str:
    return f"/api/v1/matchmaking-meetings/{meeting_id}"
