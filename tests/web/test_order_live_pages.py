"""The parts of the order pages that order.js and orders.js swap in: who gets them, and that
they carry what the full pages show. (The swapping itself: tests/e2e/test_order_live.py.)"""

from __future__ import annotations

import re

import httpx

from tests.factories import register
from tests.web.helpers import Browser, csrf_from, get_page, post_form, text_of
from tests.web.test_negotiation_pages import accepted_order


async def test_the_live_parts_follow_the_order_and_offer_only_the_viewers_steps(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    deal, order = await accepted_order(client)
    supplier = await browser_for(deal.supplier)
    buyer = await browser_for(deal.buyer)
    page = await get_page(supplier, f"/orders/{order['id']}")
    assert f'data-live-url="/orders/{order["id"]}/live"' in page.text
    paid = await post_form(supplier, f"/orders/{order['id']}/steps", {
        "csrf_token": csrf_from(page.text), "to": "deposit_paid",
        "version": str(order["version"]), "payment_reference": "TT-77", "paid_on": "",
    })
    assert paid.status_code == 303

    parts = await get_page(buyer, f"/orders/{order['id']}/live")
    assert parts.status_code == 200
    assert "<html" not in parts.text  # a fragment, not a page
    assert f'data-version="{order["version"] + 1}"' in parts.text
    assert re.search(r'id="order-status">\s*Deposit paid', parts.text)
    timeline = parts.text[parts.text.index('id="order-timeline"'):]
    assert "Deposit paid" in text_of(timeline)
    assert 'id="order-terms"' in parts.text
    # The next step (start production) is the supplier's: the buyer gets no form for it.
    assert 'data-step="in_production"' not in parts.text
    supplier_parts = (await get_page(supplier, f"/orders/{order['id']}/live")).text
    assert 'data-step="in_production"' in supplier_parts
    assert f'name="version" value="{order["version"] + 1}"' in supplier_parts


async def test_a_third_organization_or_anonymous_visitor_gets_no_live_parts(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    deal, order = await accepted_order(client)
    outsider = await browser_for(await register(client, kind="buyer", country="US"))
    response = await get_page(outsider, f"/orders/{order['id']}/live")
    assert response.status_code == 404
    assert deal.supplier.email not in response.text
    anonymous = await get_page(client, f"/orders/{order['id']}/live")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login?next=")


async def test_the_order_rows_list_the_viewers_orders_only(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    deal, order = await accepted_order(client)
    _, others = await accepted_order(client)
    buyer = await browser_for(deal.buyer)
    listing = await get_page(buyer, "/orders")
    assert 'data-rows-url="/orders/rows"' in listing.text
    assert f'data-user-id="{deal.buyer.user_id}"' in listing.text
    rows = await get_page(buyer, "/orders/rows")
    assert rows.status_code == 200
    assert "<html" not in rows.text
    assert f'data-order-id="{order["id"]}"' in rows.text
    assert f'data-order-id="{others["id"]}"' not in rows.text
    assert "Confirmed" in text_of(rows.text)
    anonymous = await get_page(client, "/orders/rows")
    assert anonymous.status_code == 303
