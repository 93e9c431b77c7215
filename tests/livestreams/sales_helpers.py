"""Factories for the sales tests (quote requests, flash offers, claims, the funnel)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Booth
from tests.factories import Account
from tests.livestreams.helpers import API, LiveShow


def flash_body(product_id: int, /, **overrides: Any) -> dict[str, Any]:
    """10 kg of the product at USD 5.90, FOB Fuzhou, 30% deposit, for an hour."""
    body: dict[str, Any] = {
        "product_id": product_id,
        "unit_price": "5.90",
        "quantity": "10",
        "duration_minutes": 60,
        "incoterm": "FOB",
        "named_place": "Fuzhou",
        "deposit_percent": "30",
        "balance_terms": "70% against B/L copy",
    }
    body.update(overrides)
    return body


async def publish_flash(
    client: httpx.AsyncClient, live: LiveShow, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/livestreams/{live.show_id}/flash-offers",
        json=flash_body(live.product_id, **overrides), headers=live.host.headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def claim(
    client: httpx.AsyncClient, account: Account, flash_id: int, quantity: str = "1"
) -> httpx.Response:
    return await client.post(f"{API}/flash-offers/{flash_id}/claims",
                             json={"quantity": quantity}, headers=account.headers)


async def ask_quote(
    client: httpx.AsyncClient, account: Account, show_id: int, **body: Any
) -> httpx.Response:
    return await client.post(f"{API}/livestreams/{show_id}/quote-requests", json=body,
                             headers=account.headers)


async def hide_booth(db: AsyncSession, live: LiveShow) -> None:
    """Take the booth back to ``applied``: the show is then seen by its two parties only
    (there is no API step back from approved, so the test arranges it)."""
    await db.execute(update(Booth).where(Booth.id == live.booth_id).values(status="applied"))
    await db.commit()


def error_code(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])
