"""A foreign buyer walks the demo expo in a real Chromium: search, facets, a product, a booth.

The demo seed (``tradehall demo``'s data) is written into the e2e server's database first.
Playwright's auto-waiting only: every step waits for what the person would see.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from app.config import Settings
from app.demo.catalog_data import EXPO_TITLE
from app.demo.data import BUYERS
from app.demo.seed import DEMO_PASSWORD, seed_demo
from tests.databases import in_thread

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_expo(e2e_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The demo data in the server's database (idempotent: other modules may seed it too)."""
    settings = Settings(environment="dev", database_url=e2e_database_url,
                        data_dir=tmp_path_factory.mktemp("demo-seed"))
    # Off the thread where sync Playwright runs its own event loop.
    in_thread(lambda: asyncio.run(seed_demo(settings)))


def _context_page(browser: Browser, server_url: str, width: int, height: int) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server_url, locale="es-ES", timezone_id="Europe/Madrid",
        viewport={"width": width, "height": height},
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, server_url: str, demo_expo: None) -> Iterator[Page]:
    yield from _context_page(browser, server_url, 1280, 900)


@pytest.fixture
def phone(browser: Browser, server_url: str, demo_expo: None) -> Iterator[Page]:
    yield from _context_page(browser, server_url, 390, 844)


def test_a_buyer_filters_the_expo_by_certification_and_incoterm_then_opens_a_product_and_its_booth(
    page: Page,
) -> None:
    buyer = BUYERS[0]  # Congelados Levante Mar, Valencia
    page.goto("/login")
    page.get_by_label("Email").fill(buyer.owner.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome back")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    page.get_by_role("link", name=EXPO_TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EXPO_TITLE)
    expect(page.get_by_text("Live now")).to_be_visible()
    # Times in the buyer's own zone.
    expect(page.locator(".ex-dates").first).to_contain_text("(Europe/Madrid)")
    halls = page.get_by_role("navigation", name="Halls")
    expect(halls.get_by_role("link", name=re.compile("^Frozen shrimp"))).to_be_visible()

    page.get_by_label("Search the products of this event").fill("shrimp")
    page.get_by_role("search", name="Product search").get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search products")
    count = page.locator("#results-heading")
    expect(count).to_contain_text(re.compile(r"\d+ products"))
    everything = count.inner_text()

    # Ticking a facet applies it at once (frontend/static/js/facets.js): the page reloads.
    certification = page.get_by_role("group", name="Certification")
    certification.get_by_label(re.compile(r"^ASC")).click()
    expect(page).to_have_url(re.compile(r"certification=ASC"))
    expect(page.get_by_role("group", name="Certification").get_by_label(
        re.compile(r"^ASC"))).to_be_checked()

    page.get_by_role("group", name="Incoterm").get_by_label(re.compile(r"^CIF")).click()
    expect(page).to_have_url(re.compile(r"incoterm=CIF"))
    expect(page).to_have_url(re.compile(r"certification=ASC"))
    expect(count).not_to_have_text(everything)
    chips = page.get_by_role("list", name="Filters in use")
    expect(chips.get_by_role("link")).to_have_count(2)

    results = page.locator(".ex-results .ex-product-card")
    expect(results.first).to_be_visible()
    for card in results.all()[:5]:
        expect(card.locator(".tag-cert", has_text="ASC")).to_have_count(1)
        expect(card).to_contain_text("CIF")

    first = results.first.get_by_role("heading").get_by_role("link")
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text("Price tiers")).to_be_visible()
    expect(page.locator(".ex-terms")).to_contain_text("FOB")
    expect(page.locator(".ex-terms")).to_contain_text("ASC")

    supplier = page.locator(".ex-supplier-line").get_by_role("link")
    supplier_name = supplier.inner_text()
    supplier.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(supplier_name)
    expect(page.get_by_role("heading", name="Certifications")).to_be_visible()
    expect(page.locator(".ex-cert-list")).to_contain_text("ASC")
    expect(page.get_by_role("heading", name="Factory facts")).to_be_visible()
    expect(page.locator("#products .ex-product-card").first).to_be_visible()


def test_on_a_phone_the_filters_fold_away_and_still_work(phone: Page) -> None:
    phone.goto("/events")
    phone.get_by_role("link", name=EXPO_TITLE, exact=True).click()
    phone.get_by_label("Search the products of this event").fill("鱿鱼")
    phone.get_by_label("Search the products of this event").press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Search products")
    filters = phone.locator("details.ex-filters")
    expect(filters).not_to_have_attribute("open", "")
    phone.get_by_text("Filters", exact=True).click()
    expect(filters).to_have_attribute("open", "")
    phone.get_by_role("group", name="Incoterm").get_by_label(re.compile(r"^FOB")).click()
    expect(phone).to_have_url(re.compile(r"incoterm=FOB"))
    expect(phone.locator(".ex-results .ex-product-card").first).to_contain_text("鱿鱼")
