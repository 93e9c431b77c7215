"""Order pages that follow the order, and a negotiation room that pages back through history,
in real Chromium contexts (a buyer and a supplier, each with their own cookies).

The deal is made through the public API (as an integrator would): a negotiation with more
messages than the room shows at once, an offer, its acceptance. Waits are Playwright's:
every step waits for what the person would see, never for a fixed time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.e2e.helpers import api_post, browser_contexts, register, sign_in
from tests.factories import PASSWORD, offer_body, product_body

pytestmark = pytest.mark.browser

ROOM_SHOWS = 200  # app/web/negotiation_pages.py MESSAGES_SHOWN
EXTRA_MESSAGES = 45  # the thread is longer than what the room shows at first


def token_of(server_url: str, email: str) -> str:
    return str(api_post(server_url, "/auth/login",
                        {"email": email, "password": PASSWORD})["access_token"])


def make_deal(
    server_url: str, buyer: str, supplier: str, *, product: str, messages: int = 1,
    proposer: str = "supplier",
) -> dict[str, Any]:
    """A negotiation about a new product with `messages` chat lines, and an offer of
    `proposer`'s that the other side accepted: the negotiation's and the order's ids."""
    tokens = {"buyer": token_of(server_url, buyer), "supplier": token_of(server_url, supplier)}
    listed = api_post(server_url, "/products", product_body(name=product), tokens["supplier"])
    negotiation = api_post(server_url, "/negotiations", {
        "subject_type": "product", "subject_id": listed["id"], "message": "Chat line 1",
    }, tokens["buyer"])
    path = f"/negotiations/{negotiation['id']}/messages"
    for n in range(2, messages + 1):
        api_post(server_url, path, {"body": f"Chat line {n}"},
                 tokens["supplier" if n % 2 else "buyer"])
    offer = api_post(server_url, f"/negotiations/{negotiation['id']}/offers",
                     offer_body(listed["id"]), tokens[proposer])
    acceptor = "buyer" if proposer == "supplier" else "supplier"
    accepted = api_post(server_url, f"/offers/{offer['id']}/accept", {}, tokens[acceptor])
    return {"negotiation_id": negotiation["id"], "order_id": accepted["order"]["id"]}


@pytest.fixture
def contexts(browser: Browser, server_url: str) -> Iterator[tuple[BrowserContext, ...]]:
    with browser_contexts(
        browser, server_url, ("en-US", "Europe/Madrid"), ("en-GB", "Asia/Shanghai"),
    ) as made:
        yield made


@pytest.fixture
def traders(server_url: str) -> tuple[str, str]:
    """A Spanish buyer's and a Fuqing supplier's accounts (their emails)."""
    return (
        register(server_url, "Marta Ruiz", kind="buyer", country="ES", time_zone="Europe/Madrid"),
        register(server_url, "Chen Hao", kind="supplier", country="CN", time_zone="Asia/Shanghai"),
    )


def test_the_buyers_order_page_and_list_follow_the_suppliers_steps(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str, traders: tuple[str, str]
) -> None:
    buyer, supplier = traders
    deal = make_deal(server_url, buyer, supplier, product="Frozen whiteleg shrimp")
    order_url = f"/orders/{deal['order_id']}"

    marta = sign_in(contexts[0], buyer, order_url)
    listing = contexts[0].new_page()
    listing.goto("/orders")
    row = listing.locator(f"tr[data-order-id='{deal['order_id']}']")
    expect(row).to_contain_text("Confirmed")
    # The buyer starts writing why she might cancel; she has not sent it.
    marta.locator("form[data-step=cancelled] [name=reason]").fill("Waiting for our bank")

    chen = sign_in(contexts[1], supplier, order_url)
    chen.locator("[name=payment_reference]").fill("TT-20310601")
    chen.get_by_role("button", name="Confirm the deposit arrived", exact=True).click()
    expect(chen.locator("#order-status")).to_have_text("Deposit paid")

    # Without a reload: the buyer's status, timeline and list row follow; what she typed stays,
    # since cancelling is still a step she may take.
    expect(marta.locator("#order-status")).to_have_text("Deposit paid")
    expect(marta.locator("#order-timeline")).to_contain_text("Deposit paid")
    expect(marta.locator("#order-terms")).to_contain_text("TT-20310601")
    expect(marta.locator("form[data-step=cancelled] [name=reason]")).to_have_value(
        "Waiting for our bank")
    expect(marta.locator("#order-live")).to_be_hidden()  # no "reload" banner needed
    expect(row).to_contain_text("Deposit paid")

    # Production starts: cancelling is no longer possible, and the page says so instead of
    # letting her send the form into a refusal.
    chen.get_by_role("button", name="Start production", exact=True).click()
    expect(chen.locator("#order-status")).to_have_text("In production")
    expect(marta.locator("#order-status")).to_have_text("In production")
    expect(marta.locator("form[data-step=cancelled]")).to_have_count(0)
    expect(marta.locator("#order-steps [role=alert]")).to_contain_text("Cancel the order")
    expect(row).to_contain_text("In production")

    # A new order of hers (her offer, accepted by the supplier) appears in the open list.
    second = make_deal(server_url, buyer, supplier, product="Frozen squid rings",
                       proposer="buyer")
    expect(listing.locator(f"tr[data-order-id='{second['order_id']}']")).to_contain_text(
        "Confirmed")


def test_load_older_messages_pages_back_to_the_first_and_keeps_the_place(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str, traders: tuple[str, str]
) -> None:
    buyer, supplier = traders
    deal = make_deal(server_url, buyer, supplier, product="Canned tuna in oil",
                     messages=ROOM_SHOWS + EXTRA_MESSAGES)
    marta = sign_in(contexts[0], buyer, f"/negotiations/{deal['negotiation_id']}")
    messages = marta.locator("#deal-messages > li")
    expect(messages).to_have_count(ROOM_SHOWS)
    expect(marta.locator("#deal-messages > li[data-seq='1']")).to_have_count(0)
    # Seqs: the chat lines, then the offer and its acceptance; the room shows the last 200.
    first_seq = EXTRA_MESSAGES + 2 + 1
    first_shown = messages.first
    expect(first_shown).to_have_attribute("data-seq", str(first_seq))
    expect(first_shown).to_contain_text(f"Chat line {first_seq}")

    # Scrolled to the top of what is shown, she asks for more; the line she was reading stays
    # where it was on screen while older lines appear above it.
    marta.locator("#deal-messages").evaluate("list => { list.scrollTop = 0; }")
    top_before = first_shown.bounding_box()
    assert top_before is not None
    marta.get_by_role("button", name="Load older messages", exact=True).click()
    expect(messages).to_have_count(ROOM_SHOWS + EXTRA_MESSAGES + 2)  # + offer, acceptance
    expect(messages.first).to_contain_text("Chat line 1")
    reading = marta.locator(f"#deal-messages > li[data-seq='{first_seq}']")
    top_after = reading.bounding_box()
    assert top_after is not None
    assert abs(top_after["y"] - top_before["y"]) < 2
    # Every message once, in order; nothing is older, and the page says so.
    seqs = [int(s) for s in messages.evaluate_all("items => items.map(i => i.dataset.seq)")]
    assert seqs == list(range(1, len(seqs) + 1))
    expect(marta.get_by_role("button", name="Load older messages", exact=True)).to_have_count(0)
    expect(marta.locator("#deal-older")).to_have_text("This is where the conversation began.")
