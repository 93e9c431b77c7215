from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEntry, Booth, BoothCertification
from tests.booths.helpers import create_media
from tests.factories import (
    Account,
    add_colleague,
    apply_for_booth,
    approved_booth,
    move_event,
    open_expo,
    register,
)

FULL_PROFILE: dict[str, Any] = {
    "description": "Frozen vannamei and black tiger shrimp, 12 processing lines.",
    "description_zh": "冷冻南美白对虾和黑虎虾，12条加工线。",
    "video_url": "https://video.example/fuqing-ocean.m3u8",
    "export_markets": ["es", "US", "JP", "ES"],
    "founded_year": 1998,
    "staff_count": 420,
    "annual_output_tonnes": "18000.50",
    "cold_storage_tonnes": 6000,
    "certifications": [
        {"scheme": "haccp", "number": "CN-HACCP-0098", "issuer": "CQC", "expires_on": "2032-01-31"},
        {"scheme": "BRCGS", "number": "BRC-55102", "issuer": "SGS"},
        {"scheme": "iso 22000", "number": "ISO-1", "expires_on": "2030-06-30"},
    ],
}


async def _booth(db: AsyncSession, booth_id: int) -> Booth:
    db.expire_all()
    booth = await db.get(Booth, booth_id)
    assert booth is not None
    return booth


async def _certificates(db: AsyncSession, booth_id: int) -> list[tuple[str, str]]:
    rows = await db.execute(
        select(BoothCertification.scheme, BoothCertification.number)
        .where(BoothCertification.booth_id == booth_id)
        .order_by(BoothCertification.id)
    )
    return [(scheme, number) for scheme, number in rows]


async def _applied(client: httpx.AsyncClient) -> tuple[Any, Account, dict[str, Any]]:
    expo = await open_expo(client, halls=2)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    return expo, supplier, booth


async def test_exhibitor_fills_the_whole_profile(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    _expo, supplier, booth = await _applied(client)
    logo = await create_media(db, supplier.organization_id)
    banner = await create_media(db, supplier.organization_id)
    r = await client.patch(
        f"/api/v1/booths/{booth['id']}",
        json={**FULL_PROFILE, "logo_id": logo, "banner_id": banner},
        headers=supplier.headers,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["export_markets"] == ["ES", "US", "JP"]
    assert body["annual_output_tonnes"] == "18000.5"
    assert body["cold_storage_tonnes"] == "6000"
    assert (body["logo_id"], body["banner_id"]) == (logo, banner)
    assert body["video_url"] == "https://video.example/fuqing-ocean.m3u8"
    assert [(c["scheme"], c["number"]) for c in body["certifications"]] == [
        ("HACCP", "CN-HACCP-0098"), ("BRC", "BRC-55102"), ("ISO22000", "ISO-1")
    ]
    assert body["certifications"][0]["expires_on"] == "2032-01-31"
    assert body["updated_at"] is not None
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "booth.updated"))
    assert entry is not None
    assert "certifications" in entry.details["fields"]
    assert "logo_id" in entry.details["fields"]

    # The public view shows the same profile once the booth is public.
    fetched = await client.get(f"/api/v1/booths/{booth['id']}", headers=supplier.headers)
    assert fetched.json()["certifications"] == body["certifications"]


