""""Ask for a quote" from a show: POST /livestreams/{id}/quote-requests."""

from __future__ import annotations

from decimal import Decimal

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LivestreamQuoteRequest, Negotiation
from tests.factories import add_colleague, count_rows, create_product, register
from tests.livestreams.helpers import API, create_show, end_show, live_show_setup, pin, start_show
from tests.livestreams.sales_helpers import ask_quote, error_code, hide_booth


async def _messages(client: httpx.AsyncClient, headers: dict[str, str],
                    negotiation_id: int) -> list[dict[str, object]]:
    response = await client.get(f"{API}/negotiations/{negotiation_id}/messages", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_asking_on_the_pinned_product_opens_a_negotiation_saying_it_came_from_the_show(
    client: httpx.AsyncClient, db: AsyncSession,
) -> None:
    live = await live_show_setup(client)
    await pin(client, live.host, live.show_id, live.product_id)

    response = await ask_quote(client, live.buyer, live.show_id)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["negotiation_created"] is True
    assert body["product_id"] == live.product_id
    assert body["quantity"] == "1000"  # never asked before: the product's MOQ
    negotiation = await db.get(Negotiation, body["negotiation_id"])
    assert negotiation is not None
    assert (negotiation.buyer_id, negotiation.supplier_id) == (
        live.buyer.organization_id, live.host.organization_id)
    assert (negotiation.subject_type, negotiation.subject_id) == ("product", live.product_id)
    [first] = await _messages(client, live.buyer.headers, body["negotiation_id"])
    assert live.show["title"] in str(first["body"])
    assert "1000 kg" in str(first["body"])
    assert first["data"] == {"quantity": "1000"}
    # The supplier sees the same thread.
    seen = await client.get(f"{API}/negotiations/{body['negotiation_id']}",
                            headers=live.host.headers)
    assert seen.status_code == 200
    request = await db.get(LivestreamQuoteRequest, body["quote_request_id"])
    assert request is not None
    assert (request.livestream_id, request.user_id, request.buyer_org_id) == (
        live.show_id, live.buyer.user_id, live.buyer.organization_id)
    assert request.negotiation_id == body["negotiation_id"]
    assert request.negotiation_created is True


async def test_second_ask_reuses_the_negotiation_and_both_asks_are_recorded(
    client: httpx.AsyncClient, db: AsyncSession, app: FastAPI,
) -> None:
    live = await live_show_setup(client)
    await pin(client, live.host, live.show_id, live.product_id)
    first = (await ask_quote(client, live.buyer, live.show_id, quantity="2500")).json()
    colleague = await add_colleague(client, db, live.buyer)

    second = await ask_quote(client, colleague, live.show_id, quantity="3000")

    assert second.status_code == 201, second.text
    assert second.json()["negotiation_id"] == first["negotiation_id"]
    assert second.json()["negotiation_created"] is False
    assert await count_rows(app, Negotiation) == 1
    rows = list(await db.scalars(select(LivestreamQuoteRequest)
                                 .order_by(LivestreamQuoteRequest.id)))
    assert [(r.quantity, r.negotiation_created) for r in rows] == [
        (Decimal(2500), True), (Decimal(3000), False)]
    assert {r.negotiation_id for r in rows} == {first["negotiation_id"]}
    messages = await _messages(client, live.buyer.headers, first["negotiation_id"])
    assert [m["data"] for m in messages] == [{"quantity": "2500"}, {"quantity": "3000"}]


async def test_default_quantity_is_the_viewers_last_ask_in_any_show(
    client: httpx.AsyncClient, db: AsyncSession,
) -> None:
    live = await live_show_setup(client)
    await ask_quote(client, live.buyer, live.show_id, product_id=live.product_id,
                    quantity="2500.5")
    await end_show(client, live.host, live.show_id)
    later = await create_show(client, live.host, live.booth_id, title="Second harvest")
    await start_show(client, live.host, int(later["id"]))
    await pin(client, live.host, int(later["id"]), live.product_id)
    colleague = await add_colleague(client, db, live.buyer)

    mine = await ask_quote(client, live.buyer, int(later["id"]))
    theirs = await ask_quote(client, colleague, int(later["id"]))

    assert mine.status_code == 201, mine.text
    assert mine.json()["quantity"] == "2500.5"
    # The default is the viewer's own last ask, not their organization's.
    assert theirs.json()["quantity"] == "1000"


async def test_an_ended_show_still_takes_quote_requests_a_scheduled_one_does_not(
    client: httpx.AsyncClient, app: FastAPI,
) -> None:
    scheduled = await live_show_setup(client, live=False)
    refused = await ask_quote(client, scheduled.buyer, scheduled.show_id,
                              product_id=scheduled.product_id)
    assert refused.status_code == 409
    assert error_code(refused) == "livestream_not_live"
    assert await count_rows(app, Negotiation) == 0

    await start_show(client, scheduled.host, scheduled.show_id)
    await end_show(client, scheduled.host, scheduled.show_id)
    ended = await ask_quote(client, scheduled.buyer, scheduled.show_id,
                            product_id=scheduled.product_id)
    assert ended.status_code == 201, ended.text


async def test_without_a_pinned_product_the_product_is_required(
    client: httpx.AsyncClient, app: FastAPI,
) -> None:
    live = await live_show_setup(client)
    response = await ask_quote(client, live.buyer, live.show_id)
    assert response.status_code == 422
    assert error_code(response) == "product_required"
    assert await count_rows(app, LivestreamQuoteRequest) == 0


async def test_another_suppliers_product_or_a_deleted_one_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, app: FastAPI,
) -> None:
    live = await live_show_setup(client)
    other = await register(client, kind="supplier")
    foreign = await create_product(client, other)
    gone = await create_product(client, live.host, name="Dried squid")
    deleted = await client.delete(f"{API}/products/{gone['id']}", headers=live.host.headers)
    assert deleted.status_code == 204, deleted.text

    for product_id in (foreign["id"], gone["id"], 2**31 - 1):
        response = await ask_quote(client, live.buyer, live.show_id, product_id=product_id)
        assert response.status_code == 422, response.text
        assert error_code(response) == "product_not_available"
    assert await count_rows(app, Negotiation) == 0
    assert await count_rows(app, LivestreamQuoteRequest) == 0


