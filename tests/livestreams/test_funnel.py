"""The show's funnel: GET /livestreams/{id}/funnel counts exactly what happened."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import create_sessionmaker
from app.livestreams import room_repository
from app.models.base import utcnow
from tests.factories import Account, create_product, offer_body, register
from tests.livestreams.helpers import API, LiveShow, live_show_setup, pin, send_chat
from tests.livestreams.sales_helpers import (
    ask_quote,
    claim,
    error_code,
    hide_booth,
    publish_flash,
)


async def _funnel(client: httpx.AsyncClient, account: Account | None, show_id: int
                  ) -> httpx.Response:
    return await client.get(f"{API}/livestreams/{show_id}/funnel",
                            headers=account.headers if account else {})


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


async def _accept(client: httpx.AsyncClient, buyer: Account, offer_id: int) -> dict[str, Any]:
    accepted = _ok(await client.post(f"{API}/offers/{offer_id}/accept", headers=buyer.headers))
    return dict(accepted["order"])


async def _order_before_the_show(
    client: httpx.AsyncClient, live: LiveShow, buyer: Account
) -> int:
    """The buyer's negotiation about the show's product, with an order made in it before
    the show led there."""
    negotiation = _ok(await client.post(f"{API}/negotiations", json={
        "subject_type": "product", "subject_id": live.product_id, "message": "Last year's?",
    }, headers=buyer.headers))
    offer = _ok(await client.post(
        f"{API}/negotiations/{negotiation['id']}/offers",
        json=offer_body(live.product_id), headers=live.host.headers))
    await _accept(client, buyer, offer["id"])
    return int(negotiation["id"])


async def test_the_funnel_counts_exactly_the_actions_taken(
    client: httpx.AsyncClient, app: FastAPI,
) -> None:
    live = await live_show_setup(client)
    b1 = live.buyer
    b2, b3, b4, bystander = [await register(client, kind="buyer") for _ in range(4)]
    squid = await create_product(client, live.host, name="Dried squid", currency="EUR",
                                 price_tiers=[{"min_quantity": "100", "unit_price": "9.50"}],
                                 moq="100")
    # Before the show led anywhere: b3's thread already holds an order (it must not count),
    # and a bystander's order elsewhere has nothing to do with the show.
    n3 = await _order_before_the_show(client, live, b3)
    await _order_before_the_show(client, live, bystander)

    # Watching: five users joined, the audience peaked at four, 120 likes in two batches.
    async with create_sessionmaker(app.state.engine)() as db:
        await room_repository.add_viewers(
            db, live.show_id, [b.user_id for b in (b1, b2, b3, b4, bystander)], utcnow())
        await room_repository.add_viewers(db, live.show_id, [b1.user_id], utcnow())
        await room_repository.add_likes_and_peak(db, live.show_id, 100, 4)
        await room_repository.add_likes_and_peak(db, live.show_id, 20, 3)
        await db.commit()
    # Five chat lines, one deleted by the host (it still counts: it was sent).
    lines = [_ok(await send_chat(client, account, live.show_id, f"Line {n}"))
             for n, account in enumerate((b1, b2, b1, live.host, b4))]
    deleted = await client.delete(f"{API}/livestreams/{live.show_id}/chat/{lines[0]['id']}",
                                  headers=live.host.headers)
    assert deleted.status_code == 204, deleted.text
    # Two pins: the shrimp, then the squid.
    await pin(client, live.host, live.show_id, live.product_id)
    await pin(client, live.host, live.show_id, int(squid["id"]))
    # Three quote requests: b1 twice on the pinned squid (one new thread), b2 on the shrimp.
    q1 = _ok(await ask_quote(client, b1, live.show_id))
    q2 = _ok(await ask_quote(client, b1, live.show_id, quantity="250"))
    q3 = _ok(await ask_quote(client, b2, live.show_id, product_id=live.product_id))
    assert (q1["negotiation_created"], q2["negotiation_created"],
            q3["negotiation_created"]) == (True, False, True)
    # Three claims, 6 units: b2 and b3 in their existing threads, b4 in a new one.
    flash = await publish_flash(client, live)
    c2 = _ok(await claim(client, b2, flash["id"], "2"))
    c3 = _ok(await claim(client, b3, flash["id"], "3"))
    c4 = _ok(await claim(client, b4, flash["id"], "1"))
    assert c3["negotiation_id"] == n3
    assert [c["negotiation_created"] for c in (c2, c3, c4)] == [False, False, True]
    # Orders after the show: b3 and b2 take their flash offers (USD), b1 the squid (EUR).
    await _accept(client, b3, c3["offer_id"])
    await _accept(client, b2, c2["offer_id"])
    squid_offer = _ok(await client.post(
        f"{API}/negotiations/{q1['negotiation_id']}/offers",
        json=offer_body(int(squid["id"]), currency="EUR", lines=[
            {"product_id": squid["id"], "quantity": "250", "unit": "kg", "unit_price": "9.50"},
        ]),
        headers=live.host.headers))
    await _accept(client, b1, squid_offer["id"])

    funnel = _ok(await _funnel(client, live.host, live.show_id))

    assert funnel == {
        "livestream_id": live.show_id,
        "peak_viewers": 4,
        "unique_viewers": 5,
        "chat_messages": 5,
        "likes": 120,
        "product_pins": 2,
        "quote_requests": 3,
        "flash_claims": 3,
        "flash_units_claimed": "6",
        "negotiations_opened": 3,  # b1's squid, b2's shrimp (quotes), b4's (claim)
        "negotiations_reached": 4,  # and b3's, reused
        "orders": 3,
        "order_value": [
            {"currency": "EUR", "orders": 1, "total": "2375.00"},
            {"currency": "USD", "orders": 2, "total": "29.50"},
        ],
    }
    # The organizer moderates the show and sees the same figures.
    assert _ok(await _funnel(client, live.organizer, live.show_id)) == funnel


async def test_a_quiet_show_has_a_funnel_of_zeros(client: httpx.AsyncClient) -> None:
    live = await live_show_setup(client, live=False)
    funnel = _ok(await _funnel(client, live.host, live.show_id))
    assert funnel == {
        "livestream_id": live.show_id, "peak_viewers": 0, "unique_viewers": 0,
        "chat_messages": 0, "likes": 0, "product_pins": 0, "quote_requests": 0,
        "flash_claims": 0, "flash_units_claimed": "0", "negotiations_opened": 0,
        "negotiations_reached": 0, "orders": 0, "order_value": [],
    }


async def test_only_the_shows_moderators_see_its_funnel(
    client: httpx.AsyncClient, db: AsyncSession,
) -> None:
    live = await live_show_setup(client)
    other_supplier = await register(client, kind="supplier")
    for account in (live.buyer, other_supplier):
        response = await _funnel(client, account, live.show_id)
        assert response.status_code == 403, response.text
        assert error_code(response) == "livestream_moderator_required"
    assert (await _funnel(client, None, live.show_id)).status_code == 401

    await hide_booth(db, live)
    for show_id in (live.show_id, 2**31 - 1):
        response = await _funnel(client, live.buyer, show_id)
        assert response.status_code == 404
        assert error_code(response) == "livestream_not_found"
    # The booth's two parties still see the show, and its funnel.
    for account in (live.host, live.organizer):
        assert (await _funnel(client, account, live.show_id)).status_code == 200
