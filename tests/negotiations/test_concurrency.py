"""Real concurrency on PostgreSQL: separate requests, sessions and connections at once."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from app.db import create_sessionmaker
from app.models import AuditEntry, IdempotencyKey, Order
from tests.factories import add_colleague, count_rows, create_negotiation, propose_offer

ROUNDS = 50


async def test_two_simultaneous_accepts_make_one_order_each_round(
    pg_client: httpx.AsyncClient, pg_app: FastAPI
) -> None:
    deal = await create_negotiation(pg_client)
    async with create_sessionmaker(pg_app.state.engine)() as db:
        colleague = await add_colleague(pg_client, db, deal.buyer)
    for round_ in range(ROUNDS):
        offer = await propose_offer(pg_client, deal)
        url = f"/api/v1/offers/{offer['id']}/accept"
        first, second = await asyncio.gather(
            pg_client.post(url, headers=deal.buyer.headers),
            pg_client.post(url, headers=colleague.headers),
        )
        statuses = sorted([first.status_code, second.status_code])
        assert statuses == [200, 409], (round_, first.text, second.text)
        loser = first if first.status_code == 409 else second
        assert loser.json()["error"]["code"] == "offer_not_open"
        assert await count_rows(pg_app, Order, Order.offer_id == offer["id"]) == 1
    assert await count_rows(pg_app, Order) == ROUNDS


async def test_one_idempotency_key_twenty_concurrent_accepts_one_effect(
    pg_client: httpx.AsyncClient, pg_app: FastAPI
) -> None:
    deal = await create_negotiation(pg_client)
    offer = await propose_offer(pg_client, deal)
    key = str(uuid.uuid4())
    responses = await asyncio.gather(*[
        pg_client.post(f"/api/v1/offers/{offer['id']}/accept",
                       headers={**deal.buyer.headers, "Idempotency-Key": key})
        for _ in range(20)
    ])
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    assert len({r.text for r in responses}) == 1
    assert await count_rows(pg_app, Order) == 1
    assert await count_rows(pg_app, IdempotencyKey) == 1


async def test_one_idempotency_key_twenty_concurrent_transitions_one_effect(
    pg_client: httpx.AsyncClient, pg_app: FastAPI
) -> None:
    deal = await create_negotiation(pg_client)
    offer = await propose_offer(pg_client, deal)
    accepted = await pg_client.post(f"/api/v1/offers/{offer['id']}/accept",
                                    headers=deal.buyer.headers)
    order = accepted.json()["order"]
    key = str(uuid.uuid4())
    body = {"to": "deposit_paid", "version": order["version"],
            "payment_reference": "TT-2031-0042", "paid_on": "2031-06-01"}
    responses = await asyncio.gather(*[
        pg_client.post(f"/api/v1/orders/{order['id']}/transitions", json=body,
                       headers={**deal.supplier.headers, "Idempotency-Key": key})
        for _ in range(20)
    ])
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    assert len({r.text for r in responses}) == 1
    assert responses[0].json()["version"] == order["version"] + 1
    async with create_sessionmaker(pg_app.state.engine)() as db:
        steps = await db.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "order.deposit_paid"))
    assert steps == 1
