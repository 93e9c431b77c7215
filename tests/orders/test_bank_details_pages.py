"""Bank details in the browser: the supplier's settings page, and the order and proforma
pages that show them to the buyer with the warning, in English and in Chinese."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import BankDetails
from tests.factories import add_colleague, count_rows, register
from tests.orders.helpers import (
    CHINA_DETAILS,
    IBAN_DETAILS,
    OTHER_DETAILS,
    account_changed_between_orders,
    place_order,
    set_bank_details,
)
from tests.web.helpers import Browser, csrf_from, get_page, new_browser, post_form, text_of

PAGE = "/settings/bank-details"


async def _submit(browser: httpx.AsyncClient, **fields: str) -> httpx.Response:
    page = await get_page(browser, PAGE)
    return await post_form(browser, PAGE, {"csrf_token": csrf_from(page.text), **fields})


async def test_an_owner_adds_and_changes_them_and_sees_the_history(
    client: httpx.AsyncClient, app: FastAPI, browser_for: Browser
) -> None:
    owner = await register(client, kind="supplier")
    browser = await browser_for(owner)
    page = await get_page(browser, PAGE)
    assert page.status_code == 200
    assert 'href="/settings/bank-details"' in page.text  # in the navigation
    assert "No bank details yet." in text_of(page.text)

    refused = await _submit(browser, **{**IBAN_DETAILS, "account_number": "DE00 3704 0044 "
                                        "0532 0130 00", "swift_bic": "DEUT"})
    assert refused.status_code == 422
    text = text_of(refused.text)
    assert "This IBAN's check digits do not match" in text
    assert "A SWIFT/BIC code has 8 or 11 letters and digits" in text
    assert 'value="DE00 3704 0044 0532 0130 00"' in refused.text  # what was typed stays
    assert await count_rows(app, BankDetails) == 0

    missing = await _submit(browser, **{**IBAN_DETAILS, "bank_name": ""})
    assert missing.status_code == 422
    assert "This field is required." in text_of(missing.text)

    saved = await _submit(browser, **IBAN_DETAILS)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{PAGE}?saved=1"
    again = await _submit(browser, **IBAN_DETAILS)
    assert again.headers["location"] == f"{PAGE}?saved=same"
    await _submit(browser, **OTHER_DETAILS)
    text = text_of((await get_page(browser, PAGE)).text)
    assert "GB82 WEST 1234 5698 7654 32" in text
    assert "Version 2, since" in text
    assert "DE89 3704 0044 0532 0130 00" in text  # in the history
    assert await count_rows(app, BankDetails) == 2


async def test_a_member_reads_them_but_cannot_change_them(
    client: httpx.AsyncClient, db: AsyncSession, app: FastAPI, browser_for: Browser
) -> None:
    owner = await register(client, kind="supplier")
    await set_bank_details(client, owner, **CHINA_DETAILS)
    browser = await browser_for(await add_colleague(client, db, owner))
    page = await get_page(browser, PAGE)
    text = text_of(page.text)
    assert "4058 6723 1234" not in text  # a domestic number is shown as stored
    assert "405867231234" in text
    assert "Only owners can change the bank details." in text
    assert "History" not in text
    response = await post_form(browser, PAGE, {"csrf_token": csrf_from(page.text),
                                               **OTHER_DETAILS})
    assert response.status_code == 403
    assert await count_rows(app, BankDetails) == 1


async def test_a_buyer_has_no_bank_details_page_and_a_visitor_must_sign_in(
    client: httpx.AsyncClient, app: FastAPI, browser_for: Browser
) -> None:
    browser = await browser_for(await register(client, kind="buyer"))
    page = await get_page(browser, PAGE)
    assert page.status_code == 403
    assert "Only supplier organizations give bank details" in text_of(page.text)
    assert 'href="/settings/bank-details"' not in (await get_page(browser, "/")).text
    async with new_browser(app) as visitor:
        response = await get_page(visitor, PAGE)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


async def test_the_buyer_is_warned_on_the_order_and_the_proforma(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    deal = await account_changed_between_orders(client)
    first, second = deal.first, deal.second
    browser = await browser_for(deal.buyer)

    warning = f"The supplier's bank details changed since your order #{first['id']} on"
    for path in (f"/orders/{second['id']}", f"/orders/{second['id']}/proforma"):
        page = await get_page(browser, path)
        assert page.status_code == 200
        text = text_of(page.text)
        assert warning in text
        assert "Confirm them by phone with a known contact before paying." in text
        assert "GB82 WEST 1234 5698 7654 32" in text
        assert 'role="alert"' in page.text
    proforma = await get_page(browser, f"/orders/{second['id']}/proforma")
    assert f'href="/orders/{second["id"]}/proforma.pdf"' in proforma.text
    assert "Download PDF" in proforma.text
    # The first order: no warning of its own about the previous order, but the account
    # changed after it was made.
    text = text_of((await get_page(browser, f"/orders/{first['id']}/proforma")).text)
    assert warning.split("#")[0] not in text
    assert "after this order was made" in text
    assert "DE89 3704 0044 0532 0130 00" in text

    await browser.get("/lang/zh")
    text = text_of((await get_page(browser, f"/orders/{second['id']}/proforma")).text)
    assert f"的订单 #{first['id']} 以来已更改" in text
    assert "付款前请致电您认识的联系人核实" in text
    assert "卖方银行信息" in text
    assert "GB82 WEST 1234 5698 7654 32" in text


async def test_without_bank_details_the_proforma_says_to_ask_the_supplier(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    buyer = await register(client, kind="buyer", country="ES")
    order = await place_order(client, buyer=buyer)
    browser = await browser_for(buyer)
    text = text_of((await get_page(browser, f"/orders/{order['id']}/proforma")).text)
    assert "The supplier has not given bank details on TradeHall. Ask the supplier" in text
    assert "IBAN" not in text
