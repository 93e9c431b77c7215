"""Flash offers: publishing, listing, closing, and claims (each one a negotiation with the
supplier's offer at the flash price)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import FlashClaim, FlashOffer, Negotiation, Offer
from app.realtime.hub import Hub
from app.realtime.topics import PendingEvent
from tests.factories import (
    add_colleague,
    count_rows,
    create_product,
    offer_body,
    register,
)
from tests.livestreams.helpers import API, LiveShow, end_show, live_show_setup, start_show
from tests.livestreams.sales_helpers import claim, error_code, flash_body, hide_booth, publish_flash


@pytest.fixture
def published(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> list[PendingEvent]:
    """The events the hub publishes (after each unit of work commits)."""
    hub: Hub = app.state.hub
    seen: list[PendingEvent] = []
    original = hub.publish

    async def recording(event: PendingEvent) -> None:
        seen.append(event)
        await original(event)

    monkeypatch.setattr(hub, "publish", recording)
    return seen


def _flash_events(events: list[PendingEvent], show_id: int) -> list[tuple[str, dict[str, Any]]]:
    return [(e.event, e.data) for e in events
            if e.topic == f"livestream:{show_id}" and e.event.startswith("flash.")]


async def _offer(client: httpx.AsyncClient, account: Any, offer_id: int) -> dict[str, Any]:
    response = await client.get(f"{API}/offers/{offer_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


# --- publishing ------------------------------------------------------------------------------


async def test_host_publishes_a_flash_offer_in_the_products_currency_and_unit(
    client: httpx.AsyncClient, published: list[PendingEvent],
) -> None:
    live = await live_show_setup(client)
    before = datetime.now(UTC)

    offer = await publish_flash(client, live, duration_minutes=30)

    assert (offer["product_id"], offer["product_name"], offer["product_name_zh"]) == (
        live.product_id, live.product["name"], live.product["name_zh"])
    assert (offer["currency"], offer["unit"], offer["unit_price"]) == ("USD", "kg", "5.90")
    assert (offer["quantity_total"], offer["quantity_claimed"],
            offer["quantity_remaining"]) == ("10", "0", "10")
    assert (offer["incoterm"], offer["named_place"], offer["deposit_percent"]) == (
        "FOB", "Fuzhou", "30")
    assert offer["status"] == "open"
    ends_at = datetime.fromisoformat(offer["ends_at"])
    assert before + timedelta(minutes=30) <= ends_at <= datetime.now(UTC) + timedelta(minutes=30)
    assert _flash_events(published, live.show_id) == [("flash.published", offer)]
    listed = await client.get(f"{API}/livestreams/{live.show_id}/flash-offers",
                              headers=live.buyer.headers)
    assert listed.status_code == 200
    assert listed.json() == {"items": [offer], "next_cursor": None}
    one = await client.get(f"{API}/flash-offers/{offer['id']}")
    assert one.json() == offer


async def test_flash_offers_list_newest_first_in_pages(client: httpx.AsyncClient) -> None:
    live = await live_show_setup(client)
    ids = [(await publish_flash(client, live))["id"] for _ in range(3)]
    first = (await client.get(f"{API}/livestreams/{live.show_id}/flash-offers",
                              params={"limit": 2})).json()
    assert [o["id"] for o in first["items"]] == ids[:0:-1]
    rest = (await client.get(f"{API}/livestreams/{live.show_id}/flash-offers",
                             params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert [o["id"] for o in rest["items"]] == ids[:1]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(("overrides", "code"), [
    ({"unit_price": "0"}, "invalid_price"),
    ({"unit_price": "5.905"}, "price_precision"),
    ({"unit_price": 5.9}, "validation_error"),
    ({"quantity": "0"}, "invalid_quantity"),
    ({"quantity": "1.0001"}, "invalid_quantity"),
    ({"incoterm": "FOBX"}, "unknown_incoterm"),
    ({"deposit_percent": "120"}, "invalid_deposit"),
    ({"named_place": ""}, "validation_error"),
    ({"duration_minutes": 0}, "validation_error"),
    ({"duration_minutes": 1441}, "validation_error"),
    ({"duration_minutes": None}, "validation_error"),  # neither end
    ({"ends_at": "2031-01-01T00:00:00Z"}, "validation_error"),  # both ends
    ({"duration_minutes": None, "ends_at": "2020-01-01T00:00:00Z"}, "ends_at_past"),
    ({"duration_minutes": None, "ends_at": "2020-01-01T00:00:00"}, "validation_error"),
    ({"duration_minutes": None,
      "ends_at": (datetime.now(UTC) + timedelta(hours=25)).isoformat()}, "ends_at_too_far"),
    ({"product_id": 2**31 - 1}, "product_not_available"),
    ({"surprise": True}, "validation_error"),
])
async def test_invalid_flash_terms_get_422_and_nothing_is_published(
    client: httpx.AsyncClient, app: FastAPI, overrides: dict[str, Any], code: str,
) -> None:
    live = await live_show_setup(client)
    response = await client.post(
        f"{API}/livestreams/{live.show_id}/flash-offers",
        json=flash_body(live.product_id, **overrides), headers=live.host.headers,
    )
    assert response.status_code == 422, response.text
    assert error_code(response) == code
    assert await count_rows(app, FlashOffer) == 0


async def test_ends_at_within_a_day_is_taken_as_given(client: httpx.AsyncClient) -> None:
    live = await live_show_setup(client)
    ends_at = (datetime.now(UTC) + timedelta(hours=23)).replace(microsecond=0)
    offer = await publish_flash(client, live, duration_minutes=None, ends_at=ends_at.isoformat())
    assert datetime.fromisoformat(offer["ends_at"]) == ends_at


async def test_another_suppliers_product_cannot_be_offered(
    client: httpx.AsyncClient, app: FastAPI,
) -> None:
    live = await live_show_setup(client)
    foreign = await create_product(client, await register(client, kind="supplier"))
    response = await client.post(f"{API}/livestreams/{live.show_id}/flash-offers",
                                 json=flash_body(foreign["id"]), headers=live.host.headers)
    assert response.status_code == 422
    assert error_code(response) == "product_not_available"
    assert await count_rows(app, FlashOffer) == 0


async def test_only_the_host_publishes_and_only_while_live(
    client: httpx.AsyncClient, app: FastAPI,
) -> None:
    live = await live_show_setup(client, live=False)
    other_supplier = await register(client, kind="supplier")
    url = f"{API}/livestreams/{live.show_id}/flash-offers"
    body = flash_body(live.product_id)
    for account in (live.buyer, live.organizer, other_supplier):
        response = await client.post(url, json=body, headers=account.headers)
        assert response.status_code == 403, response.text
        assert error_code(response) == "livestream_host_required"
    scheduled = await client.post(url, json=body, headers=live.host.headers)
    assert scheduled.status_code == 409
    assert error_code(scheduled) == "livestream_not_live"
    await start_show(client, live.host, live.show_id)
    await end_show(client, live.host, live.show_id)
    ended = await client.post(url, json=body, headers=live.host.headers)
    assert ended.status_code == 409
    assert await count_rows(app, FlashOffer) == 0


# --- claiming --------------------------------------------------------------------------------


async def test_a_claim_starts_a_negotiation_with_the_suppliers_offer_at_the_flash_price(
    client: httpx.AsyncClient, published: list[PendingEvent],
) -> None:
    live = await live_show_setup(client)
    flash = await publish_flash(client, live)

    response = await claim(client, live.buyer, flash["id"], "3.5")

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["flash_offer_id"], body["quantity"], body["quantity_remaining"]) == (
        flash["id"], "3.5", "6.5")
    assert body["negotiation_created"] is True
    assert body["replaced_offer_id"] is None
    assert body["offer_note"] is None
    offer = await _offer(client, live.buyer, body["offer_id"])
    assert offer["negotiation_id"] == body["negotiation_id"]
    assert offer["status"] == "proposed"
    # Proposed by the supplier side, by the member who published the flash offer.
    assert (offer["proposed_by_org_id"], offer["proposed_by_user_id"]) == (
        live.host.organization_id, live.host.user_id)
    assert (offer["currency"], offer["incoterm"], offer["named_place"]) == (
        "USD", "FOB", "Fuzhou")
    assert (offer["deposit_percent"], offer["balance_terms"]) == ("30", "70% against B/L copy")
    [line] = offer["lines"]
    assert (line["product_id"], line["quantity"], line["unit"], line["unit_price"]) == (
        live.product_id, "3.5", "kg", "5.90")
    assert offer["total"] == "20.65"
    messages = (await client.get(f"{API}/negotiations/{body['negotiation_id']}/messages",
                                 headers=live.host.headers)).json()["items"]
    assert "Flash offer claim" in messages[0]["body"]
    assert live.show["title"] in messages[0]["body"]
    assert messages[0]["data"] == {"quantity": "3.5", "target_price": "5.9"}
    assert messages[-1]["offer_id"] == body["offer_id"]
    after = (await client.get(f"{API}/flash-offers/{flash['id']}")).json()
    assert (after["quantity_claimed"], after["quantity_remaining"]) == ("3.5", "6.5")
    assert _flash_events(published, live.show_id)[-1] == ("flash.updated", {
        "id": flash["id"], "quantity_claimed": "3.5", "quantity_remaining": "6.5",
        "status": "open"})
    # The buyer takes it: an order at the flash price.
    accepted = await client.post(f"{API}/offers/{body['offer_id']}/accept",
                                 headers=live.buyer.headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["order"]["total"] == "20.65"


async def test_suppliers_and_organizers_cannot_claim(
    client: httpx.AsyncClient, app: FastAPI,
) -> None:
    live = await live_show_setup(client)
    flash = await publish_flash(client, live)
    other_supplier = await register(client, kind="supplier")
    for account in (live.host, live.organizer, other_supplier):
        response = await claim(client, account, flash["id"])
        assert response.status_code == 403, response.text
        assert error_code(response) == "buyer_required"
    assert await count_rows(app, FlashClaim) == 0
    assert await count_rows(app, Negotiation) == 0
    assert (await client.get(f"{API}/flash-offers/{flash['id']}")).json()[
        "quantity_claimed"] == "0"


async def test_one_claim_per_buyer_organization(
    client: httpx.AsyncClient, db: AsyncSession, app: FastAPI,
) -> None:
    live = await live_show_setup(client)
    flash = await publish_flash(client, live)
    assert (await claim(client, live.buyer, flash["id"], "2")).status_code == 201
    colleague = await add_colleague(client, db, live.buyer)
    for account in (live.buyer, colleague):
        again = await claim(client, account, flash["id"], "1")
        assert again.status_code == 409, again.text
        assert error_code(again) == "flash_offer_already_claimed"
    assert await count_rows(app, FlashClaim) == 1
    assert await count_rows(app, Offer) == 1
    assert (await client.get(f"{API}/flash-offers/{flash['id']}")).json()[
        "quantity_claimed"] == "2"


async def test_more_than_remains_is_sold_out_with_what_remains(
    client: httpx.AsyncClient, app: FastAPI, published: list[PendingEvent],
) -> None:
    live = await live_show_setup(client)
    flash = await publish_flash(client, live)
    assert (await claim(client, live.buyer, flash["id"], "8")).status_code == 201
    second = await register(client, kind="buyer")

    refused = await claim(client, second, flash["id"], "3")
    assert refused.status_code == 409
    assert error_code(refused) == "flash_offer_sold_out"
    assert refused.json()["error"]["details"] == {"remaining": "2"}
    assert await count_rows(app, Negotiation) == 1  # the refused claim wrote nothing

    assert (await claim(client, second, flash["id"], "2")).status_code == 201
    after = (await client.get(f"{API}/flash-offers/{flash['id']}")).json()
    assert (after["quantity_remaining"], after["status"]) == ("0", "sold_out")
    assert _flash_events(published, live.show_id)[-1][1]["status"] == "sold_out"
    third = await claim(client, await register(client, kind="buyer"), flash["id"], "1")
    assert error_code(third) == "flash_offer_sold_out"
    assert third.json()["error"]["details"] == {"remaining": "0"}


async def test_a_closed_flash_offer_takes_no_claims(
    client: httpx.AsyncClient, app: FastAPI, published: list[PendingEvent],
) -> None:
    live = await live_show_setup(client)
    flash = await publish_flash(client, live)
    for account in (live.buyer, live.organizer):
        refused = await client.post(f"{API}/flash-offers/{flash['id']}/close",
                                    headers=account.headers)
        assert refused.status_code == 403
        assert error_code(refused) == "livestream_host_required"

    closed = await client.post(f"{API}/flash-offers/{flash['id']}/close",
                               headers=live.host.headers)
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    assert _flash_events(published, live.show_id)[-1] == ("flash.updated", {
        "id": flash["id"], "quantity_claimed": "0", "quantity_remaining": "10",
        "status": "closed"})
    again = await client.post(f"{API}/flash-offers/{flash['id']}/close",
                              headers=live.host.headers)
    assert again.status_code == 200
    assert again.json() == closed.json()

    response = await claim(client, live.buyer, flash["id"])
    assert response.status_code == 409
    assert error_code(response) == "flash_offer_closed"
    assert await count_rows(app, FlashClaim) == 0
    assert await count_rows(app, Negotiation) == 0


async def test_after_ends_at_or_after_the_show_the_flash_offer_is_closed(
    client: httpx.AsyncClient, db: AsyncSession, app: FastAPI,
) -> None:
    live = await live_show_setup(client)
    expired = await publish_flash(client, live)
    await db.execute(update(FlashOffer).where(FlashOffer.id == expired["id"])
                     .values(ends_at=datetime.now(UTC) - timedelta(seconds=1)))
    await db.commit()
    response = await claim(client, live.buyer, expired["id"])
    assert response.status_code == 409
    assert error_code(response) == "flash_offer_closed"
    assert (await client.get(f"{API}/flash-offers/{expired['id']}")).json()[
        "status"] == "closed"

    running = await publish_flash(client, live)
    await end_show(client, live.host, live.show_id)
    response = await claim(client, live.buyer, running["id"])
    assert response.status_code == 409
    assert error_code(response) == "flash_offer_closed"
    assert await count_rows(app, FlashClaim) == 0


async def test_a_flash_offer_in_a_show_the_viewer_cannot_see_is_not_found(
    client: httpx.AsyncClient, db: AsyncSession,
) -> None:
    live = await live_show_setup(client)
    flash = await publish_flash(client, live)
    await hide_booth(db, live)
    for path in (f"/flash-offers/{flash['id']}", f"/flash-offers/{2**31 - 1}"):
        response = await client.post(f"{API}{path}/claims", json={"quantity": "1"},
                                     headers=live.buyer.headers)
        assert response.status_code == 404
        assert error_code(response) == "flash_offer_not_found"
        assert (await client.get(f"{API}{path}", headers=live.buyer.headers)).status_code == 404
    hidden = await client.get(f"{API}/livestreams/{live.show_id}/flash-offers",
                              headers=live.buyer.headers)
    assert hidden.status_code == 404


async def test_bad_claim_quantities_get_422(client: httpx.AsyncClient, app: FastAPI) -> None:
    live = await live_show_setup(client)
    flash = await publish_flash(client, live)
    for quantity, code in (("0", "invalid_quantity"), ("0.0001", "invalid_quantity"),
                           (1.5, "validation_error"), ("", "validation_error")):
        response = await client.post(f"{API}/flash-offers/{flash['id']}/claims",
                                     json={"quantity": quantity}, headers=live.buyer.headers)
        assert response.status_code == 422, (quantity, response.text)
        assert error_code(response) == code
    assert await count_rows(app, FlashClaim) == 0


# --- a negotiation that already has an open offer -------------------------------------------


async def _negotiation_with_open_offer(
    client: httpx.AsyncClient, live: LiveShow, proposer: Any
) -> tuple[int, dict[str, Any]]:
    opened = await client.post(f"{API}/negotiations", json={
        "subject_type": "product", "subject_id": live.product_id, "message": "Price for 5 t?",
    }, headers=live.buyer.headers)
    assert opened.status_code == 201, opened.text
    negotiation_id = int(opened.json()["id"])
    proposed = await client.post(f"{API}/negotiations/{negotiation_id}/offers",
                                 json=offer_body(live.product_id), headers=proposer.headers)
    assert proposed.status_code == 201, proposed.text
    return negotiation_id, dict(proposed.json())


async def test_a_claim_counters_the_buyers_own_open_offer_with_the_flash_terms(
    client: httpx.AsyncClient,
) -> None:
    live = await live_show_setup(client)
    negotiation_id, pending = await _negotiation_with_open_offer(client, live, live.buyer)
    flash = await publish_flash(client, live)

    body = (await claim(client, live.buyer, flash["id"], "2")).json()

    assert body["negotiation_id"] == negotiation_id
    assert body["negotiation_created"] is False
    assert body["replaced_offer_id"] == pending["id"]
    assert (await _offer(client, live.buyer, pending["id"]))["status"] == "countered"
    offer = await _offer(client, live.buyer, body["offer_id"])
    assert (offer["status"], offer["answers_offer_id"]) == ("proposed", pending["id"])
    assert offer["proposed_by_org_id"] == live.host.organization_id
    assert offer["lines"][0]["unit_price"] == "5.90"


async def test_a_claim_replaces_the_suppliers_open_offer_with_the_flash_terms(
    client: httpx.AsyncClient,
) -> None:
    live = await live_show_setup(client)
    negotiation_id, pending = await _negotiation_with_open_offer(client, live, live.host)
    flash = await publish_flash(client, live)

    body = (await claim(client, live.buyer, flash["id"], "2")).json()

    assert body["negotiation_id"] == negotiation_id
    assert body["replaced_offer_id"] == pending["id"]
    assert (await _offer(client, live.buyer, pending["id"]))["status"] == "withdrawn"
    offer = await _offer(client, live.buyer, body["offer_id"])
    assert offer["status"] == "proposed"
    assert (offer["lines"][0]["quantity"], offer["lines"][0]["unit_price"]) == ("2", "5.90")


async def test_the_offer_is_proposed_by_an_owner_when_the_publisher_left(
    client: httpx.AsyncClient, db: AsyncSession,
) -> None:
    live = await live_show_setup(client)
    colleague = await add_colleague(client, db, live.host)
    flash = await publish_flash(client, live)
    await db.execute(update(FlashOffer).where(FlashOffer.id == flash["id"])
                     .values(created_by_id=None))  # what the user's deletion leaves
    await db.commit()
    body = (await claim(client, live.buyer, flash["id"])).json()
    offer = await _offer(client, live.buyer, body["offer_id"])
    assert offer["proposed_by_user_id"] == live.host.user_id != colleague.user_id
