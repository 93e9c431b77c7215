"""The organizer runs the matchmaking scheduler from the session's admin page, in real
Chromium: the progress reaches "Done" and the meetings table fills, without a reload.

The session and its registrations are made through the public API (as an integrator would).
Waits are Playwright's: every step waits for what the organizer would see.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.helpers import api_post, browser_contexts, register, sign_in
from tests.factories import PASSWORD, event_body, product_body
from tests.matchmaking.helpers import buyer_needs, session_body

pytestmark = pytest.mark.browser


def api_patch(server_url: str, path: str, body: dict[str, Any], token: str) -> Any:
    request = urllib.request.Request(  # noqa: S310 - our own test server over http
        f"{server_url}/api/v1{path}", data=json.dumps(body).encode(), method="PATCH",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def token_of(server_url: str, email: str) -> str:
    return str(api_post(server_url, "/auth/login",
                        {"email": email, "password": PASSWORD})["access_token"])


def registered_session(server_url: str) -> tuple[str, int]:
    """A published expo with a session, two buyers and two suppliers registered and the
    registration closed: the organizer's email and the session's id."""
    organizer = register(server_url, "Weng Li", kind="organizer", country="CN",
                         time_zone="Asia/Shanghai")
    boss = token_of(server_url, organizer)
    event = api_post(server_url, "/events", event_body(), boss)
    hall = api_post(server_url, f"/events/{event['id']}/halls", {"name": "Frozen shrimp"}, boss)
    api_post(server_url, f"/events/{event['id']}/publish", {}, boss)
    session = api_post(server_url, f"/events/{event['id']}/matchmaking-sessions",
                       session_body(), boss)
    url = f"/matchmaking-sessions/{session['id']}"
    for n, (country, zone) in enumerate((("ES", "Europe/Madrid"), ("US", "America/New_York"))):
        buyer = token_of(server_url, register(server_url, f"Buyer {n}", kind="buyer",
                                              country=country, time_zone=zone))
        api_post(server_url, f"{url}/participants", {"needs": buyer_needs()}, buyer)
    for n in range(2):
        supplier = token_of(server_url, register(server_url, f"Supplier {n}", kind="supplier",
                                                 country="CN", time_zone="Asia/Shanghai"))
        booth = api_post(server_url, f"/events/{event['id']}/booths",
                         {"hall_id": hall["id"]}, supplier)
        api_post(server_url, f"/booths/{booth['id']}/approve", {}, boss)
        api_post(server_url, "/products", product_body(name=f"Shrimp {n}"), supplier)
        api_post(server_url, f"{url}/participants", {}, supplier)
    api_patch(server_url, url, {"registration_deadline": "2020-01-01T00:00:00Z"}, boss)
    return organizer, int(session["id"])


def test_the_organizer_runs_the_scheduler_and_sees_it_finish_without_a_reload(
    browser: Browser, server_url: str
) -> None:
    organizer, session_id = registered_session(server_url)
    with browser_contexts(browser, server_url, ("en-GB", "Asia/Shanghai")) as (context,):
        admin = f"/matchmaking/{session_id}/admin"
        page = sign_in(context, organizer, admin)
        expect(page.locator("#meetings")).to_contain_text("No meetings yet.")
        # A mark on this document: a reload or a navigation would lose it.
        page.evaluate("window.stillThisPage = true")

        page.get_by_role("button", name="Run scheduler", exact=True).click()

        expect(page.locator("[data-job-phase]")).to_have_text("Done")
        expect(page.locator("[data-job-bar]")).to_have_attribute("value", "1.0")
        expect(page.locator("#schedule")).to_contain_text("Meetings placed")
        rows = page.locator("#meetings tr[data-meeting-id]")
        expect(rows.first).to_be_visible()
        assert rows.count() >= 2
        expect(page.get_by_role("button", name="Run the scheduler again", exact=True)
               ).to_be_enabled()
        assert page.evaluate("window.stillThisPage") is True
