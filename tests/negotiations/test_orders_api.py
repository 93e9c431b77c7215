"""Order steps: each by its party, in order, at the version seen; Idempotency-Key retries."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from app.models import IdempotencyKey
from tests.factories import Account, Deal, count_rows, create_negotiation, propose_offer, register


async def _order(client: httpx.AsyncClient, **offer: Any) -> tuple[Deal, dict[str, Any]]:
    deal = await create_negotiation(client)
    proposed = await propose_offer(client, deal, **offer)
    r = await client.post(f"/api/v1/offers/{proposed['id']}/accept", headers=deal.buyer.headers)
    assert r.status_code == 200, r.text
    return deal, dict(r.json()["order"])


async def _step(
    client: httpx.AsyncClient, who: Account, order: dict[str, Any], to: str, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/orders/{order['id']}/transitions",
        json={"to": to, "version": order["version"], **body}, headers=who.headers,
    )


SHIPPING = {"container_number": "CSQU3054383", "bl_number": "MEDUFZ123456",
            "etd": "2031-07-01", "eta": "2031-08-05"}


async def test_the_full_lifecycle_each_step_by_its_party(client: httpx.AsyncClient) -> None:
    deal, order = await _order(client)
    assert order["next_steps"] == ["deposit_paid", "cancelled"]
    plan = [
        (deal.supplier, "deposit_paid", {"payment_reference": "TT-1", "paid_on": "2031-06-01"}),
        (deal.supplier, "in_production", {}),
        (deal.supplier, "shipped", SHIPPING),
        (deal.buyer, "delivered", {}),
        (deal.buyer, "completed", {}),
    ]
    for who, to, body in plan:
        r = await _step(client, who, order, to, **body)
        assert r.status_code == 200, (to, r.text)
        assert r.json()["version"] == order["version"] + 1
        order = r.json()
        assert order["status"] == to
    assert order["container_number"] == "CSQU3054383"
    assert order["milestones"][0]["reference"] == "TT-1"
    assert order["next_steps"] == []


async def test_wrong_party_gets_403_and_illegal_step_409(client: httpx.AsyncClient) -> None:
    deal, order = await _order(client)
    r = await _step(client, deal.buyer, order, "deposit_paid", payment_reference="x")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "not_your_step"
    r = await _step(client, deal.supplier, order, "shipped", **SHIPPING)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "illegal_transition"
    assert r.json()["error"]["details"]["next_steps"] == ["deposit_paid", "cancelled"]
    r = await _step(client, deal.buyer, order, "completed")
    assert r.status_code == 409
    outsider = await register(client, kind="buyer")
    r = await _step(client, outsider, order, "cancelled")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "order_not_found"
    assert (await client.get(f"/api/v1/orders/{order['id']}",
                             headers=outsider.headers)).status_code == 404
    assert (await client.get("/api/v1/orders", headers=outsider.headers)).json()["items"] == []


async def test_stale_version_is_a_conflict(client: httpx.AsyncClient) -> None:
    deal, order = await _order(client)
    r = await _step(client, deal.supplier, order, "deposit_paid", payment_reference="TT-1")
    assert r.status_code == 200
    stale = await _step(client, deal.supplier, {**r.json(), "version": order["version"]},
                        "in_production")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "version_conflict"


async def test_shipping_needs_valid_documents(client: httpx.AsyncClient) -> None:
    deal, order = await _order(client, deposit_percent="0")
    assert order["next_steps"] == ["in_production", "cancelled"]
    assert [m["kind"] for m in order["milestones"]] == ["balance"]
    order = (await _step(client, deal.supplier, order, "in_production")).json()
    missing = await _step(client, deal.supplier, order, "shipped")
    assert missing.json()["error"]["code"] == "shipping_details_required"
    typo = await _step(client, deal.supplier, order, "shipped",
                       **{**SHIPPING, "container_number": "CSQU3054384"})
    assert typo.status_code == 422
    assert typo.json()["error"]["code"] == "invalid_container_number"
    backwards = await _step(client, deal.supplier, order, "shipped",
                            **{**SHIPPING, "eta": "2031-06-01"})
    assert backwards.json()["error"]["code"] == "eta_before_etd"


async def test_either_party_cancels_early_but_not_after_production(
    client: httpx.AsyncClient
) -> None:
    deal, order = await _order(client)
    r = await _step(client, deal.buyer, order, "cancelled", reason="Market changed")
    assert r.status_code == 200
    assert r.json()["status"] == "cancelled"
    deal, order = await _order(client, deposit_percent="0")
    order = (await _step(client, deal.supplier, order, "in_production")).json()
    r = await _step(client, deal.supplier, order, "cancelled")
    assert r.status_code == 409


async def test_idempotent_retry_returns_the_first_response(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    deal, order = await _order(client)
    headers = {**deal.supplier.headers, "Idempotency-Key": "step-1"}
    body = {"to": "deposit_paid", "version": order["version"], "payment_reference": "TT-9"}
    url = f"/api/v1/orders/{order['id']}/transitions"
    first = await client.post(url, json=body, headers=headers)
    retry = await client.post(url, json=body, headers=headers)
    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    reused = await client.post(url, json={**body, "payment_reference": "TT-10"},
                               headers=headers)
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    # Without the key the same body acts again, and meets the new state.
    plain = await client.post(url, json=body, headers=deal.supplier.headers)
    assert plain.status_code == 409
    assert await count_rows(app, IdempotencyKey) == 1


async def test_accept_with_idempotency_key_retries_safely(client: httpx.AsyncClient) -> None:
    deal = await create_negotiation(client)
    offer = await propose_offer(client, deal)
    headers = {**deal.buyer.headers, "Idempotency-Key": "accept-1"}
    first = await client.post(f"/api/v1/offers/{offer['id']}/accept", headers=headers)
    retry = await client.post(f"/api/v1/offers/{offer['id']}/accept", headers=headers)
    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()
    other = await propose_offer(client, deal)
    reused = await client.post(f"/api/v1/offers/{other['id']}/accept", headers=headers)
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"


async def test_a_failed_request_does_not_use_up_its_key(client: httpx.AsyncClient) -> None:
    deal, order = await _order(client)
    headers = {**deal.supplier.headers, "Idempotency-Key": "k"}
    url = f"/api/v1/orders/{order['id']}/transitions"
    refused = await client.post(url, json={"to": "deposit_paid", "version": order["version"]},
                                headers=headers)
    assert refused.json()["error"]["code"] == "payment_reference_required"
    fixed = await client.post(url, json={"to": "deposit_paid", "version": order["version"],
                                         "payment_reference": "TT"}, headers=headers)
    assert fixed.status_code == 200


async def test_supplier_records_the_balance_payment(client: httpx.AsyncClient) -> None:
    deal, order = await _order(client)
    url = f"/api/v1/orders/{order['id']}/payments/balance"
    body = {"reference": "TT-BAL", "paid_on": "2031-08-10"}
    r = await client.post(url, json=body, headers=deal.buyer.headers)
    assert r.status_code == 403
    r = await client.post(url, json=body, headers=deal.supplier.headers)
    assert r.status_code == 200, r.text
    balance = [m for m in r.json()["milestones"] if m["kind"] == "balance"][0]
    assert balance["reference"] == "TT-BAL"
    assert r.json()["version"] == order["version"] + 1
    again = await client.post(url, json=body, headers=deal.supplier.headers)
    assert again.json()["error"]["code"] == "milestone_already_paid"
