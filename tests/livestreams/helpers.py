"""Small factories for livestream tests, through the public API as a client would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.factories import (
    Account,
    Expo,
    approved_booth,
    create_product,
    open_expo,
    register,
)

API = "/api/v1"


def show_body(**overrides: Any) -> dict[str, Any]:
    """A valid body for POST /booths/{id}/livestreams: a show tomorrow, HLS playback."""
    body: dict[str, Any] = {
        "title": "Live from the shrimp farm",
        "title_zh": "养殖场直播",
        "description": "Harvest, grading and block freezing, with today's prices.",
        "scheduled_start": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        "playback_url": "https://stream.example.com/live/shrimp/index.m3u8",
    }
    body.update(overrides)
    return body


async def create_show(
    client: httpx.AsyncClient, host: Account, booth_id: int, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/booths/{booth_id}/livestreams", json=show_body(**overrides),
        headers=host.headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _act(
    client: httpx.AsyncClient, account: Account, method: str, path: str,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    response = await client.request(method, f"{API}{path}", json=body, headers=account.headers)
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


async def start_show(client: httpx.AsyncClient, host: Account, show_id: int) -> dict[str, Any]:
    return await _act(client, host, "POST", f"/livestreams/{show_id}/start")


async def end_show(client: httpx.AsyncClient, host: Account, show_id: int) -> dict[str, Any]:
    return await _act(client, host, "POST", f"/livestreams/{show_id}/end")


async def pin(
    client: httpx.AsyncClient, host: Account, show_id: int, product_id: int
) -> dict[str, Any]:
    """Pin a product; returns its ProductCard."""
    return await _act(client, host, "PUT", f"/livestreams/{show_id}/pin",
                      {"product_id": product_id})


async def send_chat(
    client: httpx.AsyncClient, account: Account, show_id: int, body: str = "Hello!",
    client_msg_id: Any = None,
) -> httpx.Response:
    """POST a chat line; with ``client_msg_id`` when one is given (any JSON value, so that
    tests can send wrong ones)."""
    data: dict[str, Any] = {"body": body}
    if client_msg_id is not None:
        data["client_msg_id"] = client_msg_id
    return await client.post(f"{API}/livestreams/{show_id}/chat", json=data,
                             headers=account.headers)


async def replay(client: httpx.AsyncClient, account: Account | None, show_id: int,
                 **params: Any) -> list[dict[str, Any]]:
    response = await client.get(f"{API}/livestreams/{show_id}/chat", params=params,
                                headers=account.headers if account else {})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def walk(
    client: httpx.AsyncClient, url: str, limit: int, headers: dict[str, str] | None = None,
    **params: Any,
) -> list[dict[str, Any]]:
    """Every item of a paginated list, following ``next_cursor`` as a client would: each
    page but the last is full, and the last one says there is nothing more."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(100):  # a cursor that never ends the walk fails here, not by hanging
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = await client.get(url, params=query, headers=headers or {})
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            assert len(page["items"]) <= limit
            return items
        assert len(page["items"]) == limit
    raise AssertionError("the list never ended")


@dataclass
class LiveShow:
    """An event with an organizer, a supplier (the host) with an approved booth and a
    product, the booth's show (live unless asked otherwise), and a buyer to watch it."""

    expo: Expo
    host: Account
    booth: dict[str, Any]
    product: dict[str, Any]
    show: dict[str, Any]
    buyer: Account

    @property
    def organizer(self) -> Account:
        return self.expo.organizer

    @property
    def supplier(self) -> Account:
        return self.host

    @property
    def event_id(self) -> int:
        return self.expo.event_id

    @property
    def booth_id(self) -> int:
        return int(self.booth["id"])

    @property
    def product_id(self) -> int:
        return int(self.product["id"])

    @property
    def show_id(self) -> int:
        return int(self.show["id"])


async def live_show_setup(
    client: httpx.AsyncClient, *, live: bool = True, **show_overrides: Any
) -> LiveShow:
    """Everything a room test needs; ``live=False`` leaves the show scheduled."""
    expo = await open_expo(client)
    host, booth = await approved_booth(client, expo)
    product = await create_product(client, host)
    show = await create_show(client, host, int(booth["id"]), **show_overrides)
    if live:
        show = await start_show(client, host, int(show["id"]))
    buyer = await register(client, kind="buyer", country="ES")
    return LiveShow(expo=expo, host=host, booth=booth, product=product, show=show, buyer=buyer)


@dataclass
class Published:
    topic: str
    event: str
    data: dict[str, Any]


class EventLog:
    """What the app's hub publishes while installed (events reach the hub after commit, so
    by the time a request's response arrives its events are here)."""

    def __init__(self, app: Any) -> None:
        self.hub = app.state.hub
        self.events: list[Published] = []
        self._original: Any = None

    def __enter__(self) -> EventLog:
        original = self._original = self.hub.publish

        async def spy(event: Any) -> None:
            self.events.append(Published(event.topic, event.event, dict(event.data)))
            await original(event)

        self.hub.publish = spy
        return self

    def __exit__(self, *_: object) -> None:
        self.hub.publish = self._original

    def on(self, topic: str, event: str | None = None) -> list[Published]:
        return [e for e in self.events
                if e.topic == topic and (event is None or e.event == event)]


async def principal_of(session: Any, account: Account) -> Any:
    """The account's Principal, for calling services directly (e.g. with an injected now)."""
    from app.accounts import service as accounts

    principal = await accounts.resolve_principal(session, account.token, kind="api")
    assert principal is not None
    return principal


async def audit_actions(app: Any, show_id: int) -> list[str]:
    """The audit trail's actions about a show, oldest first (read in a fresh session)."""
    from app.audit import service as audit
    from app.db import create_sessionmaker

    async with create_sessionmaker(app.state.engine)() as session:
        return [e.action for e in await audit.entries_for(session, "livestream", show_id)]


async def insert_show(app: Any, booth: dict[str, Any], **values: Any) -> int:
    """A show written straight into the database, for booths the API would refuse (not
    approved): what visibility must still hide."""
    from app.db import create_sessionmaker
    from app.models import Livestream

    async with create_sessionmaker(app.state.engine)() as session:
        fields: dict[str, Any] = {
            "title": "Backstage", "scheduled_start": datetime.now(UTC) + timedelta(days=1),
            "playback_url": "https://stream.example.com/x.m3u8", "status": "scheduled",
            **values,
        }
        show = Livestream(booth_id=booth["id"], event_id=booth["event_id"],
                          supplier_id=booth["supplier_id"], **fields)
        session.add(show)
        await session.commit()
        return int(show.id)
