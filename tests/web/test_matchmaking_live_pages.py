"""The live day's pages: a participant's lobby and room, the organizer's console, and who
may open each (a meeting of other organizations is 404, the organizer's included)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from tests.factories import Account, register
from tests.matchmaking.live_helpers import SLOT0, SetClock, live_session, set_clock
from tests.web.helpers import new_browser, sign_in_via_form


@pytest.fixture
def clock() -> Iterator[SetClock]:
    yield from set_clock()


async def _get(app: FastAPI, account: Account, url: str) -> httpx.Response:
    """The page as the account's own signed-in browser gets it."""
    async with new_browser(app) as browser:
        signed_in = await sign_in_via_form(browser, account.email)
        assert signed_in.status_code == 303, signed_in.text
        return await browser.get(url, follow_redirects=False)


async def test_lobby_room_and_console_show_the_live_day(
    client: httpx.AsyncClient, app: FastAPI, clock: SetClock
) -> None:
    live = await live_session(client)
    clock.at(SLOT0 - timedelta(minutes=5))
    lobby = await _get(app, live.buyer, f"/matchmaking/{live.s.id}/live")
    assert lobby.status_code == 200, lobby.text
    assert "Your next meeting" in lobby.text
    assert f'href="/matchmaking-meetings/{live.meeting_id}"' in lobby.text
    room = await _get(app, live.supplier, f"/matchmaking-meetings/{live.meeting_id}")
    assert room.status_code == 200, room.text
    assert 'id="room-chat-form"' in room.text
    assert "Share a product" in room.text  # the supplier's catalog
    console = await _get(app, live.s.organizer, f"/matchmaking/{live.s.id}/console")
    assert console.status_code == 200, console.text
    assert "Broadcast to every participant" in console.text
    to_console = await _get(app, live.s.organizer, f"/matchmaking/{live.s.id}/live")
    assert to_console.status_code == 303


async def test_a_meeting_room_is_404_for_anyone_but_its_parties(
    client: httpx.AsyncClient, app: FastAPI, clock: SetClock
) -> None:
    live = await live_session(client)
    outsider = await register(client, kind="buyer")
    for account in (outsider, live.other_buyer, live.s.organizer):
        page = await _get(app, account, f"/matchmaking-meetings/{live.meeting_id}")
        assert page.status_code == 404
    participant_console = await _get(app, live.buyer, f"/matchmaking/{live.s.id}/console")
    assert participant_console.status_code == 403
