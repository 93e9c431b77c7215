"""Registering, signing in and out through the HTML forms."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Membership, Organization, User
from app.web.context import SESSION_COOKIE
from tests.factories import PASSWORD, unique_email
from tests.web.helpers import (
    csrf_for,
    get_page,
    new_browser,
    post_form,
    register_via_form,
    sign_in_via_form,
    sign_out_via_form,
    text_of,
)


def _set_cookie_header(response: httpx.Response, name: str) -> str:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"{name} was not set; got {response.headers.get_list('set-cookie')}")


async def test_register_through_the_form_creates_the_account_and_signs_in(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    email = unique_email("lin")
    token = await csrf_for(client, "/register")
    response = await post_form(
        client,
        "/register",
        {
            "csrf_token": token,
            "full_name": "Lin Wei",
            "email": email,
            "password": PASSWORD,
            "organization_name": "Fuqing Ocean Foods",
            "kind": "supplier",
            "country": "CN",
            "languages": ["zh", "en"],
            "time_zone": "Asia/Shanghai",
        },
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = _set_cookie_header(response, SESSION_COOKIE).lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "path=/" in cookie

    user = await db.scalar(select(User).where(User.email == email))
    assert user is not None
    assert user.full_name == "Lin Wei"
    assert user.time_zone == "Asia/Shanghai"
    membership = await db.scalar(select(Membership).where(Membership.user_id == user.id))
    assert membership is not None
    assert membership.role == "owner"
    organization = await db.get(Organization, membership.organization_id)
    assert organization is not None
    assert (organization.name, organization.kind, organization.country) == (
        "Fuqing Ocean Foods", "supplier", "CN",
    )
    assert organization.languages == ["zh", "en"]

    home = await get_page(client, "/")
    assert "Welcome back, Lin Wei" in text_of(home.text)
    assert "Sign out" in text_of(home.text)


async def test_register_with_missing_fields_shows_errors_and_keeps_the_input(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    token = await csrf_for(client, "/register")
    response = await post_form(
        client,
        "/register",
        {
            "csrf_token": token,
            "full_name": "Lin Wei",
            "email": "not-an-email",
            "password": "sh0rt-pw",
            "organization_name": "",
            "kind": "supplier",
            "country": "",
        },
    )
    assert response.status_code == 422
    page = text_of(response.text)
    assert "Please correct the marked fields." in page
    assert "Enter a valid email address." in page
    assert "Use at least 10 characters." in page
    assert "This field is required." in page  # organization name
    assert "Choose a country from the list." in page
    assert 'value="Lin Wei"' in response.text
    assert "sh0rt-pw" not in response.text  # the password is never sent back
    assert await db.scalar(select(User)) is None


async def test_register_with_a_taken_email_says_to_sign_in(client: httpx.AsyncClient) -> None:
    account = await register_via_form(client)
    await sign_out_via_form(client)
    token = await csrf_for(client, "/register")
    response = await post_form(
        client,
        "/register",
        {
            "csrf_token": token,
            "full_name": "Someone Else",
            "email": account.email.upper(),
            "password": PASSWORD,
            "organization_name": "Another Co",
            "kind": "buyer",
            "country": "ES",
        },
    )
    assert response.status_code == 409
    assert "An account with this email already exists. Sign in instead." in text_of(response.text)


async def test_login_with_a_wrong_password_shows_the_error_with_401(
    client: httpx.AsyncClient,
) -> None:
    account = await register_via_form(client)
    await sign_out_via_form(client)

    response = await sign_in_via_form(client, account.email, "not the password")

    assert response.status_code == 401
    assert "The email or password is not correct." in text_of(response.text)
    assert f'value="{account.email}"' in response.text
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


async def test_login_then_logout_revokes_the_session(
    client: httpx.AsyncClient, app: object
) -> None:
    account = await register_via_form(client)
    await sign_out_via_form(client)

    response = await sign_in_via_form(client, account.email, next_url="/settings/profile")
    assert response.status_code == 303
    assert response.headers["location"] == "/settings/profile"
    session_secret = client.cookies[SESSION_COOKIE]
    assert (await get_page(client, "/settings/profile")).status_code == 200

    logout = await sign_out_via_form(client)
    assert logout.status_code == 303
    assert SESSION_COOKIE not in client.cookies

    # The old cookie, replayed (say, by someone who copied it), no longer signs anyone in.
    async with new_browser(app) as replayer:
        replayer.cookies.set(SESSION_COOKIE, session_secret)
        replay = await get_page(replayer, "/settings/profile")
    assert replay.status_code == 303
    assert replay.headers["location"].startswith("/login")


async def test_login_does_not_redirect_off_site(client: httpx.AsyncClient) -> None:
    account = await register_via_form(client)
    await sign_out_via_form(client)
    response = await sign_in_via_form(client, account.email, next_url="//evil.example/")
    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_pages_for_members_send_anonymous_visitors_to_sign_in(
    client: httpx.AsyncClient,
) -> None:
    for path in ("/settings/profile", "/settings/organization", "/settings/invitations"):
        response = await get_page(client, path)
        assert response.status_code == 303, path
        assert response.headers["location"] == f"/login?next={path}"


async def test_too_many_failed_sign_ins_answer_429_with_retry_after(
    client: httpx.AsyncClient,
) -> None:
    account = await register_via_form(client)
    await sign_out_via_form(client)
    for _ in range(5):
        assert (await sign_in_via_form(client, account.email, "wrong password")).status_code == 401
    response = await sign_in_via_form(client, account.email, PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Too many failed sign-in attempts." in text_of(response.text)
