"""Small helpers that create test data through the public API, as a client would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@dataclass
class Account:
    email: str
    password: str
    user_id: int
    organization_id: int | None
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}@example.com"


async def register(
    client: httpx.AsyncClient,
    *,
    kind: str = "supplier",
    email: str | None = None,
    organization_name: str | None = None,
    country: str = "CN",
    **extra: Any,
) -> Account:
    email = email or unique_email(kind)
    body = {
        "email": email,
        "password": PASSWORD,
        "full_name": f"Test {kind.title()}",
        "organization": {
            "name": organization_name or f"{kind.title()} Co {next(_counter)}",
            "kind": kind,
            "country": country,
            "languages": ["zh", "en"],
        },
        **extra,
    }
    response = await client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    token = await login(client, email)
    return Account(
        email=email,
        password=PASSWORD,
        user_id=data["user"]["id"],
        organization_id=data["organization"]["id"],
        token=token,
    )


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


# --- events, halls, booths ----------------------------------------------------------------


def event_body(**overrides: Any) -> dict[str, Any]:
    """A valid body for POST /events (a week-long expo in Fuqing's time zone)."""
    return {
        "title": f"Seafood Expo {next(_counter)}",
        "title_zh": "海鲜博览会",
        "theme": "Frozen and dried seafood",
        "time_zone": "Asia/Shanghai",
        "starts_at": "2031-05-10T09:00:00+08:00",
        "ends_at": "2031-05-17T18:00:00+08:00",
        **overrides,
    }


async def create_event(
    client: httpx.AsyncClient, organizer: Account, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/events", json=event_body(**overrides), headers=organizer.headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def create_hall(
    client: httpx.AsyncClient, organizer: Account, event_id: int, name: str | None = None
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/events/{event_id}/halls",
        json={"name": name or f"Hall {next(_counter)}"},
        headers=organizer.headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def move_event(
    client: httpx.AsyncClient, organizer: Account, event_id: int, action: str
) -> dict[str, Any]:
    """``action``: publish, go-live or close."""
    response = await client.post(
        f"/api/v1/events/{event_id}/{action}", headers=organizer.headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


@dataclass
class Expo:
    organizer: Account
    event: dict[str, Any]
    halls: list[dict[str, Any]]

    @property
    def event_id(self) -> int:
        return int(self.event["id"])

    @property
    def hall_id(self) -> int:
        return int(self.halls[0]["id"])


async def open_expo(
    client: httpx.AsyncClient, *, halls: int = 1, status: str = "published"
) -> Expo:
    """An organizer's event with halls, published (or left as ``draft``, or taken ``live``)."""
    organizer = await register(client, kind="organizer")
    event = await create_event(client, organizer)
    made = [await create_hall(client, organizer, event["id"]) for _ in range(halls)]
    if status in ("published", "live"):
        event = await move_event(client, organizer, event["id"], "publish")
    if status == "live":
        event = await move_event(client, organizer, event["id"], "go-live")
    return Expo(organizer=organizer, event=event, halls=made)


async def apply_for_booth(
    client: httpx.AsyncClient, supplier: Account, event_id: int, hall_id: int, **body: Any
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/events/{event_id}/booths",
        json={"hall_id": hall_id, **body},
        headers=supplier.headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def approved_booth(
    client: httpx.AsyncClient, expo: Expo, supplier: Account | None = None, **body: Any
) -> tuple[Account, dict[str, Any]]:
    """A supplier (new unless given) with an approved booth in the expo's first hall."""
    supplier = supplier or await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id, **body)
    response = await client.post(
        f"/api/v1/booths/{booth['id']}/approve", headers=expo.organizer.headers
    )
    assert response.status_code == 200, response.text
    return supplier, dict(response.json())


# --- products and media -------------------------------------------------------------------


def image_bytes(
    fmt: str = "PNG", size: tuple[int, int] = (64, 48), color: str = "#2a7ab0"
) -> bytes:
    """A small real image, made with Pillow."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


async def upload_image(
    client: httpx.AsyncClient,
    account: Account,
    data: bytes | None = None,
    filename: str = "photo.png",
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/media",
        files={"file": (filename, data if data is not None else image_bytes(), "image/png")},
        headers=account.headers,
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def product_body(**overrides: Any) -> dict[str, Any]:
    """A valid product: frozen whiteleg shrimp from Fujian, priced in USD in two tiers."""
    body: dict[str, Any] = {
        "name": "Frozen whiteleg shrimp HOSO 31/40",
        "name_zh": "冷冻南美白对虾 带头带壳 31/40",
        "description": "Block frozen, head-on shell-on, farmed in Fujian.",
        "description_zh": "块冻，带头带壳，福建养殖。",
        "category": "frozen_shrimp",
        "hs_code": "0306.17",
        "species": "Whiteleg shrimp",
        "latin_name": "Penaeus vannamei",
        "specifications": [
            {"key": "Size", "value": "31/40 pcs/lb"},
            {"key": "Glazing", "value": "10%"},
        ],
        "unit": "kg",
        "moq": "1000",
        "price_tiers": [
            {"min_quantity": "1000", "unit_price": "6.80"},
            {"min_quantity": "5000", "unit_price": "6.45"},
        ],
        "currency": "USD",
        "incoterms": ["FOB", "CFR"],
        "port_of_loading": "Fuzhou",
        "lead_time_days": 21,
        "monthly_capacity": "200000",
        "certifications": ["HACCP", "BAP"],
        "origin_country": "CN",
        "origin_region": "Fujian",
    }
    body.update(overrides)
    return body


async def create_product(
    client: httpx.AsyncClient, account: Account, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/products", json=product_body(**overrides), headers=account.headers
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def count_rows(app: Any, model: Any, *where: Any) -> int:
    """Rows of a table right now (a fresh session, so never a stale snapshot)."""
    from sqlalchemy import func, select

    from app.db import create_sessionmaker

    async with create_sessionmaker(app.state.engine)() as session:
        query = select(func.count()).select_from(model)
        if where:
            query = query.where(*where)
        return int(await session.scalar(query) or 0)


# --- colleagues --------------------------------------------------------------------------


async def add_colleague(client: httpx.AsyncClient, db: Any, owner: Account) -> Account:
    """A plain ``member`` of the owner's organization, joined through the invitation link.

    ``db`` is the test's AsyncSession: the link is read from the email outbox, as a person
    would read it from their mailbox.
    """
    import re

    from sqlalchemy import select

    from app.models import OutboxEmail

    email = unique_email("colleague")
    invited = await client.post(
        f"/api/v1/organizations/{owner.organization_id}/invitations",
        json={"email": email, "role": "member"},
        headers=owner.headers,
    )
    assert invited.status_code == 201, invited.text
    body = await db.scalar(
        select(OutboxEmail.body_text)
        .where(OutboxEmail.to_address == email)
        .order_by(OutboxEmail.id.desc())
    )
    match = re.search(r"token=([A-Za-z0-9_\-]+)", body or "")
    assert match, body
    accepted = await client.post(
        "/api/v1/invitations/accept",
        json={"token": match.group(1), "full_name": "Test Colleague", "password": PASSWORD},
    )
    assert accepted.status_code == 201, accepted.text
    return Account(
        email=email,
        password=PASSWORD,
        user_id=int(accepted.json()["id"]),
        organization_id=owner.organization_id,
        token=await login(client, email),
    )


# --- negotiations and offers ---------------------------------------------------------------


@dataclass
class Deal:
    """A buyer and a supplier (each an org owner) negotiating about the supplier's product."""

    buyer: Account
    supplier: Account
    product: dict[str, Any]
    negotiation: dict[str, Any]

    @property
    def negotiation_id(self) -> int:
        return int(self.negotiation["id"])


async def create_negotiation(
    client: httpx.AsyncClient, *, buyer: Account | None = None,
    supplier: Account | None = None, message: str = "Can you quote 2 containers?",
) -> Deal:
    buyer = buyer or await register(client, kind="buyer", country="ES")
    supplier = supplier or await register(client, kind="supplier")
    product = await create_product(client, supplier)
    response = await client.post(
        "/api/v1/negotiations",
        json={"subject_type": "product", "subject_id": product["id"], "message": message},
        headers=buyer.headers,
    )
    assert response.status_code == 201, response.text
    return Deal(buyer, supplier, product, dict(response.json()))


def offer_body(product_id: int | None = None, **overrides: Any) -> dict[str, Any]:
    """Valid terms: 2 lines of shrimp, USD, FOB Fuzhou, 30% deposit, valid for a week."""
    from datetime import UTC, datetime, timedelta

    body: dict[str, Any] = {
        "lines": [
            {"product_id": product_id, "description": "" if product_id else "Shrimp 31/40",
             "quantity": "20000", "unit": "kg", "unit_price": "6.45"},
            {"description": "Shrimp 41/50", "quantity": "5000", "unit": "kg",
             "unit_price": "5.90"},
        ],
        "currency": "USD",
        "incoterm": "FOB",
        "named_place": "Fuzhou",
        "shipment_date": "2031-06-30",
        "deposit_percent": "30",
        "balance_terms": "70% against B/L copy",
        "valid_until": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
        "notes": "",
    }
    body.update(overrides)
    return body


async def propose_offer(
    client: httpx.AsyncClient, deal: Deal, proposer: Account | None = None, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/negotiations/{deal.negotiation_id}/offers",
        json=offer_body(deal.product["id"], **overrides),
        headers=(proposer or deal.supplier).headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())