async def test_certifications_are_replaced_as_a_whole(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    _expo, supplier, booth = await _applied(client)
    url = f"/api/v1/booths/{booth['id']}"
    await client.patch(url, json=FULL_PROFILE, headers=supplier.headers)
    r = await client.patch(
        url, json={"certifications": [{"scheme": "MSC", "number": "MSC-C-5551"}]},
        headers=supplier.headers,
    )
    assert r.status_code == 200
    assert await _certificates(db, booth["id"]) == [("MSC", "MSC-C-5551")]
    # Fields left out keep their value.
    assert (await _booth(db, booth["id"])).staff_count == 420
    cleared = await client.patch(url, json={"certifications": []}, headers=supplier.headers)
    assert cleared.json()["certifications"] == []
    assert await _certificates(db, booth["id"]) == []


async def test_null_clears_optional_facts(client: httpx.AsyncClient, db: AsyncSession) -> None:
    _expo, supplier, booth = await _applied(client)
    url = f"/api/v1/booths/{booth['id']}"
    await client.patch(url, json=FULL_PROFILE, headers=supplier.headers)
    r = await client.patch(
        url, json={"video_url": None, "staff_count": None, "annual_output_tonnes": None},
        headers=supplier.headers,
    )
    assert r.status_code == 200
    stored = await _booth(db, booth["id"])
    assert (stored.video_url, stored.staff_count, stored.annual_output_tonnes) == (
        None, None, None
    )
    assert stored.founded_year == 1998


async def test_a_plain_member_of_the_exhibitor_can_edit(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    _expo, supplier, booth = await _applied(client)
    colleague = await add_colleague(client, db, supplier)
    r = await client.patch(
        f"/api/v1/booths/{booth['id']}", json={"staff_count": 12}, headers=colleague.headers
    )
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("approved", [False, True])
async def test_another_supplier_cannot_edit_a_booth(
    client: httpx.AsyncClient, db: AsyncSession, approved: bool
) -> None:
    expo = await open_expo(client)
    owner = await register(client, kind="supplier")
    if approved:
        _supplier, booth = await approved_booth(client, expo, owner, description="Original")
    else:
        booth = await apply_for_booth(
            client, owner, expo.event_id, expo.hall_id, description="Original"
        )
    for kind in ("supplier", "buyer"):
        intruder = await register(client, kind=kind)
        r = await client.patch(
            f"/api/v1/booths/{booth['id']}",
            json={"description": "Hijacked"},
            headers=intruder.headers,
        )
        assert r.status_code == 404, kind
        assert r.json()["error"]["code"] == "booth_not_found"
    assert (await _booth(db, booth["id"])).description == "Original"


async def test_the_organizer_cannot_edit_the_exhibitors_profile(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo, _supplier, booth = await _applied(client)
    r = await client.patch(
        f"/api/v1/booths/{booth['id']}",
        json={"description": "Written by the organizer"},
        headers=expo.organizer.headers,
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "exhibitor_required"
    assert (await _booth(db, booth["id"])).description == ""


async def test_editing_requires_sign_in(client: httpx.AsyncClient) -> None:
    _expo, _supplier, booth = await _applied(client)
    r = await client.patch(f"/api/v1/booths/{booth['id']}", json={"description": "x"})
    assert r.status_code == 401


INVALID_PROFILES: list[tuple[dict[str, Any], str | int]] = [
    ({"video_url": "javascript:alert(1)"}, "video_url"),
    ({"video_url": "ftp://files.example/video.mp4"}, "video_url"),
    ({"video_url": "https://v.example/" + "a" * 500}, "video_url"),
    ({"staff_count": -1}, "staff_count"),
    ({"annual_output_tonnes": "-0.01"}, "annual_output_tonnes"),
    ({"cold_storage_tonnes": -5}, "cold_storage_tonnes"),
    ({"cold_storage_tonnes": "1.234"}, "cold_storage_tonnes"),
    ({"cold_storage_tonnes": "NaN"}, "cold_storage_tonnes"),
    ({"founded_year": 1700}, "founded_year"),
    ({"founded_year": 2999}, "founded_year"),
    ({"export_markets": ["XX"]}, 0),
    ({"export_markets": ["EU"]}, 0),
    ({"certifications": [{"scheme": "BEST-FISH", "number": "1"}]}, "scheme"),
    ({"certifications": [{"scheme": "MSC", "number": ""}]}, "number"),
    ({"certifications": [{"scheme": "MSC", "number": "1", "expires_on": "31/01/2030"}]},
     "expires_on"),
    ({"certifications": [{"scheme": "MSC", "number": "1", "expires_on": "3030-01-01"}]},
     "expires_on"),
    ({"certifications": [{"scheme": "MSC", "number": "1", "valid": True}]}, "valid"),
    ({"certifications": [{"scheme": "MSC", "number": "1"}, {"scheme": "msc", "number": "1"}]},
     "certifications"),
    ({"description": None}, "description"),
    ({"description": "NUL \x00 is not text"}, "description"),
    ({"certifications": [{"scheme": "MSC", "number": "1\x07"}]}, "number"),
    ({"logo_id": 2**31}, "logo_id"),
    ({"certifications": None}, "certifications"),
    ({"status": "approved"}, "status"),
    ({"supplier_id": 1}, "supplier_id"),
    ({"rejection_reason": ""}, "rejection_reason"),
]


@pytest.mark.parametrize(("change", "field"), INVALID_PROFILES)
async def test_invalid_profile_is_422_and_changes_nothing(
    client: httpx.AsyncClient, db: AsyncSession, change: dict[str, Any], field: str | int
) -> None:
    _expo, supplier, booth = await _applied(client)
    url = f"/api/v1/booths/{booth['id']}"
    await client.patch(
        url,
        json={"description": "Kept", "certifications": [{"scheme": "ASC", "number": "A-1"}]},
        headers=supplier.headers,
    )
    # A valid field next to the invalid one must not be written either.
    r = await client.patch(url, json={"staff_count": 99, **change}, headers=supplier.headers)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert field in {d["loc"][-1] for d in error["details"]}, error["details"]
    stored = await _booth(db, booth["id"])
    assert (stored.description, stored.staff_count, stored.status) == ("Kept", None, "applied")
    assert await _certificates(db, booth["id"]) == [("ASC", "A-1")]


async def test_unknown_scheme_error_names_the_known_schemes(client: httpx.AsyncClient) -> None:
    _expo, supplier, booth = await _applied(client)
    r = await client.patch(
        f"/api/v1/booths/{booth['id']}",
        json={"certifications": [{"scheme": "BEST-FISH", "number": "1"}]},
        headers=supplier.headers,
    )
    detail = r.json()["error"]["details"][0]
    assert detail["type"] == "unknown_certification_scheme"
    assert "HACCP" in detail["msg"]
    assert "MSC" in detail["msg"]


@pytest.mark.parametrize("field", ["logo_id", "banner_id"])
async def test_images_must_be_the_exhibitors_own(
    client: httpx.AsyncClient, db: AsyncSession, field: str
) -> None:
    _expo, supplier, booth = await _applied(client)
    other = await register(client, kind="supplier")
    foreign = await create_media(db, other.organization_id)
    for media_id in (foreign, 999999):
        r = await client.patch(
            f"/api/v1/booths/{booth['id']}",
            json={"description": "Changed", field: media_id},
            headers=supplier.headers,
        )
        assert r.status_code == 422
        error = r.json()["error"]
        assert error["code"] == "invalid_media"
        assert error["details"][0]["loc"] == ["body", field]
    stored = await _booth(db, booth["id"])
    assert (stored.logo_id, stored.banner_id, stored.description) == (None, None, "")


async def test_hall_changes_only_while_the_application_is_pending(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo, supplier, booth = await _applied(client)
    url = f"/api/v1/booths/{booth['id']}"
    second_hall = expo.halls[1]["id"]
    r = await client.patch(url, json={"hall_id": second_hall}, headers=supplier.headers)
    assert r.status_code == 200
    assert r.json()["hall_id"] == second_hall

    await client.post(f"{url}/approve", headers=expo.organizer.headers)
    r = await client.patch(url, json={"hall_id": expo.hall_id}, headers=supplier.headers)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "booth_status_conflict"
    # Sending the current hall back is not a change.
    same = await client.patch(url, json={"hall_id": second_hall}, headers=supplier.headers)
    assert same.status_code == 200
    assert (await _booth(db, booth["id"])).hall_id == second_hall


async def test_hall_must_be_of_the_booths_event(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo, supplier, booth = await _applied(client)
    other = await open_expo(client)
    r = await client.patch(
        f"/api/v1/booths/{booth['id']}", json={"hall_id": other.hall_id},
        headers=supplier.headers,
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_hall"
    assert (await _booth(db, booth["id"])).hall_id == expo.hall_id


async def test_booths_of_a_closed_event_are_read_only(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client, status="live")
    supplier, booth = await approved_booth(client, expo)
    await move_event(client, expo.organizer, expo.event_id, "close")
    r = await client.patch(
        f"/api/v1/booths/{booth['id']}", json={"description": "After the fair"},
        headers=supplier.headers,
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "event_closed"
    count = await db.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "booth.updated")
    )
    assert count == 0
