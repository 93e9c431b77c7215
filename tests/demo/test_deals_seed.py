"""``tradehall demo`` seeds trade talks through the negotiation services: an open
counter-offer to answer and an order whose deposit is paid, once however often it runs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.demo.data import demo_email
from app.demo.deals import DEALS
from app.demo.seed import DEMO_PASSWORD, print_logins, seed_demo
from app.models import (
    FlashClaim,
    LivestreamQuoteRequest,
    Membership,
    Message,
    Negotiation,
    Offer,
    Order,
    PaymentMilestone,
    User,
)


async def _negotiations_of(db: AsyncSession, slug: str) -> list[Negotiation]:
    buyer_org = (
        select(Membership.organization_id)
        .join(User, User.id == Membership.user_id)
        .where(User.email == demo_email(slug))
        .scalar_subquery()
    )
    return list(await db.scalars(
        select(Negotiation).where(Negotiation.buyer_id == buyer_org).order_by(Negotiation.id)
    ))


async def _opened_by_shows(db: AsyncSession) -> set[int]:
    """Negotiations the demo's live shows opened (app.demo.livestreams: a flash claim by a
    buyer new to the supplier), apart from the deals' own."""
    claims = select(FlashClaim.negotiation_id).where(FlashClaim.negotiation_created.is_(True))
    asks = select(LivestreamQuoteRequest.negotiation_id).where(
        LivestreamQuoteRequest.negotiation_created.is_(True))
    return {n for n in await db.scalars(claims.union(asks)) if n is not None}


async def test_seeding_twice_leaves_one_set_of_negotiations(
    settings: Settings, db: AsyncSession, capsys: pytest.CaptureFixture[str]
) -> None:
    first = await seed_demo(settings)
    messages = await db.scalar(select(func.count()).select_from(Message))
    from_shows = await _opened_by_shows(db)
    await db.rollback()

    second = await seed_demo(settings)

    # The summary counts every negotiation and order the demo made, or found made: the
    # deals' and the ended show's (its claim opens one, whose offer is accepted into an order).
    assert len(from_shows) == 1
    assert first.created["negotiations"] == len(DEALS) + len(from_shows)
    assert first.created["orders"] == 1 + len(from_shows)
    assert second.created["negotiations"] == 0
    assert second.created["orders"] == 0
    assert second.already_present["negotiations"] == len(DEALS) + len(from_shows)
    negotiations = set(await db.scalars(select(Negotiation.id)))
    assert len(negotiations - from_shows) == len(DEALS)
    assert from_shows <= negotiations
    assert await db.scalar(select(func.count()).select_from(Message)) == messages
    deals_orders = select(func.count()).select_from(Order).where(
        Order.negotiation_id.not_in(from_shows))
    assert await db.scalar(deals_orders) == 1  # the deal with its deposit paid
    shows_orders = select(func.count()).select_from(Order).where(
        Order.negotiation_id.in_(from_shows))
    assert await db.scalar(shows_orders) == 1  # the show's claim, accepted
    print_logins(second, "http://127.0.0.1:8000")
    assert f"sign in as {demo_email('levante-mar')} to see an open counter-offer" in (
        capsys.readouterr().out
    )


async def test_every_negotiation_has_a_conversation_in_english_and_chinese(
    settings: Settings, db: AsyncSession
) -> None:
    await seed_demo(settings)

    for negotiation in await db.scalars(select(Negotiation)):
        bodies = list(await db.scalars(
            select(Message.body).where(Message.negotiation_id == negotiation.id,
                                       Message.kind == "text")
        ))
        assert len(bodies) >= 2
        assert any(any("\u4e00" <= ch <= "\u9fff" for ch in body) for body in bodies)


async def test_the_accepted_offer_made_an_order_with_its_deposit_paid(
    settings: Settings, db: AsyncSession
) -> None:
    await seed_demo(settings)
    paid = next(d for d in DEALS if d.outcome == "deposit_paid")

    (negotiation,) = [n for n in await _negotiations_of(db, paid.buyer)
                      if n.subject_title == paid.product]
    order = await db.scalar(select(Order).where(Order.negotiation_id == negotiation.id))

    assert order is not None
    assert order.status == "deposit_paid"
    deposit = await db.scalar(select(PaymentMilestone).where(
        PaymentMilestone.order_id == order.id, PaymentMilestone.kind == "deposit"
    ))
    assert deposit is not None
    assert deposit.reference == paid.payment_reference
    assert deposit.recorded_at is not None
    offer = await db.get(Offer, order.offer_id)
    assert offer is not None
    assert (offer.status, offer.incoterm, offer.named_place) == ("accepted", "FOB", "Fuzhou")
    assert offer.deposit_percent == 30


async def test_the_countered_negotiation_has_exactly_one_open_offer_the_buyers(
    settings: Settings, db: AsyncSession
) -> None:
    await seed_demo(settings)
    await seed_demo(settings)
    countered = next(d for d in DEALS if d.outcome == "countered")

    (negotiation,) = [n for n in await _negotiations_of(db, countered.buyer)
                      if n.subject_title == countered.product]
    offers = list(await db.scalars(
        select(Offer).where(Offer.negotiation_id == negotiation.id).order_by(Offer.id)
    ))

    assert [o.status for o in offers] == ["countered", "proposed"]
    supplier_offer, counter = offers
    assert counter.answers_offer_id == supplier_offer.id
    assert supplier_offer.proposed_by_org_id == negotiation.supplier_id
    assert counter.proposed_by_org_id == negotiation.buyer_id
    assert counter.total < supplier_offer.total
    assert (counter.incoterm, counter.named_place, counter.deposit_percent) == (
        "FOB", "Fuzhou", Decimal(30)
    )
    # Valid for 14 days from seeding, counted before the offer was stored.
    assert timedelta(days=13) < counter.valid_until - counter.created_at <= timedelta(days=14)


async def _signed_in(client: httpx.AsyncClient, slug: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login", json={"email": demo_email(slug), "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_the_demo_buyers_see_their_open_offer_and_their_order(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    await seed_demo(settings)
    countered = next(d for d in DEALS if d.outcome == "countered")
    paid = next(d for d in DEALS if d.outcome == "deposit_paid")

    talks = await client.get("/api/v1/negotiations",
                             headers=await _signed_in(client, countered.buyer))
    assert talks.status_code == 200, talks.text
    (open_talk,) = [n for n in talks.json()["items"] if n["subject_title"] == countered.product]
    assert open_talk["open_offer_id"] is not None

    orders = await client.get("/api/v1/orders", headers=await _signed_in(client, paid.buyer))
    assert orders.status_code == 200, orders.text
    assert [o["status"] for o in orders.json()["items"]] == ["deposit_paid"]
