"""A live show in two real Chromium contexts: the host (the supplier) and a viewer (a buyer)
in the room. The viewer sees the pinned product change when the host pins another one,
chats (the host reads it), then asks for a quote and lands in the negotiation, pre-filled
with the product and the quantity typed. Waits are Playwright's: each step waits for what a
person would see."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.helpers import browser_contexts, sign_in
from tests.factories import create_product
from tests.livestreams.helpers import LiveShow, live_show_setup, pin

pytestmark = pytest.mark.browser

SQUID = "Frozen squid rings 1.5-2 cm, bulk pack"


async def _arrange(server_url: str) -> tuple[LiveShow, dict[str, object]]:
    """A live show with its first product pinned, and a second product to pin."""
    async with httpx.AsyncClient(base_url=server_url, timeout=30) as client:
        live = await live_show_setup(client)
        await pin(client, live.host, live.show_id, live.product_id)
        squid = await create_product(
            client, live.host, name=SQUID, name_zh="冷冻鱿鱼圈", moq="600",
            price_tiers=[{"min_quantity": "600", "unit_price": "3.10"}])
    return live, squid


def _in_the_room(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str
) -> tuple[LiveShow, dict[str, object], Page, Page]:
    """The show arranged, then the host and the viewer signed in and joined to its room."""
    # Playwright's sync API runs an event loop in this thread: arrange in another one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        live, squid = pool.submit(asyncio.run, _arrange(server_url)).result()
    room = f"/livestreams/{live.show_id}"
    host = sign_in(contexts[0], live.host.email, room)
    viewer = sign_in(contexts[1], live.buyer.email, room)
    for page in (host, viewer):
        expect(page.locator("#ls-chat-form")).to_be_visible()  # joined the room's topic
    return live, squid, host, viewer


@pytest.fixture
def contexts(browser: Browser, server_url: str) -> Iterator[tuple[BrowserContext, ...]]:
    with browser_contexts(browser, server_url, ("en-US", "Asia/Shanghai"),
                          ("en-US", "Europe/Madrid")) as made:
        yield made


def test_viewer_follows_the_pins_chats_and_asks_for_a_quote(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str
) -> None:
    live, squid, host, viewer = _in_the_room(contexts, server_url)
    card = viewer.locator("#ls-card-name")
    expect(card).to_have_text(str(live.product["name"]))
    expect(viewer.locator("video#ls-video")).to_have_attribute(
        "src", str(live.show["playback_url"]))

    host.get_by_label("Product to show").select_option(str(squid["id"]))
    host.get_by_role("button", name="Pin", exact=True).click()
    expect(card).to_have_text(SQUID)
    expect(viewer.locator("#ls-card-moq")).to_have_text("600 kg")
    expect(viewer.get_by_label(re.compile(r"^Quantity"))).to_have_value("600")

    viewer.get_by_label("Your message").fill("Do you pack the rings in 1 kg bags?")
    viewer.get_by_role("button", name="Send", exact=True).click()
    expect(host.locator("#ls-messages")).to_contain_text("Do you pack the rings in 1 kg bags?")
    host.get_by_label("Your message").fill("Yes, 10 × 1 kg per carton.")
    host.get_by_role("button", name="Send", exact=True).click()
    host_line = viewer.locator("#ls-messages li", has_text="Yes, 10 × 1 kg per carton.")
    expect(host_line.locator(".ls-badge")).to_have_text("Host")

    viewer.get_by_label(re.compile(r"^Quantity")).fill("2500")
    viewer.get_by_role("button", name="Ask for a quote").click()
    viewer.wait_for_url(re.compile(r"/negotiations/\d+$"))
    expect(viewer.locator("h1")).to_contain_text(SQUID)
    expect(viewer.locator("main")).to_contain_text("2500 kg of " + SQUID)


def test_likes_count_live_and_a_flash_offer_is_claimed_into_a_negotiation(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str
) -> None:
    live, _squid, host, viewer = _in_the_room(contexts, server_url)
    expect(host.locator("#ls-viewers")).to_have_text("2")  # both of us, counted by the room

    like = viewer.get_by_role("button", name="Like")
    for _ in range(3):
        like.click()
    expect(viewer.locator("#ls-likes")).to_have_text("3")  # at once, before any round trip
    expect(host.locator("#ls-likes")).to_have_text("3")  # sent in a batch, counted, broadcast

    host.get_by_label("Product", exact=True).select_option(str(live.product_id))
    host.get_by_label("Unit price").fill("6.20")
    host.get_by_label("Quantity available").fill("3000")
    host.get_by_role("button", name="Publish the offer").click()
    offer = viewer.locator("#ls-offers li").first
    expect(offer).to_contain_text(str(live.product["name"]))
    expect(offer).to_contain_text("3,000 kg of 3,000 left")
    offer.get_by_label("Quantity to claim").fill("1000")
    offer.get_by_role("button", name="Claim").click()
    viewer.wait_for_url(re.compile(r"/negotiations/\d+$"))
    expect(viewer.locator("main")).to_contain_text("6.20")
    expect(host.locator("#ls-offers li").first).to_contain_text("2,000 kg of 3,000 left")


def test_moderators_delete_and_mute_and_ending_the_show_turns_the_room_into_its_replay(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str
) -> None:
    live, _squid, host, viewer = _in_the_room(contexts, server_url)

    viewer.get_by_label("Your message").fill("Cheapest shrimp in town? Visit my site!")
    viewer.get_by_role("button", name="Send", exact=True).click()
    spam = host.locator("#ls-messages li", has_text="Visit my site!")
    spam.get_by_role("button", name=re.compile(r"^Delete")).click()
    expect(viewer.locator("#ls-messages")).not_to_contain_text("Visit my site!")

    viewer.get_by_label("Your message").fill("Sorry. What is the glaze?")
    viewer.get_by_role("button", name="Send", exact=True).click()
    line = host.locator("#ls-messages li", has_text="What is the glaze?")
    line.get_by_role("button", name=re.compile(r"^Mute")).click()
    expect(host.locator("#ls-host-status")).to_contain_text("is muted until")
    viewer.get_by_label("Your message").fill("Hello?")
    viewer.get_by_role("button", name="Send", exact=True).click()
    expect(viewer.locator("#ls-chat-error")).to_contain_text("muted you in this chat")

    host.get_by_role("button", name="End the show").click()
    for page in (host, viewer):
        expect(page.locator("#ls-status")).to_have_text("Show ended")
    expect(viewer.get_by_role("heading", name="Chat replay")).to_be_visible()
    expect(viewer.locator("#ls-messages")).to_contain_text("What is the glaze?")
    expect(viewer.locator("#ls-messages")).not_to_contain_text("Visit my site!")
