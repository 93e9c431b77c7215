"""The live matchmaking day in two real Chromium contexts: a buyer and a supplier wait in the
lobby of a live session whose first slot starts a few seconds after the test sets it up; the
server's slot clock starts the slot, both pages move into the same meeting room, and they
chat. No camera is requested. Waits are Playwright's: every step waits for what a person
would see."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect
from sqlalchemy import select

from app.db import create_engine, create_sessionmaker
from app.models import MatchmakingSlot, Meeting
from tests.e2e.helpers import browser_contexts, sign_in
from tests.matchmaking.live_helpers import Live, live_session

pytestmark = pytest.mark.browser

LEAD = timedelta(seconds=8)


async def _arrange(server_url: str, database_url: str) -> Live:
    """A live session (through the API), then its slot table moved so that the first slot
    starts LEAD from now: the clock is computed from the stored table and the server's time."""
    async with httpx.AsyncClient(base_url=server_url, timeout=30) as client:
        live = await live_session(client)
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as db:
            slots = list(await db.scalars(select(MatchmakingSlot).where(
                MatchmakingSlot.session_id == live.s.id).order_by(MatchmakingSlot.slot_index)))
            shift = datetime.now(UTC) + LEAD - slots[0].starts_at
            for slot in slots:
                slot.starts_at, slot.ends_at = slot.starts_at + shift, slot.ends_at + shift
            for meeting in await db.scalars(select(Meeting).where(
                    Meeting.session_id == live.s.id)):
                meeting.starts_at, meeting.ends_at = (meeting.starts_at + shift,
                                                      meeting.ends_at + shift)
            await db.commit()
    finally:
        await engine.dispose()
    return live


@pytest.fixture
def contexts(browser: Browser, server_url: str) -> Iterator[tuple[BrowserContext, ...]]:
    with browser_contexts(browser, server_url, ("en-US", "Europe/Madrid"),
                          ("en-US", "Asia/Shanghai")) as made:
        yield made


def test_both_parties_are_moved_into_the_meeting_room_and_chat(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str, e2e_database_url: str
) -> None:
    # Playwright's sync API runs an event loop in this thread: arrange in another one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        live = pool.submit(asyncio.run, _arrange(server_url, e2e_database_url)).result()
    lobby = f"/matchmaking/{live.s.id}/live"
    buyer = sign_in(contexts[0], live.buyer.email, lobby)
    supplier = sign_in(contexts[1], live.supplier.email, lobby)
    for page in (buyer, supplier):
        expect(page.get_by_role("heading", name="Your next meeting", exact=True)).to_be_visible()

    room = re.compile(rf"/matchmaking-meetings/{live.meeting_id}$")
    for page in (buyer, supplier):
        page.wait_for_url(room, timeout=30_000)
        expect(page.locator("#room-chat-form")).to_be_visible()

    buyer.get_by_label("Your message").fill("Hello from Madrid: can you ship 20 t CFR Valencia?")
    buyer.get_by_role("button", name="Send", exact=True).click()
    expect(supplier.locator("#room-messages")).to_contain_text("can you ship 20 t CFR Valencia?")
    supplier.get_by_label("Your message").fill("Yes, from Fuzhou in 30 days.")
    supplier.get_by_role("button", name="Send", exact=True).click()
    expect(buyer.locator("#room-messages")).to_contain_text("Yes, from Fuzhou in 30 days.")
    expect(buyer.locator("#room-status")).to_have_attribute("data-status", "in_progress")
