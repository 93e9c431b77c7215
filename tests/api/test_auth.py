from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.main import create_app
from app.models import AuthToken, Organization, User
from tests.factories import PASSWORD, login, register, unique_email


async def test_register_creates_user_and_owned_organization(client: httpx.AsyncClient) -> None:
    email = unique_email()
    response = await client.post(
        "/api/v1/auth/register",
        json={
            "email": email.upper(),
            "password": PASSWORD,
            "full_name": "Lin Wei",
            "organization": {
                "name": "Fuqing Ocean Foods",
                "kind": "supplier",
                "country": "cn",
                "languages": ["zh", "EN"],
            },
            "time_zone": "Asia/Shanghai",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["email"] == email
    assert body["user"]["time_zone"] == "Asia/Shanghai"
    assert body["organization"]["kind"] == "supplier"
    assert body["organization"]["country"] == "CN"
    assert body["organization"]["languages"] == ["zh", "en"]
    assert body["role"] == "owner"
    assert "password" not in response.text


async def test_login_me_logout_round_trip(client: httpx.AsyncClient) -> None:
    account = await register(client, kind="buyer", country="ES")
    me = await client.get("/api/v1/me", headers=account.headers)
    assert me.status_code == 200
    assert me.json()["user"]["email"] == account.email
    assert me.json()["organization"]["id"] == account.organization_id
    assert me.json()["role"] == "owner"

    logout = await client.post("/api/v1/auth/logout", headers=account.headers)
    assert logout.status_code == 204
    after = await client.get("/api/v1/me", headers=account.headers)
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "invalid_token"


async def test_me_without_credentials_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


async def test_unknown_email_and_wrong_password_answer_alike(client: httpx.AsyncClient) -> None:
    account = await register(client)
    wrong_password = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": "not the password"}
    )
    unknown_email = await client.post(
        "/api/v1/auth/login", json={"email": unique_email("nobody"), "password": "not the password"}
    )
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.json()["error"]["code"] == "invalid_credentials"


async def test_sixth_failed_login_in_a_minute_gets_429_with_retry_after(
    client: httpx.AsyncClient,
) -> None:
    account = await register(client)
    for _ in range(5):
        r = await client.post(
            "/api/v1/auth/login", json={"email": account.email, "password": "wrong password"}
        )
        assert r.status_code == 401
    sixth = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": "wrong password"}
    )
    assert sixth.status_code == 429
    assert sixth.json()["error"]["code"] == "too_many_login_attempts"
    assert 0 < int(sixth.headers["Retry-After"]) <= 60
    # Locked out means locked out: the right password does not get through either.
    right = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": PASSWORD}
    )
    assert right.status_code == 429


async def test_lockout_of_one_account_does_not_lock_another(client: httpx.AsyncClient) -> None:
    victim = await register(client)
    other = await register(client)
    for _ in range(6):
        await client.post(
            "/api/v1/auth/login", json={"email": victim.email, "password": "wrong password"}
        )
    assert (await client.post(
        "/api/v1/auth/login", json={"email": other.email, "password": PASSWORD}
    )).status_code == 200


async def test_revoked_token_gets_401(client: httpx.AsyncClient) -> None:
    account = await register(client)
    second = await login(client, account.email)
    tokens = (await client.get("/api/v1/me/tokens", headers=account.headers)).json()
    assert len(tokens) == 2
    second_id = max(t["id"] for t in tokens)
    revoked = await client.delete(f"/api/v1/me/tokens/{second_id}", headers=account.headers)
    assert revoked.status_code == 204
    r = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"})
    assert r.status_code == 401
    assert (await client.get("/api/v1/me", headers=account.headers)).status_code == 200


async def test_cannot_revoke_someone_elses_token(client: httpx.AsyncClient) -> None:
    alice = await register(client)
    bob = await register(client)
    bobs = (await client.get("/api/v1/me/tokens", headers=bob.headers)).json()
    r = await client.delete(f"/api/v1/me/tokens/{bobs[0]['id']}", headers=alice.headers)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "token_not_found"
    assert (await client.get("/api/v1/me", headers=bob.headers)).status_code == 200


async def test_tokens_are_stored_only_as_hashes(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    account = await register(client)
    stored = list(await db.scalars(select(AuthToken.token_hash)))
    assert stored
    assert account.token not in stored
    assert all(len(h) == 64 for h in stored)


async def test_duplicate_email_is_409_and_writes_nothing(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    account = await register(client)
    organizations_before = await db.scalar(select(func.count()).select_from(Organization))
    r = await client.post(
        "/api/v1/auth/register",
        json={
            "email": account.email.upper(),
            "password": PASSWORD,
            "full_name": "Someone Else",
            "organization": {"name": "Other", "kind": "buyer", "country": "US"},
        },
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "email_taken"
    assert await db.scalar(select(func.count()).select_from(Organization)) == organizations_before


async def test_register_refuses_privilege_fields(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    email = unique_email()
    body = {
        "email": email,
        "password": PASSWORD,
        "full_name": "Mallory",
        "organization": {"name": "M", "kind": "buyer", "country": "US"},
    }
    for extra in ({"is_admin": True}, {"is_platform_admin": True}, {"role": "owner"}):
        r = await client.post("/api/v1/auth/register", json={**body, **extra})
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "validation_error"
    assert await db.scalar(select(func.count()).select_from(User)) == 0


async def test_register_validation_errors_are_422_with_details(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/api/v1/auth/register",
        json={
            "email": "not-an-email",
            "password": "short",
            "full_name": "",
            "organization": {"name": "X", "kind": "pirate", "country": "ZZ", "languages": ["xx"]},
            "time_zone": "Mars/Olympus",
        },
    )
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    locs = {tuple(d["loc"]) for d in error["details"]}
    for expected in [
        ("body", "email"),
        ("body", "password"),
        ("body", "full_name"),
        ("body", "organization", "kind"),
        ("body", "organization", "country"),
        ("body", "organization", "languages", 0),
        ("body", "time_zone"),
    ]:
        assert expected in locs, locs


async def test_malformed_json_is_422_not_500(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/api/v1/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"


async def test_unknown_route_uses_error_model(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert r.json() == {"error": {"code": "not_found", "message": "Not Found", "details": None}}


async def test_failures_from_one_address_across_accounts_are_throttled(
    settings: Settings,
) -> None:
    # A credential-stuffing client tries many accounts once each from one address.
    strict = settings.model_copy(update={"login_max_failures_per_address": 3})
    app = create_app(strict)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            statuses = [
                (await c.post("/api/v1/auth/login", json={
                    "email": unique_email("stuffed"), "password": "guess guess"
                })).status_code
                for _ in range(4)
            ]
    assert statuses == [401, 401, 401, 429]
