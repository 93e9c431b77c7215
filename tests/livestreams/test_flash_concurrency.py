"""Flash-offer claims under real concurrency on PostgreSQL: separate requests, sessions and
connections at once (skipped without a PostgreSQL server, like every concurrency test)."""

from __future__ import annotations

import asyncio
import random
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.accounts import service as accounts
from app.db import create_sessionmaker
from app.kit.passwords import hash_password
from app.models import FlashClaim, FlashOffer, Negotiation, Offer, OfferLine, User
from app.organizations import service as organizations
from app.organizations.schemas import OrganizationCreate
from tests.factories import PASSWORD, Account, add_colleague, unique_email
from tests.livestreams.helpers import live_show_setup
from tests.livestreams.sales_helpers import claim, error_code, publish_flash
from tests.negotiations.conftest import pg_app, pg_client, postgres_url

__all__ = ["pg_app", "pg_client", "postgres_url"]

BUYERS = 100


async def many_buyers(app: FastAPI, count: int) -> list[Account]:
    """``count`` buyer organizations, one owner each with an API token, made through the
    services in one transaction (one shared password hash: argon2 costs tens of ms each)."""
    password_hash = await hash_password(PASSWORD)
    out = []
    async with create_sessionmaker(app.state.engine)() as session:
        for n in range(count):
            user = User(email=unique_email("claimer"), password_hash=password_hash,
                        full_name=f"Claimer {n}")
            session.add(user)
            await session.flush()
            organization, _ = await organizations.create_organization(
                session, OrganizationCreate(name=f"Importer {n}", kind="buyer", country="ES"),
                owner=user,
            )
            secret, _ = await accounts.issue_token(session, app.state.settings, user,
                                                   kind="api", name="test")
            out.append(Account(email=user.email, password=PASSWORD, user_id=user.id,
                               organization_id=organization.id, token=secret))
        await session.commit()
    return out


async def _claims_as_stored(app: FastAPI, flash_id: int) -> tuple[Decimal, list[FlashClaim]]:
    async with create_sessionmaker(app.state.engine)() as db:
        claimed = await db.scalar(select(FlashOffer.quantity_claimed)
                                  .where(FlashOffer.id == flash_id))
        claims = list(await db.scalars(select(FlashClaim)
                                       .where(FlashClaim.flash_offer_id == flash_id)))
    return Decimal(claimed or 0), claims


async def _offers_of_claims(app: FastAPI, claims: list[FlashClaim]) -> dict[int, tuple[
        str, int, Decimal, Decimal]]:
    """Claim's offer id → (status, negotiation id, quantity, unit price)."""
    async with create_sessionmaker(app.state.engine)() as db:
        rows = await db.execute(
            select(Offer.id, Offer.status, Offer.negotiation_id, OfferLine.quantity,
                   OfferLine.unit_price)
            .join(OfferLine, OfferLine.offer_id == Offer.id)
            .where(Offer.id.in_([c.offer_id for c in claims if c.offer_id is not None]))
        )
        return {int(i): (str(s), int(n), Decimal(q), Decimal(p)) for i, s, n, q, p in rows}


@pytest.fixture
async def ten_units(pg_client: httpx.AsyncClient, pg_app: FastAPI
                    ) -> tuple[dict[str, Any], list[Account]]:
    """A live show's flash offer of 10 units, and a hundred buyer organizations."""
    live = await live_show_setup(pg_client)
    return (await publish_flash(pg_client, live, quantity="10"),
            await many_buyers(pg_app, BUYERS))


async def test_a_hundred_concurrent_claims_take_exactly_the_ten_units(
    pg_client: httpx.AsyncClient, pg_app: FastAPI,
    ten_units: tuple[dict[str, Any], list[Account]],
) -> None:
    flash, buyers = ten_units

    responses = await asyncio.gather(*[claim(pg_client, b, flash["id"], "1") for b in buyers])

    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 10, [r.text for r in responses if r.status_code != 409]
    assert statuses.count(409) == BUYERS - 10
    assert {error_code(r) for r in responses if r.status_code == 409} == {
        "flash_offer_sold_out"}
    claimed, claims = await _claims_as_stored(pg_app, flash["id"])
    assert claimed == 10
    assert len(claims) == 10
    assert sum(c.quantity for c in claims) == 10
    winners = {r.json()["id"] for r in responses if r.status_code == 201}
    assert {c.id for c in claims} == winners
    # Each claim has its negotiation with the supplier's offer at the flash price.
    offers = await _offers_of_claims(pg_app, claims)
    assert len(offers) == 10
    for c in claims:
        assert c.offer_id is not None
        assert offers[c.offer_id] == ("proposed", c.negotiation_id, Decimal(1), Decimal("5.90"))
    async with create_sessionmaker(pg_app.state.engine)() as db:
        # The losers' negotiations were rolled back with their claims.
        assert await db.scalar(select(func.count()).select_from(Negotiation)) == 10


async def test_concurrent_claims_of_random_quantities_never_pass_the_total(
    pg_client: httpx.AsyncClient, pg_app: FastAPI,
    ten_units: tuple[dict[str, Any], list[Account]],
) -> None:
    flash, buyers = ten_units
    wanted = [random.Random(n).randint(1, 3) for n in range(BUYERS)]  # noqa: S311

    responses = await asyncio.gather(*[
        claim(pg_client, b, flash["id"], str(q)) for b, q in zip(buyers, wanted, strict=True)
    ])

    granted = [q for q, r in zip(wanted, responses, strict=True) if r.status_code == 201]
    refused = [q for q, r in zip(wanted, responses, strict=True) if r.status_code != 201]
    assert all(r.status_code in (201, 409) for r in responses), [r.text for r in responses]
    assert {error_code(r) for r in responses if r.status_code == 409} == {
        "flash_offer_sold_out"}
    claimed, claims = await _claims_as_stored(pg_app, flash["id"])
    assert claimed == sum(granted) <= 10
    assert sorted(int(c.quantity) for c in claims) == sorted(granted)
    # Nobody was refused while enough remained: what is left is less than any refused ask.
    assert 10 - claimed < min(refused)
    offers = await _offers_of_claims(pg_app, claims)
    assert sorted(int(q) for _, _, q, _ in offers.values()) == sorted(granted)


async def test_concurrent_claims_by_one_organization_make_one_claim(
    pg_client: httpx.AsyncClient, pg_app: FastAPI,
) -> None:
    live = await live_show_setup(pg_client)
    flash = await publish_flash(pg_client, live, quantity="10")
    async with create_sessionmaker(pg_app.state.engine)() as db:
        colleague = await add_colleague(pg_client, db, live.buyer)

    responses = await asyncio.gather(*[
        claim(pg_client, account, flash["id"], "1")
        for account in [live.buyer, colleague] * 10
    ])

    assert sorted(r.status_code for r in responses) == [201] + [409] * 19, [
        r.text for r in responses]
    assert {error_code(r) for r in responses if r.status_code == 409} == {
        "flash_offer_already_claimed"}
    claimed, claims = await _claims_as_stored(pg_app, flash["id"])
    assert (claimed, len(claims)) == (Decimal(1), 1)
