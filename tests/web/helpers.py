"""Drive the pages as a browser would: read the CSRF token from the HTML, post forms."""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from tests.factories import PASSWORD, Account, unique_email

# Opens a browser (its own cookie jar) signed in as the account: the browser_for fixture.
Browser = Callable[[Account], Awaitable[httpx.AsyncClient]]

# Browsers ask for HTML; the error handler answers them with the HTML error page.
HTML_HEADERS = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
_CSRF = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)"')
_counter = itertools.count(1)


def csrf_from(page: str) -> str:
    """The CSRF token of the first form on a page (every form on a page carries the same)."""
    found = _CSRF.search(page)
    assert found, "no csrf_token field on the page"
    return html.unescape(found.group(1))


def text_of(page: str) -> str:
    """The page's visible text, roughly: tags dropped, entities decoded, spaces collapsed."""
    without_tags = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", page, flags=re.S)
    return " ".join(html.unescape(without_tags).split())


async def get_page(client: httpx.AsyncClient, path: str, **kwargs: object) -> httpx.Response:
    return await client.get(path, headers=HTML_HEADERS, **kwargs)  # type: ignore[arg-type]


async def csrf_for(client: httpx.AsyncClient, path: str) -> str:
    """Open a page (which sets the browser's anonymous cookie if needed) and read its token."""
    response = await get_page(client, path)
    assert response.status_code == 200, response.text
    return csrf_from(response.text)


async def post_form(
    client: httpx.AsyncClient,
    path: str,
    data: dict[str, str | list[str]],
    *,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return await client.post(path, data=data, headers={**HTML_HEADERS, **(headers or {})})


@dataclass
class FormAccount:
    email: str
    password: str
    full_name: str
    organization_name: str


async def register_via_form(
    client: httpx.AsyncClient,
    *,
    kind: str = "supplier",
    time_zone: str = "Asia/Shanghai",
    email: str | None = None,
    country: str = "CN",
    languages: tuple[str, ...] = ("zh", "en"),
) -> FormAccount:
    """Register through /register and stay signed in (the client keeps the session cookie)."""
    account = FormAccount(
        email=email or unique_email(f"form-{kind}"),
        password=PASSWORD,
        full_name=f"Form {kind.title()} {next(_counter)}",
        organization_name=f"Form {kind.title()} Trading Co {next(_counter)}",
    )
    token = await csrf_for(client, "/register")
    response = await post_form(
        client,
        "/register",
        {
            "csrf_token": token,
            "full_name": account.full_name,
            "email": account.email,
            "password": account.password,
            "organization_name": account.organization_name,
            "kind": kind,
            "country": country,
            "languages": list(languages),
            "time_zone": time_zone,
        },
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/"
    return account


async def sign_in_via_form(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, next_url: str = "/"
) -> httpx.Response:
    token = await csrf_for(client, "/login")
    return await post_form(
        client,
        "/login",
        {"csrf_token": token, "email": email, "password": password, "next": next_url},
    )


async def sign_out_via_form(client: httpx.AsyncClient) -> httpx.Response:
    token = await csrf_for(client, "/settings/profile")
    return await post_form(client, "/logout", {"csrf_token": token})


_INVITE_LINK = re.compile(r"/invitations/accept\?token=([A-Za-z0-9_\-]+)")


def new_browser(app: object) -> httpx.AsyncClient:
    """A second browser (its own cookie jar) on the same app, e.g. for the invited colleague."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def invite_via_form(client: httpx.AsyncClient, email: str, role: str = "member") -> str:
    """An owner invites through the settings page; returns the token from the outbox email."""
    token = await csrf_for(client, "/settings/invitations")
    response = await post_form(
        client, "/settings/invitations", {"csrf_token": token, "email": email, "role": role}
    )
    assert response.status_code == 303, response.text
    outbox = await get_page(client, "/dev/outbox")
    assert email in outbox.text
    # The newest email comes first.
    found = _INVITE_LINK.search(outbox.text)
    assert found, "no invitation link in the outbox"
    return found.group(1)


async def accept_via_form(
    client: httpx.AsyncClient, invitation_token: str, full_name: str = "Invited Colleague",
    time_zone: str = "Europe/Madrid",
) -> httpx.Response:
    page = await get_page(client, f"/invitations/accept?token={invitation_token}")
    assert page.status_code == 200, page.text
    return await post_form(
        client,
        "/invitations/accept",
        {
            "csrf_token": csrf_from(page.text),
            "token": invitation_token,
            "full_name": full_name,
            "password": PASSWORD,
            "time_zone": time_zone,
        },
    )
