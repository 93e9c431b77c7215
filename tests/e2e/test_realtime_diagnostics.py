"""Two people on the realtime diagnostic page, in a real Chromium: live delivery, presence, and
a dropped connection that resumes with every missed message, in order, exactly once."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.helpers import browser_contexts, register
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def contexts(browser: Browser, server_url: str) -> Iterator[tuple[BrowserContext, ...]]:
    # The browsers sit in a zone unlike their users' profiles: the page must follow the
    # profile (the server's idea of the viewer's zone), not the machine's clock.
    where = ("en-US", "America/New_York")
    with browser_contexts(browser, server_url, where, where) as made:
        yield made


def open_diagnostics(context: BrowserContext, email: str, room: str) -> Page:
    """Sign in through the login form, which brings the browser back to the page."""
    page = context.new_page()
    page.goto(f"/login?next={quote(f'/realtime/diagnostics?room={room}', safe='/')}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Realtime diagnostics")
    expect(page.locator("#rt-state")).to_have_text("Connected")
    return page


def send(page: Page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send", exact=True).click()


def test_a_dropped_connection_resumes_with_every_message_once_and_in_order(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str
) -> None:
    room = f"e2e-{uuid.uuid4().hex[:8]}"
    ana_email = register(server_url, "Ana García", kind="buyer", country="ES",
                         time_zone="Europe/Madrid")
    lin_email = register(server_url, "Lin Wei", kind="supplier", country="CN",
                         time_zone="Asia/Shanghai")
    ana = open_diagnostics(contexts[0], ana_email, room)
    lin = open_diagnostics(contexts[1], lin_email, room)

    # Presence: each sees the other.
    expect(lin.locator("#rt-presence")).to_contain_text("Ana García")
    expect(ana.locator("#rt-presence")).to_contain_text("Lin Wei")

    # Live: Ana writes, Lin reads it at once, numbered.
    send(ana, "Do you ship CIF Valencia?")
    expect(lin.locator("#rt-log .rt-seq")).to_have_text(["#1"])
    first = lin.locator("#rt-log .rt-event").first
    expect(first).to_contain_text("Ana García")
    expect(first.locator(".rt-text")).to_have_text("Do you ship CIF Valencia?")

    # The time is Lin's profile zone (Shanghai), not the browser's (New York).
    stamp = first.locator("time")
    expect(stamp).to_have_attribute("title", re.compile(r"\(Asia/Shanghai\)$"))
    received = datetime.fromisoformat(
        str(stamp.get_attribute("datetime")).replace("Z", "+00:00")
    )
    shown = stamp.inner_text().replace("\u202f", " ").replace("\u00a0", " ")
    assert shown == received.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%I:%M:%S %p")

    # Lin drops the connection and stays away until told to come back.
    lin.get_by_label("After a drop, stay offline for").select_option("hold")
    lin.get_by_role("button", name="Drop connection").click()
    expect(lin.locator("#rt-state")).to_have_text("Reconnecting…")
    # The server has seen Lin go: Ana's presence list no longer shows Lin.
    expect(ana.locator("#rt-presence")).not_to_contain_text("Lin Wei")

    send(ana, "Our MOQ is 5 t.")
    send(ana, "Price list attached tomorrow.")
    expect(ana.locator("#rt-log .rt-seq")).to_have_text(["#1", "#2", "#3"])
    expect(lin.locator("#rt-log .rt-seq")).to_have_text(["#1"])  # away: nothing arrived

    # Back: the two missed messages are replayed after #1, each once, in order.
    lin.get_by_role("button", name="Reconnect now").click()
    expect(lin.locator("#rt-state")).to_have_text("Connected")
    expect(lin.locator("#rt-log .rt-seq")).to_have_text(["#1", "#2", "#3"])
    expect(lin.locator("#rt-log .rt-text")).to_have_text(
        ["Do you ship CIF Valencia?", "Our MOQ is 5 t.", "Price list attached tomorrow."]
    )
    expect(lin.locator("#rt-log .rt-replayed")).to_have_count(2)
    expect(lin.locator("#rt-last-seq")).to_have_text("3")
    expect(lin.locator("#rt-reconnects")).to_have_text("1")
    expect(ana.locator("#rt-presence")).to_contain_text("Lin Wei")

    # Live again. Frames on one socket keep their order, so a duplicate of the replay would
    # have to arrive before #4: seeing exactly #1..#4 proves there was none.
    send(lin, "Thanks, received all three.")
    expect(ana.locator("#rt-log .rt-seq")).to_have_text(["#1", "#2", "#3", "#4"])
    expect(lin.locator("#rt-log .rt-seq")).to_have_text(["#1", "#2", "#3", "#4"])
    expect(lin.locator("#rt-log .rt-event").last).to_contain_text("Lin Wei (you)")


def test_a_message_written_while_offline_is_sent_once_after_the_reconnect(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str
) -> None:
    room = f"e2e-{uuid.uuid4().hex[:8]}"
    ana = open_diagnostics(
        contexts[0], register(server_url, "Ana García", kind="buyer", country="ES",
                         time_zone="Europe/Madrid"), room
    )
    lin = open_diagnostics(
        contexts[1], register(server_url, "Lin Wei", kind="supplier", country="CN",
                         time_zone="Asia/Shanghai"), room
    )
    expect(ana.locator("#rt-presence")).to_contain_text("Lin Wei")

    lin.get_by_label("After a drop, stay offline for").select_option("hold")
    lin.get_by_role("button", name="Drop connection").click()
    expect(lin.locator("#rt-state")).to_have_text("Reconnecting…")
    send(lin, "Written on the train")
    # realtime.js keeps it and says so; nothing reached the room yet.
    expect(lin.locator("#rt-pending")).to_have_text("Waiting for the connection to send: 1")
    expect(ana.locator("#rt-log .rt-seq")).to_have_count(0)

    lin.get_by_role("button", name="Reconnect now").click()
    expect(ana.locator("#rt-log .rt-text")).to_have_text(["Written on the train"])
    expect(lin.locator("#rt-log .rt-text")).to_have_text(["Written on the train"])
    expect(lin.locator("#rt-pending")).to_be_hidden()
    # Still exactly one, with the next message behind it.
    send(ana, "Welcome back")
    expect(lin.locator("#rt-log .rt-seq")).to_have_text(["#1", "#2"])
    expect(ana.locator("#rt-log .rt-seq")).to_have_text(["#1", "#2"])
