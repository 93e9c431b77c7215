"""Offers over HTTP: the slice from proposal to exactly one order, the refusals, the 422s."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEntry, Offer, OfferLine, Order, TopicEvent
from tests.factories import (
    count_rows,
    create_negotiation,
    offer_body,
    propose_offer,
    register,
)


async def test_propose_counter_accept_makes_exactly_one_order(
    client: httpx.AsyncClient, app: FastAPI, db: AsyncSession
) -> None:
    deal = await create_negotiation(client)
    offer = await propose_offer(client, deal)
    assert offer["status"] == "proposed"
    # 20000 × 6.45 + 5000 × 5.90 = 129000 + 29500
    assert offer["lines"][0]["line_total"] == "129000.00"
    assert offer["total"] == "158500.00"
    assert offer["lines"][0]["description"] == deal.product["name"]

    countered = await client.post(
        f"/api/v1/offers/{offer['id']}/counter",
        json=offer_body(deal.product["id"], incoterm="CFR", named_place="Valencia",
                        lines=[{"product_id": deal.product["id"], "quantity": "20000",
                                "unit": "kg", "unit_price": "6.20"}]),
        headers=deal.buyer.headers,
    )
    assert countered.status_code == 201, countered.text
    counter = countered.json()
    assert counter["answers_offer_id"] == offer["id"]
    changed = {c["field"]: (c["before"], c["after"]) for c in counter["changes"]}
    assert changed["incoterm"] == ("FOB", "CFR")
    assert changed["named_place"] == ("Fuzhou", "Valencia")
    assert changed["lines.0.unit_price"] == ("6.45", "6.2")
    assert changed["lines.1"][1] is None  # the second line was dropped
    assert "currency" not in changed
    old = await client.get(f"/api/v1/offers/{offer['id']}", headers=deal.buyer.headers)
    assert old.json()["status"] == "countered"
    shown = await client.get(f"/api/v1/offers/{counter['id']}", headers=deal.supplier.headers)
    assert shown.json()["changes"] == counter["changes"]

    accepted = await client.post(f"/api/v1/offers/{counter['id']}/accept",
                                 headers=deal.supplier.headers)
    assert accepted.status_code == 200, accepted.text
    order = accepted.json()["order"]
    assert accepted.json()["offer"]["status"] == "accepted"
    assert accepted.json()["offer"]["order_id"] == order["id"]
    assert order["status"] == "confirmed"
    assert order["total"] == "124000.00"
    assert order["incoterm"] == "CFR"
    assert [m["kind"] for m in order["milestones"]] == ["deposit", "balance"]
    assert [m["amount"] for m in order["milestones"]] == ["37200.00", "86800.00"]
    assert await count_rows(app, Order) == 1

    again = await client.post(f"/api/v1/offers/{counter['id']}/accept",
                              headers=deal.supplier.headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "offer_not_open"
    assert await count_rows(app, Order) == 1

    both = [
        (await client.get(f"/api/v1/orders/{order['id']}", headers=who.headers)).json()
        for who in (deal.buyer, deal.supplier)
    ]
    assert both[0]["id"] == both[1]["id"] == order["id"]
    assert both[0]["your_side"] == "buyer"

    events = [e.event for e in (await db.scalars(
        select(TopicEvent).where(TopicEvent.topic == f"negotiation:{deal.negotiation_id}")
        .order_by(TopicEvent.seq))).all()]
    assert events == ["message.created", "offer.proposed", "offer.countered", "offer.accepted"]
    actions = {a.action for a in (await db.scalars(select(AuditEntry))).all()}
    assert {"offer.proposed", "offer.countered", "offer.accepted", "order.created"} <= actions


async def test_only_one_offer_is_open_at_a_time(client: httpx.AsyncClient) -> None:
    deal = await create_negotiation(client)
    await propose_offer(client, deal)
    for who in (deal.supplier, deal.buyer):
        r = await client.post(f"/api/v1/negotiations/{deal.negotiation_id}/offers",
                              json=offer_body(), headers=who.headers)
        assert r.status_code == 409
        assert r.json()["error"]["code"] == "offer_already_open"


async def test_who_may_decide_on_an_offer(client: httpx.AsyncClient) -> None:
    deal = await create_negotiation(client)
    offer = await propose_offer(client, deal)  # the supplier's
    oid = offer["id"]
    outsider = await register(client, kind="buyer")
    for action in ("accept", "reject", "withdraw"):
        r = await client.post(f"/api/v1/offers/{oid}/{action}", headers=outsider.headers)
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "offer_not_found"
    r = await client.post(f"/api/v1/offers/{oid}/counter", json=offer_body(),
                          headers=outsider.headers)
    assert r.status_code == 404
    assert (await client.get(f"/api/v1/offers/{oid}", headers=outsider.headers)).status_code \
        == 404
    for action in ("accept", "reject"):
        r = await client.post(f"/api/v1/offers/{oid}/{action}", headers=deal.supplier.headers)
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "own_offer"
    r = await client.post(f"/api/v1/offers/{oid}/counter", json=offer_body(),
                          headers=deal.supplier.headers)
    assert r.json()["error"]["code"] == "own_offer"
    r = await client.post(f"/api/v1/offers/{oid}/withdraw", headers=deal.buyer.headers)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "not_your_offer"
    # Nothing above changed the offer.
    shown = await client.get(f"/api/v1/offers/{oid}", headers=deal.buyer.headers)
    assert shown.json()["status"] == "proposed"


@pytest.mark.parametrize("closing", ["withdraw", "reject", "accept"])
async def test_a_closed_offer_cannot_be_accepted(
    client: httpx.AsyncClient, app: FastAPI, closing: str
) -> None:
    deal = await create_negotiation(client)
    offer = await propose_offer(client, deal)
    who = deal.supplier if closing == "withdraw" else deal.buyer
    r = await client.post(f"/api/v1/offers/{offer['id']}/{closing}", headers=who.headers)
    assert r.status_code == 200, r.text
    late = await client.post(f"/api/v1/offers/{offer['id']}/accept", headers=deal.buyer.headers)
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "offer_not_open"
    assert await count_rows(app, Order) == (1 if closing == "accept" else 0)


async def test_an_expired_offer_cannot_be_accepted_and_frees_the_negotiation(
    client: httpx.AsyncClient, app: FastAPI, db: AsyncSession
) -> None:
    deal = await create_negotiation(client)
    offer = await propose_offer(client, deal)
    await db.execute(update(Offer).where(Offer.id == offer["id"])
                     .values(valid_until=datetime.now(UTC) - timedelta(seconds=1)))
    await db.commit()
    shown = await client.get(f"/api/v1/offers/{offer['id']}", headers=deal.buyer.headers)
    assert shown.json()["status"] == "expired"  # at once, before anything is written
    r = await client.post(f"/api/v1/offers/{offer['id']}/accept", headers=deal.buyer.headers)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "offer_expired"
    assert await count_rows(app, Order) == 0
    # A new proposal stores the expiry, then goes through.
    fresh = await propose_offer(client, deal, proposer=deal.buyer)
    assert fresh["status"] == "proposed"
    offers = (await client.get(f"/api/v1/negotiations/{deal.negotiation_id}/offers",
                               headers=deal.buyer.headers)).json()
    assert [o["status"] for o in offers] == ["expired", "proposed"]


def _line(**overrides: Any) -> dict[str, Any]:
    return {"description": "Shrimp", "quantity": "100", "unit": "kg", "unit_price": "6.45",
            **overrides}


INVALID_OFFERS: list[tuple[str, dict[str, Any], str]] = [
    ("zero quantity", {"lines": [_line(quantity="0")]}, "invalid_quantity"),
    ("negative quantity", {"lines": [_line(quantity="-5")]}, "invalid_quantity"),
    ("negative price", {"lines": [_line(unit_price="-1")]}, "invalid_price"),
    ("unknown currency", {"currency": "XYZ"}, "unknown_currency"),
    ("valid_until in the past",
     {"valid_until": (datetime.now(UTC) - timedelta(hours=1)).isoformat()}, "valid_until_past"),
    ("deposit over 100%", {"deposit_percent": "100.01"}, "invalid_deposit"),
    ("negative deposit", {"deposit_percent": "-1"}, "invalid_deposit"),
    ("mixed currencies", {"lines": [_line(currency="USD"), _line(currency="EUR")]},
     "mixed_currencies"),
    ("sub-cent USD price", {"lines": [_line(unit_price="1.005")]}, "price_precision"),
    ("yen with decimals", {"currency": "JPY", "lines": [_line(unit_price="980.5")]},
     "price_precision"),
    ("price as a JSON float", {"lines": [_line(unit_price=0.1)]}, "validation_error"),
    ("quantity as a JSON float", {"lines": [_line(quantity=1e3)]}, "validation_error"),
    ("NaN price", {"lines": [_line(unit_price="NaN")]}, "validation_error"),
    ("unknown incoterm", {"incoterm": "FOX"}, "unknown_incoterm"),
    ("unknown unit", {"lines": [_line(unit="bushel")]}, "unknown_unit"),
    ("no lines", {"lines": []}, "validation_error"),
    ("naive valid_until", {"valid_until": "2031-01-01T00:00:00"}, "validation_error"),
    ("someone else's product", {"lines": [_line(product_id=999999)]}, "unknown_product"),
]


@pytest.mark.parametrize(("case", "overrides", "code"), INVALID_OFFERS,
                         ids=[c[0] for c in INVALID_OFFERS])
async def test_invalid_offers_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, app: FastAPI, case: str, overrides: dict[str, Any], code: str
) -> None:
    deal = await create_negotiation(client)
    r = await client.post(f"/api/v1/negotiations/{deal.negotiation_id}/offers",
                          json=offer_body(**overrides), headers=deal.supplier.headers)
    assert r.status_code == 422, (case, r.text)
    assert r.json()["error"]["code"] == code, r.text
    assert await count_rows(app, Offer) == 0
    assert await count_rows(app, OfferLine) == 0


async def test_an_invalid_counter_leaves_the_answered_offer_open(
    client: httpx.AsyncClient
) -> None:
    deal = await create_negotiation(client)
    offer = await propose_offer(client, deal)
    r = await client.post(f"/api/v1/offers/{offer['id']}/counter",
                          json=offer_body(currency="XYZ"), headers=deal.buyer.headers)
    assert r.status_code == 422
    shown = await client.get(f"/api/v1/offers/{offer['id']}", headers=deal.buyer.headers)
    assert shown.json()["status"] == "proposed"


@pytest.mark.parametrize(("currency", "price", "line_total", "deposit"), [
    ("JPY", "981", "98100", "29430"),
    ("USD", "6.45", "645.00", "193.50"),
    ("KWD", "1.235", "123.500", "37.050"),
])
async def test_totals_use_the_currencys_minor_units(
    client: httpx.AsyncClient, currency: str, price: str, line_total: str, deposit: str
) -> None:
    deal = await create_negotiation(client)
    offer = await propose_offer(client, deal, currency=currency,
                                lines=[_line(unit_price=price)])
    assert offer["lines"][0]["line_total"] == line_total
    assert offer["total"] == line_total
    accepted = await client.post(f"/api/v1/offers/{offer['id']}/accept",
                                 headers=deal.buyer.headers)
    milestones = accepted.json()["order"]["milestones"]
    assert milestones[0]["amount"] == deposit
