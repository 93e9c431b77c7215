"""Form posts need this browser's CSRF token and must come from our own pages."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from tests.factories import PASSWORD, unique_email
from tests.web.helpers import (
    csrf_for,
    get_page,
    new_browser,
    post_form,
    register_via_form,
    text_of,
)


def _registration(email: str, token: str | None) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "full_name": "Chen Jing",
        "email": email,
        "password": PASSWORD,
        "organization_name": "Fuqing Ocean Foods",
        "kind": "supplier",
        "country": "CN",
        "languages": ["zh"],
        "time_zone": "Asia/Shanghai",
    }
    if token is not None:
        data["csrf_token"] = token
    return data


async def _users(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(User)) or 0)


async def test_register_without_csrf_token_is_refused_and_writes_nothing(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await get_page(client, "/register")  # the browser has its anonymous cookie
    response = await post_form(client, "/register", _registration(unique_email(), None))

    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "csrf_failed" in response.text
    assert "Reload the page and try again." in text_of(response.text)
    assert await _users(db) == 0


async def test_register_with_a_wrong_csrf_token_is_refused(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await get_page(client, "/register")
    response = await post_form(
        client, "/register", _registration(unique_email(), "forged-token-value")
    )
    assert response.status_code == 403
    assert "csrf_failed" in response.text
    assert await _users(db) == 0


async def test_a_token_from_another_browser_is_refused(
    client: httpx.AsyncClient, app: object, db: AsyncSession
) -> None:
    """The token is bound to the browser's own cookie: an attacker's token is worthless."""
    async with new_browser(app) as attacker:
        attackers_token = await csrf_for(attacker, "/register")
    await get_page(client, "/register")
    response = await post_form(client, "/register", _registration(unique_email(), attackers_token))
    assert response.status_code == 403
    assert await _users(db) == 0


async def test_a_post_from_a_foreign_origin_is_refused(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    token = await csrf_for(client, "/register")
    response = await post_form(
        client,
        "/register",
        _registration(unique_email(), token),
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert "csrf_failed" in response.text
    assert await _users(db) == 0


async def test_a_post_from_our_own_origin_is_accepted(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    token = await csrf_for(client, "/register")
    response = await post_form(
        client,
        "/register",
        _registration(unique_email(), token),
        headers={"Origin": "http://testserver"},
    )
    assert response.status_code == 303
    assert await _users(db) == 1


async def test_sign_out_without_token_is_refused_and_keeps_the_session(
    client: httpx.AsyncClient,
) -> None:
    await register_via_form(client)
    response = await post_form(client, "/logout", {})
    assert response.status_code == 403
    profile = await get_page(client, "/settings/profile")
    assert profile.status_code == 200


async def test_the_anonymous_token_stops_working_after_sign_in(
    client: httpx.AsyncClient,
) -> None:
    """Signed in, forms are bound to the session, so a token read before sign-in is refused."""
    anonymous_token = await csrf_for(client, "/register")
    await register_via_form(client)
    response = await post_form(client, "/logout", {"csrf_token": anonymous_token})
    assert response.status_code == 403
