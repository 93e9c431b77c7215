"""A supplier's first visit, in a real Chromium: register, sign out and in, switch to Chinese."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    # A buyer-facing product: the browser says where it is, and pages follow it.
    context = browser.new_context(
        base_url=server_url, locale="en-US", timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_a_supplier_registers_signs_in_again_and_reads_the_site_in_chinese(page: Page) -> None:
    email = f"lin.{uuid.uuid4().hex[:8]}@ocean.example"

    page.goto("/")
    page.get_by_role("link", name="Register your company").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register your company")

    page.get_by_label("Full name").fill("Lin Wei")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Organization name").fill("Fuqing Ocean Foods")
    page.get_by_label("A supplier").check()
    page.get_by_label("Country").select_option("CN")
    page.get_by_label("Chinese", exact=True).check()
    page.get_by_role("button", name="Create account").click()

    # Signed in on the home page.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, Lin Wei")
    expect(page.get_by_role("heading", name="Fuqing Ocean Foods")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    page.get_by_role("banner").get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, Lin Wei")

    # The language switch, then everything in Chinese.
    page.get_by_role("navigation", name="Language").get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    expect(page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="组织", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("欢迎回来，Lin Wei")

    # The time zone came from the browser at registration.
    page.get_by_role("link", name="个人资料").click()
    expect(page.get_by_label("时区")).to_have_value("Asia/Shanghai")
    expect(page.get_by_role("contentinfo")).to_contain_text("时间均按 Asia/Shanghai 显示。")
