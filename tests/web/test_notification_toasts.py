"""Every page brings a signed-in person's notifications (frontend/static/js/notifications.js):
the module, its live region and its words in the viewer's language; an anonymous visitor gets
none of it, so no socket is opened for them. (The toast itself: tests/e2e/test_live_reminder.py.)"""

from __future__ import annotations

import html
import json
import re

import httpx

from tests.factories import register
from tests.web.helpers import Browser, get_page

MODULE = '<script type="module" src="/static/js/notifications.js"></script>'
_WORDS = re.compile(r'id="notification-toasts"[^>]*\sdata-words="([^"]*)"', re.S)
_STACK = re.compile(r'<div class="toast-stack" id="notification-toasts"[^>]*>', re.S)


def words_of(page: str) -> dict[str, str]:
    found = _WORDS.search(page)
    assert found, "no notification words on the page"
    return dict(json.loads(html.unescape(found.group(1))))


async def test_a_signed_in_page_loads_the_notifications_for_its_viewer(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    buyer = await register(client, kind="buyer", country="ES")
    browser = await browser_for(buyer)
    for path in ("/", "/events", "/orders"):
        page = (await get_page(browser, path)).text
        assert MODULE in page, path
        stack = _STACK.search(page)
        assert stack, path
        assert f'data-user-id="{buyer.user_id}"' in stack.group(0)
        assert 'role="status"' in stack.group(0)
        assert 'aria-live="polite"' in stack.group(0)
        assert " style=" not in page  # the CSP allows no inline styles
    assert words_of(page) == {"live": "{title} is live now", "watch": "Watch",
                              "dismiss": "Dismiss"}


async def test_the_words_follow_the_viewers_language(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    supplier = await register(client, kind="supplier", country="CN")
    browser = await browser_for(supplier)
    await browser.get("/lang/zh?next=/")
    page = (await get_page(browser, "/events")).text
    assert 'data-locale="zh"' in page
    assert words_of(page) == {"live": "{title} 正在直播", "watch": "观看", "dismiss": "关闭"}
    assert f'aria-label="{html.escape("通知")}"' in page


async def test_an_anonymous_visitor_gets_no_notifications_and_no_socket(
    client: httpx.AsyncClient,
) -> None:
    for path in ("/events", "/login"):
        page = (await get_page(client, path)).text
        assert "notifications.js" not in page, path
        assert "notification-toasts" not in page, path
        assert "realtime.js" not in page, path
