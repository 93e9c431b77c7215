"""What joining a live room costs the database, counted: thousands join as a show starts.

A join reads the show with its booth and event once (who may see it), then the joiner's
``state``: the show with the joiner's mute, the open flash offers, and the pinned card, which
the room keeps for a few seconds (app/livestreams/room.py) so a burst of joiners reads it once.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from app.livestreams import room as room_module
from tests.factories import create_product, register
from tests.livestreams.helpers import live_show_setup, pin
from tests.livestreams.test_topic import (  # the topic tests' servers and room client
    Viewer,
    http,  # noqa: F401
    live,  # noqa: F401
    room,
)
from tests.negotiations.test_send_cost import statements, verbs
from tests.realtime.conftest import LiveServer, ws_connect


def tables(seen: list[str]) -> list[str]:
    # Only this join's reads: the app's background drivers share the engine.
    return [v for v in verbs(seen) if not v.startswith(("SELECT matchmaking", "UPDATE"))]


async def test_the_first_joiner_reads_the_card_and_the_next_reuse_it(
    live: LiveServer, http: httpx.AsyncClient  # noqa: F811
) -> None:
    show = await live_show_setup(http)
    card = await pin(http, show.host, show.show_id, show.product_id)
    second = await register(http, kind="buyer")
    costs, states = [], []
    for account in (show.buyer, second):
        async with ws_connect(live, account.token) as ws:
            with statements(live.app.state.engine) as seen:
                states.append(await Viewer(ws).join_room(room(show)))
            costs.append(tables(seen))
    first, then = costs
    assert first == [
        "SELECT livestreams", "SELECT booths", "SELECT events",  # may this user see it
        "SELECT livestream_mutes",  # the show with the joiner's mute (a subquery)
        # the card: the product (its first FROM is the booth it is shown in), tiers, images
        "SELECT booths", "SELECT price_tiers", "SELECT product_images",
        "SELECT flash_offers",
    ]
    assert then == first[:4] + first[7:]  # the same, without the card
    assert [s["pinned"] for s in states] == [card, card]


async def test_a_new_pin_reaches_the_next_joiner_at_once(
    live: LiveServer, http: httpx.AsyncClient  # noqa: F811
) -> None:
    show = await live_show_setup(http)
    await pin(http, show.host, show.show_id, show.product_id)
    async with ws_connect(live, show.buyer.token) as ws:
        await Viewer(ws).join_room(room(show))
    squid = await create_product(http, show.host, name="Dried squid")
    other = await pin(http, show.host, show.show_id, squid["id"])
    async with ws_connect(live, show.buyer.token) as ws:
        state = await Viewer(ws).join_room(room(show))
    assert state["pinned"] == other


async def test_the_card_is_read_again_once_it_is_old(
    live: LiveServer, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """An edit of the pinned product reaches joiners once the kept card expires."""
    monkeypatch.setattr(room_module, "CARD_TTL", timedelta(0))
    show = await live_show_setup(http)
    await pin(http, show.host, show.show_id, show.product_id)
    async with ws_connect(live, show.buyer.token) as ws:
        await Viewer(ws).join_room(room(show))
    edited = await http.patch(f"/api/v1/products/{show.product_id}",
                              json={"moq": "1500"}, headers=show.host.headers)
    assert edited.status_code == 200, edited.text
    async with ws_connect(live, show.buyer.token) as ws:
        state = await Viewer(ws).join_room(room(show))
    assert state["pinned"]["moq"] == "1500"
