"""What the browser tests share: accounts made through the public API, browser contexts."""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

from tests.factories import PASSWORD


def api_post(server_url: str, path: str, body: dict[str, Any], token: str | None = None) -> Any:
    """POST JSON to the server's API (as an integrator would) and return the JSON answer."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(  # noqa: S310 - our own test server over http
        f"{server_url}/api/v1{path}", data=json.dumps(body).encode(), headers=headers,
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def register(server_url: str, full_name: str, *, kind: str, country: str, time_zone: str,
             locale: str = "en") -> str:
    """A new account and organization through the public API; returns the email."""
    email = f"{kind}.{uuid.uuid4().hex[:8]}@example.com"
    api_post(server_url, "/auth/register", {
        "email": email, "password": PASSWORD, "full_name": full_name, "locale": locale,
        "time_zone": time_zone,
        "organization": {"name": f"{full_name} Trading", "kind": kind, "country": country,
                         "languages": [locale]},
    })
    return email


@contextmanager
def browser_contexts(
    browser: Browser, server_url: str, *people: tuple[str, str]
) -> Iterator[tuple[BrowserContext, ...]]:
    """One context per person (each its own cookies), given as (locale, time zone) of the
    browser; closed on the way out."""
    made = tuple(
        browser.new_context(base_url=server_url, locale=locale, timezone_id=zone,
                            viewport={"width": 1280, "height": 900})
        for locale, zone in people
    )
    for context in made:
        context.set_default_timeout(10_000)
    try:
        yield made
    finally:
        for context in made:
            context.close()


def sign_in(context: BrowserContext, email: str, next_url: str) -> Page:
    """A new page in ``context``, signed in through /login and landed on ``next_url``."""
    page = context.new_page()
    page.goto(f"/login?next={next_url}")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))
    return page
