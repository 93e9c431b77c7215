from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Invitation, Membership, OutboxEmail, User
from app.models.base import utcnow
from tests.factories import PASSWORD, register, unique_email


async def _invite(
    client: httpx.AsyncClient, owner_headers: dict[str, str], org_id: int | None,
    email: str, role: str = "member",
) -> httpx.Response:
    return await client.post(
        f"/api/v1/organizations/{org_id}/invitations",
        json={"email": email, "role": role},
        headers=owner_headers,
    )


async def _token_from_outbox(db: AsyncSession, email: str) -> str:
    body = await db.scalar(
        select(OutboxEmail.body_text)
        .where(OutboxEmail.to_address == email)
        .order_by(OutboxEmail.id.desc())
    )
    assert body is not None
    match = re.search(r"token=([A-Za-z0-9_\-]+)", body)
    assert match
    return match.group(1)


def _accept_body(token: str) -> dict[str, str]:
    return {"token": token, "full_name": "New Colleague", "password": PASSWORD}


async def test_invitation_flow_adds_a_member(client: httpx.AsyncClient, db: AsyncSession) -> None:
    owner = await register(client)
    email = unique_email("colleague")
    r = await _invite(client, owner.headers, owner.organization_id, email)
    assert r.status_code == 201, r.text
    assert "token" not in r.json()
    token = await _token_from_outbox(db, email)

    accepted = await client.post("/api/v1/invitations/accept", json=_accept_body(token))
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["email"] == email

    login = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"}
    )
    assert me.json()["organization"]["id"] == owner.organization_id
    assert me.json()["role"] == "member"


async def test_invitation_can_be_used_only_once(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    owner = await register(client)
    email = unique_email("colleague")
    await _invite(client, owner.headers, owner.organization_id, email)
    token = await _token_from_outbox(db, email)
    first = await client.post("/api/v1/invitations/accept", json=_accept_body(token))
    assert first.status_code == 201
    again = await client.post("/api/v1/invitations/accept", json=_accept_body(token))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invitation_used"


async def test_concurrent_accepts_of_one_invitation_create_one_account(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    owner = await register(client)
    email = unique_email("colleague")
    await _invite(client, owner.headers, owner.organization_id, email)
    token = await _token_from_outbox(db, email)
    results = await asyncio.gather(
        *[client.post("/api/v1/invitations/accept", json=_accept_body(token)) for _ in range(4)]
    )
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(201) == 1, [r.text for r in results]
    assert all(s == 409 for s in statuses if s != 201)
    assert await db.scalar(select(func.count()).select_from(User).where(User.email == email)) == 1


async def test_expired_invitation_is_refused(client: httpx.AsyncClient, db: AsyncSession) -> None:
    owner = await register(client)
    email = unique_email("late")
    await _invite(client, owner.headers, owner.organization_id, email)
    token = await _token_from_outbox(db, email)
    await db.execute(
        update(Invitation).values(expires_at=utcnow() - timedelta(minutes=1))
    )
    await db.commit()
    r = await client.post("/api/v1/invitations/accept", json=_accept_body(token))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invitation_expired"
    assert await db.scalar(select(func.count()).select_from(User).where(User.email == email)) == 0


async def test_unknown_token_is_404(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/invitations/accept", json=_accept_body("x" * 43))
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "invitation_not_found"


async def test_member_cannot_invite(client: httpx.AsyncClient, db: AsyncSession) -> None:
    owner = await register(client)
    member_email = unique_email("member")
    await _invite(client, owner.headers, owner.organization_id, member_email)
    await client.post(
        "/api/v1/invitations/accept",
        json=_accept_body(await _token_from_outbox(db, member_email)),
    )
    login = await client.post(
        "/api/v1/auth/login", json={"email": member_email, "password": PASSWORD}
    )
    member_headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    r = await _invite(client, member_headers, owner.organization_id, unique_email("friend"))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "owner_required"
    assert (await client.get(
        f"/api/v1/organizations/{owner.organization_id}/invitations", headers=member_headers
    )).status_code == 403
    patch = await client.patch(
        f"/api/v1/organizations/{owner.organization_id}", json={"name": "X"},
        headers=member_headers,
    )
    assert patch.status_code == 403


async def test_other_org_cannot_invite_into_or_list_invitations(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    owner = await register(client)
    stranger = await register(client)
    r = await _invite(client, stranger.headers, owner.organization_id, unique_email("spy"))
    assert r.status_code == 404
    listing = await client.get(
        f"/api/v1/organizations/{owner.organization_id}/invitations", headers=stranger.headers
    )
    assert listing.status_code == 404
    assert await db.scalar(select(func.count()).select_from(Invitation)) == 0


async def test_withdrawn_invitation_cannot_be_accepted(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    owner = await register(client)
    email = unique_email("withdrawn")
    created = await _invite(client, owner.headers, owner.organization_id, email)
    token = await _token_from_outbox(db, email)
    listed = await client.get(
        f"/api/v1/organizations/{owner.organization_id}/invitations", headers=owner.headers
    )
    assert [i["email"] for i in listed.json()] == [email]
    revoked = await client.delete(
        f"/api/v1/organizations/{owner.organization_id}/invitations/{created.json()['id']}",
        headers=owner.headers,
    )
    assert revoked.status_code == 200
    r = await client.post("/api/v1/invitations/accept", json=_accept_body(token))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invitation_revoked"


async def test_inviting_an_existing_account_is_409(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    someone = await register(client)
    r = await _invite(client, owner.headers, owner.organization_id, someone.email)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "email_taken"


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-email"},
        {"email": "a@example.com", "role": "admin"},
        {"email": "a@example.com", "organization_id": 1},
    ],
)
async def test_invalid_invitation_bodies_are_422(
    client: httpx.AsyncClient, db: AsyncSession, body: dict[str, object]
) -> None:
    owner = await register(client)
    r = await client.post(
        f"/api/v1/organizations/{owner.organization_id}/invitations",
        json=body,
        headers=owner.headers,
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
    assert await db.scalar(select(func.count()).select_from(Invitation)) == 0
    assert await db.scalar(select(func.count()).select_from(Membership)) == 1
