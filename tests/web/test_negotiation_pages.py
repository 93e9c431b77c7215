"""Negotiation and order pages: who sees them, which buttons each party gets, and their forms.

Deals are set up through the API (tests/factories.py); the pages are driven as a browser
would: signed in through /login, forms posted with the CSRF token read from the page.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.models import Message, Negotiation, Offer, Order
from tests.factories import (
    Deal,
    count_rows,
    create_negotiation,
    create_product,
    propose_offer,
    register,
)
from tests.web.helpers import Browser, csrf_from, get_page, post_form, text_of


def composer_form(page: str, **changes: str) -> dict[str, str | list[str]]:
    """The offer composer's fields as the page pre-fills them, with ``changes`` typed in."""
    form = page[page.index('id="composer"'):]
    form = form[:form.index("</form>")]
    values: dict[str, str | list[str]] = {"csrf_token": csrf_from(page)}
    text_inputs = r'<input type="text" id="[^"]*" name="([^"]+)"[^>]*value="([^"]*)"'
    dated_inputs = r'name="([^"]+)" type="(?:date|datetime-local)" value="([^"]*)"'
    for pattern in (text_inputs, dated_inputs):
        for name, value in re.findall(pattern, form):
            values[name] = value
    for select in re.finditer(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', form,
                              flags=re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', select.group(2))
        values[select.group(1)] = chosen.group(1) if chosen else ""
    values.update(changes)
    return values


def offer_fields(product_id: int, **changes: str) -> dict[str, str | list[str]]:
    valid_until = (datetime.now(UTC) + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    fields: dict[str, str | list[str]] = {
        "lines-0-product_id": str(product_id), "lines-0-description": "",
        "lines-0-quantity": "20000", "lines-0-unit": "kg", "lines-0-unit_price": "6.45",
        "currency": "USD", "incoterm": "FOB", "named_place": "Fuzhou",
        "shipment_date": "2031-06-30", "deposit_percent": "30",
        "balance_terms": "70% against B/L copy", "valid_until": valid_until, "notes": "",
    }
    fields.update(changes)
    return fields


async def room(browser: httpx.AsyncClient, deal: Deal) -> httpx.Response:
    response = await get_page(browser, f"/negotiations/{deal.negotiation_id}")
    assert response.status_code == 200, response.text
    return response


async def accepted_order(client: httpx.AsyncClient) -> tuple[Deal, dict[str, Any]]:
    deal = await create_negotiation(client)
    offer = await propose_offer(client, deal)
    response = await client.post(f"/api/v1/offers/{offer['id']}/accept",
                                 headers=deal.buyer.headers)
    assert response.status_code == 200, response.text
    return deal, dict(response.json()["order"])


# --- the list and opening a negotiation -------------------------------------------------------


async def test_supplier_sees_the_thread_with_its_unread_count(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    deal = await create_negotiation(client, message="Can you quote 2 containers?")
    supplier = await browser_for(deal.supplier)
    listing = await get_page(supplier, "/negotiations")
    assert listing.status_code == 200
    text = text_of(listing.text)
    assert deal.negotiation["buyer"]["name"] in text
    assert "1 unread" in text
    assert 'href="/negotiations"' in listing.text  # in the site navigation
    # Opening the room reads the thread: the count is gone on the next visit.
    assert "Can you quote 2 containers?" in text_of((await room(supplier, deal)).text)
    assert "1 unread" not in text_of((await get_page(supplier, "/negotiations")).text)


async def test_buyer_opens_a_negotiation_from_a_product_and_reuses_it(
    client: httpx.AsyncClient, browser_for: Browser, app: FastAPI
) -> None:
    supplier = await register(client, kind="supplier")
    product = await create_product(client, supplier)
    buyer = await browser_for(await register(client, kind="buyer", country="ES"))
    product_page = await get_page(buyer, f"/products/{product['id']}")
    assert f'href="/negotiations/new?product={product["id"]}"' in product_page.text
    form = await get_page(buyer, f"/negotiations/new?product={product['id']}")
    assert form.status_code == 200
    token = csrf_from(form.text)

    first = await post_form(buyer, "/negotiations/new", {
        "csrf_token": token, "product": str(product["id"]),
        "message": "Price for 20 t?", "quantity": "20000", "target_price": "6.2",
    })
    assert first.status_code == 303
    again = await post_form(buyer, "/negotiations/new", {
        "csrf_token": token, "product": str(product["id"]), "message": "Any news?",
        "quantity": "", "target_price": "",
    })
    assert again.headers["location"] == first.headers["location"]
    page = await get_page(buyer, first.headers["location"])
    text = text_of(page.text)
    assert "Price for 20 t?" in text
    assert "Any news?" in text
    assert await count_rows(app, Negotiation) == 1


async def test_the_first_message_form_refuses_bad_input_and_stores_nothing(
    client: httpx.AsyncClient, browser_for: Browser, app: FastAPI
) -> None:
    supplier = await register(client, kind="supplier")
    product = await create_product(client, supplier)
    buyer = await browser_for(await register(client, kind="buyer", country="ES"))
    form = await get_page(buyer, f"/negotiations/new?product={product['id']}")
    response = await post_form(buyer, "/negotiations/new", {
        "csrf_token": csrf_from(form.text), "product": str(product["id"]),
        "message": "", "quantity": "lots", "target_price": "",
    })
    assert response.status_code == 422
    assert 'id="e-message"' in response.text
    assert 'id="e-quantity"' in response.text
    assert await count_rows(app, Negotiation) == 0


async def test_a_supplier_cannot_open_a_negotiation(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    supplier = await register(client, kind="supplier")
    product = await create_product(client, supplier)
    other = await browser_for(await register(client, kind="supplier"))
    response = await get_page(other, f"/negotiations/new?product={product['id']}")
    assert response.status_code == 403


# --- who sees a room or an order --------------------------------------------------------------


async def test_a_third_organization_gets_404_on_the_room_panel_and_order(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    deal, order = await accepted_order(client)
    outsider = await browser_for(await register(client, kind="buyer", country="US"))
    for path in (f"/negotiations/{deal.negotiation_id}",
                 f"/negotiations/{deal.negotiation_id}/offer-panel",
                 f"/orders/{order['id']}", f"/orders/{order['id']}/proforma"):
        response = await get_page(outsider, path)
        assert response.status_code == 404, path
        assert deal.negotiation["subject_title"] not in response.text
    token = csrf_from((await get_page(outsider, "/negotiations")).text)
    posted = await post_form(outsider, f"/negotiations/{deal.negotiation_id}/messages",
                             {"csrf_token": token, "body": "hello"})
    assert posted.status_code == 404


async def test_anonymous_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    deal = await create_negotiation(client)
    response = await get_page(client, f"/negotiations/{deal.negotiation_id}")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


# --- messages -------------------------------------------------------------------------------


async def test_sending_without_javascript_posts_the_message(
    client: httpx.AsyncClient, browser_for: Browser, app: FastAPI
) -> None:
    deal = await create_negotiation(client)
    supplier = await browser_for(deal.supplier)
    token = csrf_from((await room(supplier, deal)).text)
    path = f"/negotiations/{deal.negotiation_id}/messages"
    sent = await post_form(supplier, path, {"csrf_token": token, "body": "Yes: USD 6.45 FOB."})
    assert sent.status_code == 303
    assert "Yes: USD 6.45 FOB." in text_of((await room(supplier, deal)).text)
    before = await count_rows(app, Message)
    empty = await post_form(supplier, path, {"csrf_token": token, "body": "   "})
    assert empty.status_code == 422
    assert "Write a message first." in empty.text
    assert await count_rows(app, Message) == before


async def test_a_quick_reply_reads_in_each_viewers_language(
    client: httpx.AsyncClient, browser_for: Browser, app: FastAPI
) -> None:
    deal = await create_negotiation(client)
    buyer = await browser_for(deal.buyer)
    page = (await room(buyer, deal)).text
    assert 'name="quick_reply" value="better_price_two_containers"' in page
    # The English buyer presses the button (a plain form POST: no JavaScript needed).
    path = f"/negotiations/{deal.negotiation_id}/messages"
    sent = await post_form(buyer, path, {"csrf_token": csrf_from(page),
                                         "quick_reply": "better_price_two_containers"})
    assert sent.status_code == 303
    thread = text_of((await room(buyer, deal)).text)
    assert thread.count("Can you do a better price for 2 containers?") == 2  # button + message

    supplier = await browser_for(deal.supplier)
    await get_page(supplier, "/lang/zh")
    zh_page = (await room(supplier, deal)).text
    start = zh_page.index('id="deal-messages"')
    messages = zh_page[start:zh_page.index("</ol>", start)]
    assert "如果订两个货柜，价格能再优惠一些吗？" in text_of(messages)
    assert "better price" not in messages
    # The live script gets the same texts in the viewer's language, by key.
    embedded = re.search(r'id="deal-quick-replies">(.*?)</script>', zh_page, flags=re.S)
    assert embedded is not None
    assert json.loads(embedded.group(1))["shelf_life"] == "保质期是多久？"

    before = await count_rows(app, Message)
    unknown = await post_form(supplier, path, {"csrf_token": csrf_from(zh_page),
                                               "quick_reply": "nope"})
    assert unknown.status_code == 422
    assert "没有这个快捷回复。" in text_of(unknown.text)
    assert 'id="deal-messages"' in unknown.text  # the room again, with the error at the composer
    assert await count_rows(app, Message) == before


# --- offers ---------------------------------------------------------------------------------


async def test_the_buttons_shown_depend_on_the_party(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    deal = await create_negotiation(client)
    offer = await propose_offer(client, deal)
    base = f"/negotiations/{deal.negotiation_id}/offers/{offer['id']}"
    buyer_room = (await room(await browser_for(deal.buyer), deal)).text
    assert f'action="{base}/accept"' in buyer_room
    assert f'action="{base}/reject"' in buyer_room
    assert f'action="{base}/counter"' in buyer_room
    assert f'action="{base}/withdraw"' not in buyer_room
    supplier_room = (await room(await browser_for(deal.supplier), deal)).text
    assert f'action="{base}/withdraw"' in supplier_room
    assert f'{base}/accept' not in supplier_room
    assert f"{base}/counter" not in supplier_room


async def test_accepting_ones_own_offer_is_refused_with_the_translated_message(
    client: httpx.AsyncClient, browser_for: Browser, app: FastAPI
) -> None:
    deal = await create_negotiation(client)
    offer = await propose_offer(client, deal)
    supplier = await browser_for(deal.supplier)
    token = csrf_from((await room(supplier, deal)).text)
    response = await post_form(
        supplier, f"/negotiations/{deal.negotiation_id}/offers/{offer['id']}/accept",
        {"csrf_token": token},
    )
    assert response.status_code == 403
    assert "This is your side's offer" in text_of(response.text)
    assert await count_rows(app, Order) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lines-0-quantity": "0"}, "lines-0-quantity"),
        ({"lines-0-quantity": "lots"}, "lines-0-quantity"),
        ({"lines-0-unit_price": "6.455"}, "lines-0-unit_price"),
        ({"deposit_percent": "150"}, "deposit_percent"),
        ({"currency": "XYZ"}, "currency"),
        ({"valid_until": "2020-01-01T10:00"}, "valid_until"),
        ({"lines-0-product_id": "", "lines-0-description": ""}, "lines-0-description"),
        # A skipped row: the error is shown on the row typed in, not on the line's position.
        ({"lines-0-product_id": "", "lines-0-quantity": "", "lines-0-unit_price": "",
          "lines-1-description": "Shrimp 41/50", "lines-1-quantity": "0", "lines-1-unit": "kg",
          "lines-1-unit_price": "5.90"}, "lines-1-quantity"),
    ],
)
async def test_the_offer_form_refuses_bad_terms_next_to_the_field(
    client: httpx.AsyncClient, browser_for: Browser, app: FastAPI,
    changes: dict[str, str], field: str,
) -> None:
    deal = await create_negotiation(client)
    supplier = await browser_for(deal.supplier)
    token = csrf_from((await room(supplier, deal)).text)
    response = await post_form(
        supplier, f"/negotiations/{deal.negotiation_id}/offers",
        {"csrf_token": token, **offer_fields(deal.product["id"], **changes)},
    )
    assert response.status_code == 422, response.text
    assert f'id="e-{field}"' in response.text
    assert await count_rows(app, Offer) == 0


async def test_a_counter_shows_the_diff_and_accepting_it_opens_the_order(
    client: httpx.AsyncClient, browser_for: Browser, app: FastAPI
) -> None:
    deal = await create_negotiation(client)
    supplier = await browser_for(deal.supplier)
    token = csrf_from((await room(supplier, deal)).text)
    proposed = await post_form(supplier, f"/negotiations/{deal.negotiation_id}/offers",
                               {"csrf_token": token, **offer_fields(deal.product["id"])})
    assert proposed.status_code == 303, proposed.text

    buyer = await browser_for(deal.buyer)
    buyer_room = (await room(buyer, deal)).text
    offer_id = int(re.findall(r'id="offer-(\d+)"', buyer_room)[0])
    countered = await post_form(
        buyer, f"/negotiations/{deal.negotiation_id}/offers/{offer_id}/counter",
        composer_form(buyer_room, **{"lines-0-unit_price": "6.20"}),
    )
    assert countered.status_code == 303, countered.text

    supplier_room = (await room(supplier, deal)).text
    diff = supplier_room[supplier_room.index("deal-diff-table"):]
    diff = text_of(diff[:diff.index("</table>")])
    # English: the viewer's locale formats the offer's currency ($ for USD in en).
    assert "Line 1 · Unit price $6.45 $6.20" in diff
    assert "Total $129,000.00 $124,000.00" in diff
    assert "Valid until" not in diff  # a counter starts from the terms it answers
    counter_id = int(re.findall(r'id="offer-(\d+)"', supplier_room)[0])
    accepted = await post_form(
        supplier, f"/negotiations/{deal.negotiation_id}/offers/{counter_id}/accept",
        {"csrf_token": csrf_from(supplier_room)},
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"].startswith("/orders/")
    assert await count_rows(app, Order) == 1
    order_page = await get_page(buyer, accepted.headers["location"])
    assert order_page.status_code == 200
    assert "$124,000.00" in text_of(order_page.text)


async def test_a_chinese_ui_supplier_reads_the_offer_in_chinese(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    deal = await create_negotiation(client)
    await propose_offer(client, deal, currency="CNY", lines=[
        {"product_id": deal.product["id"], "quantity": "20000", "unit": "kg",
         "unit_price": "46.50"},
    ])
    supplier = await browser_for(deal.supplier)
    await get_page(supplier, "/lang/zh")
    text = text_of((await room(supplier, deal)).text)
    for word in ("数量", "单价", "合计"):
        assert word in text
    assert "¥930,000.00" in text
    # A dollar offer in the same Chinese UI says which dollar.
    usd = await create_negotiation(client, supplier=deal.supplier)
    await propose_offer(client, usd)
    assert "US$129,000.00" in text_of((await room(supplier, usd)).text)
    buyer_text = text_of((await room(await browser_for(deal.buyer), deal)).text)
    assert "CN¥930,000.00" in buyer_text
    assert "Quantity" in buyer_text


# --- orders ---------------------------------------------------------------------------------


async def test_order_steps_are_offered_to_their_party_only(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    deal, order = await accepted_order(client)
    supplier_page = (await get_page(await browser_for(deal.supplier), f"/orders/{order['id']}"))
    assert 'name="to" value="deposit_paid"' in supplier_page.text
    assert 'name="payment_reference"' in supplier_page.text
    buyer_page = (await get_page(await browser_for(deal.buyer), f"/orders/{order['id']}")).text
    assert 'value="deposit_paid"' not in buyer_page
    assert 'name="to" value="cancelled"' in buyer_page  # either party may cancel early
    listing = text_of((await get_page(await browser_for(deal.buyer), "/orders")).text)
    assert f"Order #{order['id']}" in listing


async def test_a_step_with_bad_fields_gets_422_and_changes_nothing(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    deal, order = await accepted_order(client)
    supplier = await browser_for(deal.supplier)
    page = await get_page(supplier, f"/orders/{order['id']}")
    token = csrf_from(page.text)
    path = f"/orders/{order['id']}/steps"
    paid = await post_form(supplier, path, {"csrf_token": token, "to": "deposit_paid",
                                            "version": str(order["version"]),
                                            "payment_reference": "TT-1", "paid_on": ""})
    assert paid.status_code == 303
    started = await post_form(supplier, path, {"csrf_token": token, "to": "in_production",
                                               "version": str(order["version"] + 1)})
    assert started.status_code == 303
    shipped = await post_form(supplier, path, {
        "csrf_token": token, "to": "shipped", "version": str(order["version"] + 2),
        "container_number": "CSQU3054384", "bl_number": "MEDU1", "etd": "2031-07-01",
        "eta": "2031-08-05",
    })
    assert shipped.status_code == 422
    assert "ISO 6346" in text_of(shipped.text)
    after = await client.get(f"/api/v1/orders/{order['id']}", headers=deal.supplier.headers)
    assert after.json()["status"] == "in_production"
    timeline = text_of((await get_page(supplier, f"/orders/{order['id']}")).text)
    assert "Deposit paid" in timeline
    assert "In production" in timeline


async def test_the_proforma_invoice_names_both_parties_and_the_totals(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    deal, order = await accepted_order(client)
    page = await get_page(await browser_for(deal.buyer), f"/orders/{order['id']}/proforma")
    assert page.status_code == 200
    text = text_of(page.text)
    assert deal.negotiation["buyer"]["name"] in text
    assert deal.negotiation["supplier"]["name"] in text
    assert f"PI-{order['id']}" in text
    assert "$158,500.00" in text  # 20,000 kg × 6.45 + 5,000 kg × 5.90
    assert "FOB" in text
