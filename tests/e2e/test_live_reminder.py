""""Remind me" in a real Chromium: a buyer asks to be reminded of an upcoming show, browses
elsewhere, and when the host starts it a toast says so on whatever page the buyer is on, with
a link into the room. The room of that very show shows no toast (it reloads itself instead),
and a Chinese reader reads the show's Chinese title."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, WebSocketRoute, expect

from tests.e2e.helpers import browser_contexts, sign_in
from tests.livestreams.helpers import LiveShow, create_show, live_show_setup, start_show

pytestmark = pytest.mark.browser

TITLE = "Live from the shrimp farm"  # tests/livestreams/helpers.py show_body
TITLE_ZH = "养殖场直播"
OTHER_TITLE = "Dried squid tasting"


def in_thread(work: Any) -> Any:
    """Run a coroutine to its end: Playwright's sync API holds this thread's event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _upcoming_show(server_url: str) -> LiveShow:
    async with httpx.AsyncClient(base_url=server_url, timeout=30) as client:
        return await live_show_setup(client, live=False)


async def _start(server_url: str, live: LiveShow) -> None:
    async with httpx.AsyncClient(base_url=server_url, timeout=30) as client:
        await start_show(client, live.host, live.show_id)


async def _follow(server_url: str, live: LiveShow) -> None:
    async with httpx.AsyncClient(base_url=server_url, timeout=30) as client:
        response = await client.put(f"/api/v1/livestreams/{live.show_id}/follow",
                                    headers=live.buyer.headers)
        assert response.status_code in (200, 204), response.text


async def _another_show(server_url: str, live: LiveShow) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=server_url, timeout=30) as client:
        return await create_show(client, live.host, live.booth_id, title=OTHER_TITLE,
                                 title_zh="")  # no Chinese title: shown in English


def wait_for_notifications(page: Page, user_id: int) -> None:
    """Resolves once the page's socket is in the user's topic: a listener added to the
    tab's client (the one notifications.js uses) is settled when the membership is joined."""
    page.evaluate("""async (topic) => {
        const { getClient } = await import("/static/js/realtime.js");
        await getClient().join(topic, {});
    }""", f"user:{user_id}")


@pytest.fixture
def contexts(browser: Browser, server_url: str) -> Iterator[tuple[BrowserContext, ...]]:
    with browser_contexts(browser, server_url, ("en-US", "Europe/Madrid"),
                          ("zh-CN", "Asia/Shanghai")) as made:
        yield made


def test_a_follower_on_another_page_is_told_the_show_is_live_and_goes_to_the_room(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str
) -> None:
    live: LiveShow = in_thread(_upcoming_show(server_url))
    schedule = f"/events/{live.event_id}/livestreams"
    page = sign_in(contexts[0], live.buyer.email, schedule)
    show = page.locator(f"#show-{live.show_id}")
    show.get_by_role("button", name="Remind me").click()
    expect(page.locator(f"#show-{live.show_id}").get_by_role(
        "button", name=re.compile("Reminder set"))).to_be_visible()

    # The buyer moves on to their orders (a page that listens to user:{id} itself too).
    page.goto("/orders")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    wait_for_notifications(page, live.buyer.user_id)
    expect(page.locator("#notification-toasts .toast")).to_have_count(0)

    in_thread(_start(server_url, live))

    notifications = page.get_by_role("status", name="Notifications")
    expect(notifications).to_have_attribute("aria-live", "polite")
    toast = notifications.locator(".toast")
    expect(toast).to_have_count(1)
    expect(toast).to_have_text(re.compile(rf"^{TITLE} is live now — Watch"))
    toast.get_by_role("link", name="Watch").click()
    page.wait_for_url(re.compile(rf"/livestreams/{live.show_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#ls-status")).to_have_text("Live now")


def test_the_toast_is_dismissed_by_button_or_escape(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str
) -> None:
    live: LiveShow = in_thread(_upcoming_show(server_url))
    page = sign_in(contexts[0], live.buyer.email, f"/events/{live.event_id}")
    in_thread(_follow(server_url, live))
    wait_for_notifications(page, live.buyer.user_id)
    in_thread(_start(server_url, live))

    toast = page.locator("#notification-toasts .toast")
    expect(toast).to_have_count(1)
    # Keyboard: Tab reaches the link, then the dismiss button; Escape also closes it.
    toast.get_by_role("link", name="Watch").focus()
    page.keyboard.press("Tab")
    expect(toast.get_by_role("button", name="Dismiss")).to_be_focused()
    page.keyboard.press("Escape")
    expect(toast).to_have_count(0)


class ScriptedNotifications:
    """Stands in for the app's socket: every join is accepted, and once the user's topic is
    joined it sends two "show is live" notifications: the show whose room the page is, then
    another show."""

    def __init__(self, user_id: int, shows: list[dict[str, Any]]) -> None:
        self.user_topic = f"user:{user_id}"
        self.shows = shows

    def __call__(self, ws: WebSocketRoute) -> None:
        ws.on_message(lambda message: self.on_message(ws, message))

    def on_message(self, ws: WebSocketRoute, message: str | bytes) -> None:
        frame = json.loads(message)
        if frame["type"] == "ping":
            ws.send(json.dumps({"type": "reply", "topic": None, "ref": frame["ref"],
                                "payload": {"pong": True}}))
        if frame["type"] != "join":
            return
        topic = frame["topic"]
        if topic != self.user_topic:
            ws.send(json.dumps({"type": "joined", "topic": topic, "ref": frame["ref"],
                                "payload": {"presence": []}}))
            return
        ws.send(json.dumps({"type": "joined", "topic": topic, "ref": frame["ref"], "payload": {
            "last_seq": 0, "reset": False, "replay_from": 0, "presence": []}}))
        for seq, show in enumerate(self.shows, start=1):
            ws.send(json.dumps({"type": "event", "topic": topic, "ref": None, "payload": {
                "event": "notification", "seq": seq, "data": {
                    "kind": "livestream.live", "livestream_id": show["id"],
                    "event_id": show["event_id"], "booth_id": show["booth_id"],
                    "title": show["title"], "title_zh": show["title_zh"]}}}))


def test_the_rooms_own_show_gets_no_toast_and_chinese_readers_read_the_chinese_title(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str
) -> None:
    live: LiveShow = in_thread(_upcoming_show(server_url))
    other = in_thread(_another_show(server_url, live))
    context = contexts[1]
    page = sign_in(context, live.buyer.email, "/events")
    page.goto("/lang/zh?next=/events")
    page.route_web_socket("**/ws", ScriptedNotifications(live.buyer.user_id, [live.show, other]))
    page.goto(f"/livestreams/{live.show_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_ZH)

    # Notifications come in order: once the other show's toast is there, this show's
    # notification was handled, and made none.
    toast = page.locator("#notification-toasts .toast")
    expect(toast).to_have_count(1)
    expect(toast).to_have_text(re.compile(rf"^{OTHER_TITLE} 正在直播 — 观看"))
    expect(toast.get_by_role("link", name="观看")).to_have_attribute(
        "href", f"/livestreams/{other['id']}")

    # Anywhere else, the Chinese reader gets the show's Chinese title.
    page.goto(f"/events/{live.event_id}")
    expect(toast).to_have_count(2)
    expect(toast.first).to_have_text(re.compile(rf"^{TITLE_ZH} 正在直播 — 观看"))
    expect(toast.first.get_by_role("button", name="关闭")).to_be_visible()
