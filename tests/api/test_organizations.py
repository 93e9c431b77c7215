from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEntry, Organization
from tests.factories import register


async def test_any_signed_in_user_sees_public_profile_but_not_private_settings(
    client: httpx.AsyncClient,
) -> None:
    supplier = await register(client, kind="supplier")
    buyer = await register(client, kind="buyer", country="ES")
    await client.patch(
        f"/api/v1/organizations/{supplier.organization_id}",
        json={"contact_email": "sales@ocean.example", "phone": "+86 591 0000"},
        headers=supplier.headers,
    )

    public = await client.get(
        f"/api/v1/organizations/{supplier.organization_id}", headers=buyer.headers
    )
    assert public.status_code == 200
    assert public.json()["kind"] == "supplier"
    assert "contact_email" not in public.json()
    assert "phone" not in public.json()

    private = await client.get(
        f"/api/v1/organizations/{supplier.organization_id}/settings", headers=buyer.headers
    )
    assert private.status_code == 404
    assert private.json()["error"]["code"] == "organization_not_found"
    assert "sales@ocean.example" not in private.text

    own = await client.get(
        f"/api/v1/organizations/{supplier.organization_id}/settings", headers=supplier.headers
    )
    assert own.status_code == 200
    assert own.json()["contact_email"] == "sales@ocean.example"


async def test_profile_requires_sign_in(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    r = await client.get(f"/api/v1/organizations/{supplier.organization_id}")
    assert r.status_code == 401


async def test_another_orgs_user_cannot_change_settings(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    supplier = await register(client, kind="supplier", organization_name="Original Name")
    intruder = await register(client, kind="supplier")
    r = await client.patch(
        f"/api/v1/organizations/{supplier.organization_id}",
        json={"name": "Hijacked"},
        headers=intruder.headers,
    )
    assert r.status_code == 404
    org = await db.get(Organization, supplier.organization_id)
    assert org is not None
    assert org.name == "Original Name"


async def test_members_list_is_private(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    other = await register(client)
    r = await client.get(
        f"/api/v1/organizations/{supplier.organization_id}/members", headers=other.headers
    )
    assert r.status_code == 404
    own = await client.get(
        f"/api/v1/organizations/{supplier.organization_id}/members", headers=supplier.headers
    )
    assert [m["email"] for m in own.json()] == [supplier.email]


async def test_owner_updates_profile_and_it_is_audited(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    owner = await register(client)
    r = await client.patch(
        f"/api/v1/organizations/{owner.organization_id}",
        json={
            "name": "Fuqing Yuanhong Seafood",
            "description": "Frozen shrimp since 1998",
            "website": "https://yuanhong.example",
            "languages": ["zh", "en", "es"],
            "time_zone": "Asia/Shanghai",
        },
        headers=owner.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Fuqing Yuanhong Seafood"
    assert r.json()["languages"] == ["zh", "en", "es"]
    entries = list(
        await db.scalars(select(AuditEntry).where(AuditEntry.action == "organization.updated"))
    )
    assert len(entries) == 1
    assert entries[0].actor_user_id == owner.user_id
    assert "name" in entries[0].details["fields"]


async def test_update_refuses_unknown_and_immutable_fields(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    owner = await register(client, kind="buyer", country="ES")
    for body in ({"kind": "organizer"}, {"id": 999}, {"is_admin": True}, {"role": "owner"}):
        r = await client.patch(
            f"/api/v1/organizations/{owner.organization_id}", json=body, headers=owner.headers
        )
        assert r.status_code == 422, body
        assert r.json()["error"]["code"] == "validation_error"
    org = await db.get(Organization, owner.organization_id)
    assert org is not None
    assert org.kind == "buyer"


async def test_update_with_invalid_values_is_422_and_changes_nothing(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    owner = await register(client, organization_name="Stable Name")
    r = await client.patch(
        f"/api/v1/organizations/{owner.organization_id}",
        json={"name": "New Name", "website": "javascript:alert(1)", "time_zone": "Nowhere/City"},
        headers=owner.headers,
    )
    assert r.status_code == 422
    fields = {d["loc"][-1] for d in r.json()["error"]["details"]}
    assert {"website", "time_zone"} <= fields
    org = await db.get(Organization, owner.organization_id)
    assert org is not None
    assert org.name == "Stable Name"


async def test_missing_organization_is_404(client: httpx.AsyncClient) -> None:
    user = await register(client)
    r = await client.get("/api/v1/organizations/999999", headers=user.headers)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "organization_not_found"


async def test_only_platform_admins_list_all_organizations(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    from app.accounts import service as accounts
    from tests.factories import login

    user = await register(client)
    r = await client.get("/api/v1/organizations", headers=user.headers)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "admin_required"

    await accounts.create_admin(
        db, email="root@example.com", password="admin password 1", full_name="Root"
    )
    await db.commit()
    token = await login(client, "root@example.com", "admin password 1")
    for _ in range(2):
        await register(client)
    headers = {"Authorization": f"Bearer {token}"}
    first = await client.get("/api/v1/organizations?limit=2", headers=headers)
    assert first.status_code == 200
    assert len(first.json()["items"]) == 2
    second = await client.get(
        f"/api/v1/organizations?limit=2&cursor={first.json()['next_cursor']}", headers=headers
    )
    assert len(second.json()["items"]) == 1
    assert second.json()["next_cursor"] is None
    total = await db.scalar(select(func.count()).select_from(Organization))
    assert total == 3
    bad = await client.get("/api/v1/organizations?cursor=%%%", headers=headers)
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_cursor"


async def test_out_of_range_ids_and_nul_characters_are_4xx_not_500(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    huge = await client.get(f"/api/v1/organizations/{2**63}", headers=owner.headers)
    assert huge.status_code in (404, 422)
    nul = await client.patch(
        f"/api/v1/organizations/{owner.organization_id}",
        json={"description": "before\x00after"},
        headers=owner.headers,
    )
    assert nul.status_code in (200, 422)
    assert nul.status_code != 500
