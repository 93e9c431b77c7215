"""The host's pinned product: its card, who may pin, and what may be pinned."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.livestreams import pins
from app.models import LivestreamPin
from tests.factories import count_rows, create_product, register, upload_image
from tests.livestreams.helpers import (
    API,
    EventLog,
    audit_actions,
    end_show,
    live_show_setup,
    pin,
)


async def test_the_host_pins_a_product_and_the_room_sees_its_card(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    with EventLog(app) as log:
        card = await pin(client, s.host, s.show_id, s.product_id)
    assert card == {
        "id": s.product_id, "name": s.product["name"], "name_zh": s.product["name_zh"],
        "image_url": None, "currency": "USD", "unit": "kg", "moq": "1000",
        "price_tiers": [{"min_quantity": "1000", "unit_price": "6.80"},
                        {"min_quantity": "5000", "unit_price": "6.45"}],
        "incoterms": ["FOB", "CFR"], "port_of_loading": "Fuzhou", "lead_time_days": 21,
        "booth_id": s.booth_id,
    }
    assert [e.data for e in log.on(f"livestream:{s.show_id}", "product.pinned")] == [
        {"pinned": card}
    ]
    show = (await client.get(f"{API}/livestreams/{s.show_id}")).json()
    assert show["pinned"] == card
    assert await audit_actions(app, s.show_id) == [
        "livestream.scheduled", "livestream.started", "livestream.product_pinned",
    ]


async def test_each_pin_is_counted(client: httpx.AsyncClient, app: FastAPI) -> None:
    s = await live_show_setup(client)
    second = await create_product(client, s.host, name="Dried squid")
    await pin(client, s.host, s.show_id, s.product_id)
    card = await pin(client, s.host, s.show_id, second["id"])
    await pin(client, s.host, s.show_id, s.product_id)
    assert card["name"] == "Dried squid"
    assert await count_rows(app, LivestreamPin,
                            LivestreamPin.livestream_id == s.show_id) == 3


async def test_a_card_shows_the_products_first_image(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client)
    image = await upload_image(client, s.host)
    product = await create_product(client, s.host, images=[image["id"]])
    card = await pin(client, s.host, s.show_id, product["id"])
    assert card["image_url"] == product["images"][0]["thumbnail_url"]


async def test_a_scheduled_show_may_have_a_product_ready(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client, live=False)
    await pin(client, s.host, s.show_id, s.product_id)
    assert (await client.get(f"{API}/livestreams/{s.show_id}")).json()["pinned"]["id"] \
        == s.product_id


async def test_unpinning_clears_the_card(client: httpx.AsyncClient, app: FastAPI) -> None:
    s = await live_show_setup(client)
    await pin(client, s.host, s.show_id, s.product_id)
    with EventLog(app) as log:
        response = await client.delete(f"{API}/livestreams/{s.show_id}/pin",
                                       headers=s.host.headers)
    assert response.status_code == 204
    assert [e.data for e in log.on(f"livestream:{s.show_id}", "product.pinned")] == [
        {"pinned": None}
    ]
    assert (await client.get(f"{API}/livestreams/{s.show_id}")).json()["pinned"] is None
    assert (await audit_actions(app, s.show_id))[-1] == "livestream.product_unpinned"


async def test_only_the_booths_members_pin(client: httpx.AsyncClient, app: FastAPI) -> None:
    s = await live_show_setup(client)
    other_supplier = await register(client, kind="supplier")
    url = f"{API}/livestreams/{s.show_id}/pin"
    body = {"product_id": s.product_id}
    # The organizer moderates the show but does not host it.
    for account in (other_supplier, s.buyer, s.organizer):
        for method in ("PUT", "DELETE"):
            response = await client.request(method, url, json=body, headers=account.headers)
            assert response.status_code == 403, response.text
            assert response.json()["error"]["code"] == "livestream_host_required"
    assert (await client.put(url, json=body)).status_code == 401
    assert await count_rows(app, LivestreamPin) == 0
    assert (await client.get(f"{API}/livestreams/{s.show_id}")).json()["pinned"] is None


async def test_only_the_suppliers_live_products_can_be_pinned(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    other_supplier = await register(client, kind="supplier")
    foreign = await create_product(client, other_supplier)
    deleted = await create_product(client, s.host)
    assert (await client.delete(f"{API}/products/{deleted['id']}",
                                headers=s.host.headers)).status_code == 204
    for product_id in (foreign["id"], deleted["id"], 999_999):
        response = await client.put(f"{API}/livestreams/{s.show_id}/pin",
                                    json={"product_id": product_id}, headers=s.host.headers)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "product_not_available"
    assert await count_rows(app, LivestreamPin) == 0


async def test_nothing_is_pinned_after_the_show(client: httpx.AsyncClient, app: FastAPI) -> None:
    s = await live_show_setup(client)
    await end_show(client, s.host, s.show_id)
    response = await client.put(f"{API}/livestreams/{s.show_id}/pin",
                                json={"product_id": s.product_id}, headers=s.host.headers)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "livestream_status_conflict"
    assert await count_rows(app, LivestreamPin) == 0


async def test_a_pinned_product_deleted_later_leaves_no_card(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await live_show_setup(client)
    await pin(client, s.host, s.show_id, s.product_id)
    await client.delete(f"{API}/products/{s.product_id}", headers=s.host.headers)
    assert (await client.get(f"{API}/livestreams/{s.show_id}")).json()["pinned"] is None
    assert await pins.product_card(db, s.product_id) is None


async def test_a_card_read_outside_a_show_points_at_the_suppliers_booth(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await live_show_setup(client)
    card = await pins.product_card(db, s.product_id)
    assert card is not None
    assert card.booth_id == s.booth_id
    assert card.moq == 1000
