"""Matchmaking test data, made through the public API as a client would."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import MatchmakingSession
from tests.factories import (
    Account,
    Expo,
    approved_booth,
    create_event,
    create_hall,
    create_product,
    move_event,
    open_expo,
    register,
)

# The factories' expo runs 2031-05-10 to 05-17 in Asia/Shanghai.
DAY = "2031-05-12"


def session_body(**overrides: Any) -> dict[str, Any]:
    """A morning of six 30-minute slots, registration open until the day before."""
    return {
        "title": "Seafood buyers meet Fuqing exporters",
        "windows": [{"date": DAY, "start": "09:00", "end": "12:00"}],
        "slot_minutes": 30,
        "max_meetings": 4,
        "registration_deadline": "2031-05-11T18:00:00+08:00",
        **overrides,
    }


@dataclass
class Setup:
    """An expo with a matchmaking session."""

    client: httpx.AsyncClient
    expo: Expo
    session: dict[str, Any]
    buyers: list[tuple[Account, dict[str, Any]]] = field(default_factory=list)
    suppliers: list[tuple[Account, dict[str, Any]]] = field(default_factory=list)

    @property
    def organizer(self) -> Account:
        return self.expo.organizer

    @property
    def id(self) -> int:
        return int(self.session["id"])

    @property
    def url(self) -> str:
        return f"/api/v1/matchmaking-sessions/{self.id}"


async def create_session(
    client: httpx.AsyncClient, expo: Expo, **overrides: Any
) -> dict[str, Any]:
    response = await post_session(client, expo, **overrides)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def post_session(client: httpx.AsyncClient, expo: Expo, **overrides: Any
                       ) -> httpx.Response:
    return await client.post(f"/api/v1/events/{expo.event_id}/matchmaking-sessions",
                             json=session_body(**overrides), headers=expo.organizer.headers)


async def zoned_expo(client: httpx.AsyncClient, time_zone: str, starts_at: str, ends_at: str
                     ) -> Expo:
    """A published expo with one hall in ``time_zone`` (for sessions across DST changes)."""
    organizer = await register(client, kind="organizer")
    event = await create_event(client, organizer, time_zone=time_zone, starts_at=starts_at,
                               ends_at=ends_at)
    hall = await create_hall(client, organizer, event["id"])
    event = await move_event(client, organizer, event["id"], "publish")
    return Expo(organizer, event, [hall])


async def setup(client: httpx.AsyncClient, **overrides: Any) -> Setup:
    expo = await open_expo(client)
    return Setup(client, expo, await create_session(client, expo, **overrides))


def buyer_needs(**overrides: Any) -> dict[str, Any]:
    return {
        "categories": ["frozen_shrimp"],
        "hs_codes": ["0306"],
        "yearly_volume": "20",
        "volume_unit": "t",
        "price_max": "7.00",
        "currency": "USD",
        "certifications": ["BAP"],
        "incoterms": ["CFR"],
        "destination_port": "Valencia",
        **overrides,
    }


async def register_buyer(
    s: Setup, buyer: Account | None = None, *, country: str = "ES", **body: Any
) -> tuple[Account, dict[str, Any]]:
    buyer = buyer or await register(s.client, kind="buyer", country=country)
    payload = {"needs": buyer_needs(), **body}
    response = await s.client.post(f"{s.url}/participants", json=payload,
                                   headers=buyer.headers)
    assert response.status_code == 201, response.text
    s.buyers.append((buyer, response.json()))
    return buyer, dict(response.json())


async def register_supplier(
    s: Setup, supplier: Account | None = None, *, product: dict[str, Any] | None = None,
    booth: dict[str, Any] | None = None, **body: Any,
) -> tuple[Account, dict[str, Any]]:
    """A supplier with an approved booth and one product (the factories' shrimp unless
    ``product`` overrides its fields), registered in the session."""
    supplier, _booth = await approved_booth(s.client, s.expo, supplier)
    if booth:
        updated = await s.client.patch(f"/api/v1/booths/{_booth['id']}", json=booth,
                                       headers=supplier.headers)
        assert updated.status_code == 200, updated.text
    await create_product(s.client, supplier, **(product or {}))
    response = await s.client.post(f"{s.url}/participants", json=body, headers=supplier.headers)
    assert response.status_code == 201, response.text
    s.suppliers.append((supplier, response.json()))
    return supplier, dict(response.json())


async def close_registration(s: Setup) -> None:
    """The organizer moves the deadline into the past (registration closes now)."""
    response = await s.client.patch(
        s.url, json={"registration_deadline": "2020-01-01T00:00:00Z"},
        headers=s.organizer.headers,
    )
    assert response.status_code == 200, response.text


async def request_meeting(
    s: Setup, sender: Account, recipient_id: int, note: str = "Let's talk shrimp"
) -> httpx.Response:
    return await s.client.post(f"{s.url}/meeting-requests",
                               json={"recipient_id": recipient_id, "note": note},
                               headers=sender.headers)


@dataclass
class Board:
    s: Setup

    def buyer(self, i: int) -> int:
        return int(self.s.buyers[i][1]["id"])

    def supplier(self, i: int) -> int:
        return int(self.s.suppliers[i][1]["id"])

    async def add(self, buyer: int, supplier: int, slot: int, account: Account | None = None
                  ) -> httpx.Response:
        return await self.s.client.post(
            f"{self.s.url}/meetings",
            json={"buyer_id": buyer, "supplier_id": supplier, "slot_index": slot},
            headers=(account or self.s.organizer).headers)


async def scheduled_board(client: httpx.AsyncClient, db: AsyncSession) -> Board:
    """Two buyers (the first free only 09:00-10:00 Shanghai: slots 0 and 1), three
    suppliers, one table per slot, two meetings each at most; the session is scheduled
    (set directly: these tests are about the hand edits, not the solver)."""
    s = await setup(client, capacity=1, max_meetings=2)
    await register_buyer(s, time_zone="Asia/Shanghai",
                         availability=[{"date": "2031-05-12", "start": "09:00", "end": "10:00"}])
    await register_buyer(s)
    for _ in range(3):
        await register_supplier(s)
    await db.execute(update(MatchmakingSession).where(MatchmakingSession.id == s.id)
                     .values(status="scheduled"))
    await db.commit()
    return Board(s)
