"""A buyer and a Chinese-UI supplier negotiate in two real Chromium contexts, live, to one order.

The buyer asks for a quote from a product page and writes; the supplier sees it without a
reload and proposes terms in CNY; the buyer counters; the supplier sees what changed and
counters back; the buyer sees that diff and accepts; both open the same order. Each side
reads the offer in its own language and number format. Waits are Playwright's: every step
waits for what the person would see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.helpers import api_post, browser_contexts, register
from tests.e2e.helpers import sign_in as sign_in  # also imported from here by other tests
from tests.factories import PASSWORD, product_body

pytestmark = pytest.mark.browser


def listed_product(server_url: str, supplier_email: str) -> int:
    token = api_post(server_url, "/auth/login",
                     {"email": supplier_email, "password": PASSWORD})["access_token"]
    return int(api_post(server_url, "/products", product_body(), token)["id"])


def buyer_and_chinese_supplier(server_url: str) -> tuple[str, str, int]:
    """Ana, a buyer in Madrid, and 林伟, a supplier in Fuqing whose UI is in Chinese, with
    one listed product: (buyer email, supplier email, product id)."""
    buyer_email = register(server_url, "Ana García", kind="buyer", country="ES",
                           time_zone="Europe/Madrid")
    supplier_email = register(server_url, "林伟", kind="supplier", country="CN",
                              time_zone="Asia/Shanghai", locale="zh")
    return buyer_email, supplier_email, listed_product(server_url, supplier_email)


@pytest.fixture
def contexts(browser: Browser, server_url: str) -> Iterator[tuple[BrowserContext, ...]]:
    with browser_contexts(
        browser, server_url,
        ("en-US", "Europe/Madrid"), ("zh-CN", "Asia/Shanghai"),
    ) as made:
        yield made


def live(page: Page) -> None:
    expect(page.locator("#deal-state")).to_have_attribute("data-state", "open")


def test_buyer_and_chinese_supplier_negotiate_live_to_one_order(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str
) -> None:
    buyer_email, supplier_email, product_id = buyer_and_chinese_supplier(server_url)

    # The buyer opens the negotiation from the product page.
    ana = sign_in(contexts[0], buyer_email, f"/products/{product_id}")
    ana.get_by_role("link", name="Ask for a quote").click()
    ana.get_by_label("Your message").fill("Can you quote 20 t CFR Valencia?")
    ana.get_by_role("button", name="Send and open the negotiation").click()
    expect(ana.locator("#deal-messages")).to_contain_text("Can you quote 20 t CFR Valencia?")
    room_url = ana.url
    live(ana)

    # The supplier (Chinese UI) finds it in the list and opens the room.
    lin = sign_in(contexts[1], supplier_email, "/negotiations")
    expect(lin.get_by_role("heading", level=1)).to_have_text("洽谈")
    lin.get_by_role("link", name="Ana García Trading").click()
    live(lin)

    # The other side sees who is typing, then the message, without a reload.
    ana.get_by_label("Your message").press_sequentially("We need")
    expect(lin.locator("#deal-typing")).to_contain_text("Ana García")
    ana.get_by_label("Your message").fill("We need them by June.")
    ana.locator("#deal-send").click()
    expect(lin.locator("#deal-messages")).to_contain_text("We need them by June.")
    # The supplier's page has read it: the buyer sees the read mark on their message.
    expect(ana.locator(".deal-msg-mine").last.locator(".deal-read")).to_be_visible()

    # The supplier proposes terms in CNY through the composer.
    composer = lin.locator("#composer")
    composer.locator("[name=lines-0-product_id]").select_option(str(product_id))
    composer.locator("[name=lines-0-quantity]").fill("20000")
    composer.locator("[name=lines-0-unit_price]").fill("46.50")
    composer.locator("[name=currency]").select_option("CNY")
    composer.locator("[name=named_place]").fill("Fuzhou")
    composer.locator("button[type=submit]").click()
    card = lin.locator(".deal-offer-proposed")
    for word in ("数量", "单价", "合计"):
        expect(card).to_contain_text(word)
    expect(card.locator(".deal-total")).to_have_text("¥930,000.00")

    # The buyer's offer panel updates live, in English with the yuan marked as such.
    offer = ana.locator(".deal-offer-proposed")
    expect(offer.locator(".deal-total")).to_have_text("CN¥930,000.00")
    expect(offer).to_contain_text("Quantity")
    expect(ana.locator("#deal-messages")).to_contain_text("proposed offer")

    # The buyer counters with a lower price.
    ana.locator("#composer [name=lines-0-unit_price]").fill("44.00")
    ana.get_by_role("button", name="Send counter-offer").click()

    # The supplier sees what changed, in Chinese, and counters back.
    diff = lin.locator(".deal-offer-proposed .deal-diff-table")
    expect(diff).to_contain_text("单价")
    expect(diff.locator("del").first).to_have_text("¥930,000.00")
    expect(diff).to_contain_text("¥44.00")
    lin.locator("#composer [name=lines-0-unit_price]").fill("45.20")
    lin.locator("#composer button[type=submit]").click()

    # The buyer sees the diff of that counter and accepts.
    ana_diff = ana.locator(".deal-offer-proposed .deal-diff-table")
    expect(ana_diff).to_contain_text("Unit price")
    expect(ana_diff.locator("ins")).to_contain_text(["CN¥904,000.00", "CN¥45.20"])
    ana.get_by_role("button", name="Accept", exact=True).click()
    expect(ana).to_have_url(re.compile(r"/orders/\d+$"))
    order_url = ana.url
    expect(ana.locator(".deal-total")).to_have_text("CN¥904,000.00")
    expect(ana.locator("#order-status")).to_have_text("Confirmed")

    # The supplier's room shows the order live; it is the same order. Every message of the
    # thread is there once: rendered or received live, none twice.
    expect(lin.locator("#deal-messages > li")).to_have_count(6)
    lin.locator("#offer-panel a[href^='/orders/']").first.click()
    expect(lin).to_have_url(order_url)
    expect(lin.locator(".deal-total")).to_have_text("¥904,000.00")
    expect(lin.locator("#order-status")).to_have_text("已确认")

    # The supplier confirms the deposit; the buyer's open order page follows without a reload.
    lin.locator("[name=payment_reference]").fill("TT-20310601")
    lin.get_by_role("button", name="确认定金已到账").click()
    expect(lin.locator("#order-status")).to_have_text("定金已付")
    expect(ana.locator("#order-status")).to_have_text("Deposit paid")
    expect(ana.locator(".deal-timeline")).to_contain_text("Deposit paid")

    ana.goto(room_url)
    expect(ana.locator("#deal-messages > li")).to_have_count(6)
