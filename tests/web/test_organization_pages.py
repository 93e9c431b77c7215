"""Organization settings and invitations through the pages: who may see and change what."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Membership, Organization, User
from app.web.context import SESSION_COOKIE
from tests.factories import unique_email
from tests.web.helpers import (
    accept_via_form,
    csrf_for,
    csrf_from,
    get_page,
    invite_via_form,
    new_browser,
    post_form,
    register_via_form,
    text_of,
)


def _organization_form(token: str, **changes: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "csrf_token": token,
        "name": "Fuqing Ocean Foods Co., Ltd.",
        "country": "CN",
        "languages": ["zh", "en", "es"],
        "description": "Frozen shrimp and squid. HACCP, BRC.",
        "website": "https://ocean.example",
        "contact_email": "sales@ocean.example",
        "phone": "+86 591 0000 0000",
        "address": "Fuqing, Fujian",
        "time_zone": "Asia/Shanghai",
    }
    data.update(changes)
    return data


async def test_the_owner_edits_the_organization_through_the_form(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await register_via_form(client)
    page = await get_page(client, "/settings/organization")
    assert '<form method="post" action="/settings/organization"' in page.text

    response = await post_form(
        client, "/settings/organization", _organization_form(csrf_from(page.text))
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/settings/organization?saved=1"

    saved = await get_page(client, "/settings/organization?saved=1")
    text = text_of(saved.text)
    assert "Your changes are saved." in text
    assert "Fuqing Ocean Foods Co., Ltd." in text
    organization = await db.scalar(
        select(Organization).where(Organization.name == "Fuqing Ocean Foods Co., Ltd.")
    )
    assert organization is not None
    assert organization.languages == ["zh", "en", "es"]
    assert organization.website == "https://ocean.example/"


async def test_invalid_organization_input_is_shown_and_nothing_is_saved(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    account = await register_via_form(client)
    token = await csrf_for(client, "/settings/organization")
    response = await post_form(
        client,
        "/settings/organization",
        _organization_form(token, name="Renamed", website="ocean.example",
                           time_zone="Mars/Olympus"),
    )
    assert response.status_code == 422
    text = text_of(response.text)
    assert "Nothing was saved." in text
    assert "Enter a full web address, starting with https://" in text
    assert "Enter a time zone such as Asia/Shanghai or Europe/Madrid." in text
    assert 'value="Renamed"' in response.text  # the input is kept for correction
    names = set(await db.scalars(select(Organization.name)))
    assert names == {account.organization_name}


async def _owner_and_member(owner: httpx.AsyncClient, member: httpx.AsyncClient) -> str:
    """The owner registers and invites; the member accepts in their own browser."""
    await register_via_form(owner)
    email = unique_email("member")
    invitation = await invite_via_form(owner, email)
    accepted = await accept_via_form(member, invitation)
    assert accepted.status_code == 303
    return email


async def test_a_member_sees_the_organization_without_an_edit_form(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with new_browser(app) as member:
        await _owner_and_member(client, member)
        page = await get_page(member, "/settings/organization")
        assert page.status_code == 200
        assert 'action="/settings/organization"' not in page.text
        assert "Only owners can change these settings." in text_of(page.text)
        # Members see who to ask: the member list with roles.
        assert "Owner" in text_of(page.text)
        assert 'href="/settings/invitations"' not in page.text


async def test_a_member_posting_organization_changes_gets_403_and_nothing_changes(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession
) -> None:
    async with new_browser(app) as member:
        await _owner_and_member(client, member)
        token = await csrf_for(member, "/settings/organization")
        response = await post_form(
            member, "/settings/organization", _organization_form(token, name="Hijacked")
        )
        assert response.status_code == 403
        assert "owner_required" in response.text
        assert "Only an owner of this organization can do this." in text_of(response.text)
    assert await db.scalar(select(Organization).where(Organization.name == "Hijacked")) is None


async def test_the_invitations_page_is_403_for_a_member(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with new_browser(app) as member:
        await _owner_and_member(client, member)
        page = await get_page(member, "/settings/invitations")
        assert page.status_code == 403
        token = await csrf_for(member, "/settings/profile")
        invite = await post_form(
            member, "/settings/invitations", {"csrf_token": token, "email": unique_email()}
        )
        assert invite.status_code == 403


async def test_invitation_through_the_pages_creates_the_colleagues_account_once(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession
) -> None:
    owner = await register_via_form(client)
    email = unique_email("colleague")
    invitation = await invite_via_form(client, email, role="member")

    listed = await get_page(client, f"/settings/invitations?sent={email}")
    assert f"Invitation sent to {email}." in text_of(listed.text)
    assert email in text_of(listed.text)

    async with new_browser(app) as colleague:
        page = await get_page(colleague, f"/invitations/accept?token={invitation}")
        assert page.status_code == 200
        assert f"Join {owner.organization_name}" in text_of(page.text)
        assert email in page.text

        accepted = await accept_via_form(colleague, invitation, full_name="Zhang Min")
        assert accepted.status_code == 303
        assert accepted.headers["location"] == "/settings/organization"
        assert SESSION_COOKIE in colleague.cookies
        welcome = await get_page(colleague, "/settings/organization")
        assert owner.organization_name in text_of(welcome.text)
        assert "Zhang Min" in text_of(welcome.text)

        again = await get_page(colleague, f"/invitations/accept?token={invitation}")
        assert again.status_code == 409
        assert "invitation_used" in again.text
        assert "This invitation has already been used." in text_of(again.text)

    user = await db.scalar(select(User).where(User.email == email))
    assert user is not None
    assert user.time_zone == "Europe/Madrid"
    membership = await db.scalar(select(Membership).where(Membership.user_id == user.id))
    assert membership is not None
    assert membership.role == "member"


async def test_posting_a_used_invitation_again_creates_nothing(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await register_via_form(client)
    invitation = await invite_via_form(client, unique_email("twice"))
    async with new_browser(app) as first, new_browser(app) as second:
        # The second browser opened the link before the first one used it.
        page = await get_page(second, f"/invitations/accept?token={invitation}")
        assert (await accept_via_form(first, invitation)).status_code == 303
        response = await post_form(
            second,
            "/invitations/accept",
            {"csrf_token": csrf_from(page.text), "token": invitation,
             "full_name": "Second Try", "password": "correct horse battery"},
        )
        assert response.status_code == 409
    assert await db.scalar(select(User).where(User.full_name == "Second Try")) is None


async def test_a_withdrawn_invitation_link_says_so(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await register_via_form(client)
    email = unique_email("withdrawn")
    invitation = await invite_via_form(client, email)
    page = await get_page(client, "/settings/invitations")
    invitation_id = page.text.split("/settings/invitations/", 1)[1].split("/revoke", 1)[0]
    withdrawn = await post_form(
        client, f"/settings/invitations/{invitation_id}/revoke",
        {"csrf_token": csrf_from(page.text)},
    )
    assert withdrawn.status_code == 303
    assert email not in text_of((await get_page(client, "/settings/invitations")).text)

    async with new_browser(app) as colleague:
        response = await get_page(colleague, f"/invitations/accept?token={invitation}")
        assert response.status_code == 409
        assert "This invitation was withdrawn." in text_of(response.text)


async def test_an_unknown_invitation_link_is_404_with_what_to_do(
    client: httpx.AsyncClient,
) -> None:
    response = await get_page(client, "/invitations/accept?token=not-a-real-token")
    assert response.status_code == 404
    assert "Ask the person who invited you for a new one." in text_of(response.text)


async def test_the_empty_invitations_page_says_what_to_do(client: httpx.AsyncClient) -> None:
    await register_via_form(client)
    page = await get_page(client, "/settings/invitations")
    assert page.status_code == 200
    assert "No open invitations." in text_of(page.text)