async def test_bad_quantities_get_422(client: httpx.AsyncClient, app: FastAPI) -> None:
    live = await live_show_setup(client)
    for quantity, code in (("0", "invalid_quantity"), ("-5", "invalid_quantity"),
                           ("1.0005", "invalid_quantity"), ("1e15", "invalid_quantity"),
                           (12.5, "validation_error"), ("lots", "validation_error")):
        response = await ask_quote(client, live.buyer, live.show_id,
                                   product_id=live.product_id, quantity=quantity)
        assert response.status_code == 422, (quantity, response.text)
        assert error_code(response) == code, quantity
    unknown = await ask_quote(client, live.buyer, live.show_id, product_id=live.product_id,
                              note="hi")
    assert unknown.status_code == 422
    assert await count_rows(app, LivestreamQuoteRequest) == 0


async def test_suppliers_and_organizers_cannot_ask_for_quotes(
    client: httpx.AsyncClient, app: FastAPI,
) -> None:
    live = await live_show_setup(client)
    other_supplier = await register(client, kind="supplier")
    for account in (live.host, other_supplier, live.organizer):
        response = await ask_quote(client, account, live.show_id, product_id=live.product_id)
        assert response.status_code == 403, response.text
        assert error_code(response) == "buyer_required"
    assert await count_rows(app, Negotiation) == 0


async def test_a_show_the_viewer_cannot_see_is_not_found(
    client: httpx.AsyncClient, db: AsyncSession, app: FastAPI,
) -> None:
    live = await live_show_setup(client)
    await hide_booth(db, live)
    for show_id in (live.show_id, 2**31 - 1):
        response = await ask_quote(client, live.buyer, show_id, product_id=live.product_id)
        assert response.status_code == 404, response.text
        assert error_code(response) == "livestream_not_found"
    anonymous = await client.post(f"{API}/livestreams/{live.show_id}/quote-requests", json={})
    assert anonymous.status_code == 401
    assert await count_rows(app, LivestreamQuoteRequest) == 0
