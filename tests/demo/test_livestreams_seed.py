"""``tradehall demo`` seeds the expo's live shows through the livestream services: one live
now with a pinned product, chat and a flash offer, one upcoming with a follower, and one
ended with its recording, chat replay and funnel (down to a negotiation it opened and the
order that came of it); once however often it runs."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.demo.data import demo_email
from app.demo.livestreams import ENDED, LIVE, NEW_BUYER, UPCOMING
from app.demo.seed import DEMO_PASSWORD, seed_demo
from app.models import (
    FlashClaim,
    Livestream,
    LivestreamFollower,
    LivestreamQuoteRequest,
    Membership,
    Negotiation,
    Order,
    User,
)
from tests.web.helpers import get_page, sign_in_via_form, text_of


async def _shows(db: AsyncSession) -> dict[str, Livestream]:
    rows = await db.scalars(select(Livestream).order_by(Livestream.id))
    return {row.title: row for row in rows}


async def test_seed_makes_a_live_an_upcoming_and_an_ended_show_once(
    settings: Settings, db: AsyncSession
) -> None:
    first = await seed_demo(settings)
    assert first.created["livestreams"] == 3
    shows = await _shows(db)
    live, upcoming, ended = shows[LIVE.title], shows[UPCOMING.title], shows[ENDED.title]
    assert live.status == "live"
    assert live.pinned_product_id is not None
    assert upcoming.status == "scheduled"
    assert upcoming.scheduled_start > live.scheduled_start
    assert ended.status == "ended"
    assert ended.recording_url
    assert ended.started_at is not None
    assert ended.ended_at is not None
    assert ended.ended_at > ended.started_at
    followers = await db.scalars(select(LivestreamFollower.livestream_id))
    assert upcoming.id in set(followers)
    sales = await _sales_rows(db)
    await db.rollback()

    second = await seed_demo(settings)
    assert second.created["livestreams"] == 0
    assert second.already_present["livestreams"] == 3
    assert len(await _shows(db)) == 3
    assert await _sales_rows(db) == sales  # no second claim, negotiation or order


async def _sales_rows(db: AsyncSession) -> tuple[int, ...]:
    counted = (FlashClaim, LivestreamQuoteRequest, Negotiation, Order)
    return tuple([int(await db.scalar(select(func.count()).select_from(m)) or 0)
                  for m in counted])


async def test_demo_pages_show_the_live_room_and_the_ended_shows_funnel(
    settings: Settings, db: AsyncSession, client: httpx.AsyncClient
) -> None:
    await seed_demo(settings)
    shows = await _shows(db)
    live_id, ended_id = shows[LIVE.title].id, shows[ENDED.title].id
    await db.rollback()

    room = await get_page(client, f"/livestreams/{live_id}")
    text = text_of(room.text)
    assert "Live now" in text
    assert "Frozen whiteleg shrimp HLSO 16/20, IQF" in text  # pinned
    assert "What glaze do you apply on the 16/20?" in text  # chat
    assert "Flash offers" in text
    assert 'class="ls-offer"' in room.text
    assert ".m3u8" in room.text  # a placeholder stream; the page links it

    replay = await get_page(client, f"/livestreams/{ended_id}")
    assert "Chat replay" in text_of(replay.text)
    assert "Three years from production." in text_of(replay.text)

    signed_in = await sign_in_via_form(client, demo_email(ENDED.supplier), DEMO_PASSWORD)
    assert signed_in.status_code == 303
    funnel = await get_page(client, f"/livestreams/{ended_id}/funnel")
    assert funnel.status_code == 200, funnel.text
    # The cannery's owner reads Chinese: the figures, in the funnel's order.
    figures = re.findall(r'class="ex-num ls-funnel-value">([^<]*)<', funnel.text)
    peak, unique, lines, likes, pins, quotes, claims, opened, orders = figures
    assert (peak, unique, likes) == (str(ENDED.peak_viewers), "3", str(ENDED.likes))
    assert lines == str(len(ENDED.chat))
    assert (pins, quotes, claims) == ("2", "1", "2")
    # From watching to ordering: the claim of a buyer new to the cannery opened their
    # negotiation, and its offer became an order.
    assert int(opened) >= 1
    assert orders == "1"


async def test_the_ended_shows_claim_by_a_new_buyer_became_an_order(
    settings: Settings, db: AsyncSession
) -> None:
    await seed_demo(settings)
    ended = (await _shows(db))[ENDED.title]
    new_buyer = await db.scalar(
        select(Membership.organization_id).join(User, User.id == Membership.user_id)
        .where(User.email == demo_email(NEW_BUYER)))

    (opened,) = list(await db.scalars(select(FlashClaim).where(
        FlashClaim.livestream_id == ended.id, FlashClaim.negotiation_created.is_(True))))
    assert opened.buyer_org_id == new_buyer
    order = await db.scalar(select(Order).where(Order.negotiation_id == opened.negotiation_id))
    assert order is not None
    assert order.offer_id == opened.offer_id  # the offer at the show's price, accepted
    assert order.created_at >= opened.created_at
