"""Cached search results: shared while the catalog is unchanged, never served after a change.

The cache itself (`SearchCache`) is driven directly; the API tests change the catalog the way
users do (product edits, booth approval, renaming an organization, publishing an event) and
search again through the same app, and through a second app on the same Redis.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.main import create_app
from app.models import AuditEntry, Product
from app.search.cache import LocalGeneration, RedisGeneration, SearchCache
from app.search.changes import take_catalog_changed
from tests.factories import (
    Account,
    Expo,
    approved_booth,
    create_product,
    move_event,
    open_expo,
    register,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Computation:
    """A compute() that counts its calls and can be held until released."""

    def __init__(self, body: bytes = b"page", *, shareable: bool = True) -> None:
        self.body = body
        self.shareable = shareable
        self.calls = 0
        self.gate: asyncio.Event | None = None
        self.error: Exception | None = None

    async def __call__(self) -> tuple[bytes, bool]:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.error is not None:
            raise self.error
        return self.body, self.shareable


def local_cache(max_entries: int = 10, ttl: float = 60.0, clock: Clock | None = None
                ) -> SearchCache:
    return SearchCache(LocalGeneration(), max_entries=max_entries, ttl_seconds=ttl,
                       clock=clock or Clock())


async def until(condition: Any) -> None:
    """Let the other tasks run until `condition()` holds (no timing involved)."""
    while not condition():
        await asyncio.sleep(0)


# --- the cache -----------------------------------------------------------------------------


async def test_a_repeated_query_is_computed_once() -> None:
    cache = local_cache()
    compute = Computation()
    assert await cache.get_or_compute("q", compute) == b"page"
    assert await cache.get_or_compute("q", compute) == b"page"
    assert compute.calls == 1
    assert (cache.hits, cache.misses) == (1, 1)


async def test_a_catalog_change_makes_the_next_search_compute_again() -> None:
    cache = local_cache()
    compute = Computation()
    await cache.get_or_compute("q", compute)
    await cache.invalidate()
    compute.body = b"new page"
    assert await cache.get_or_compute("q", compute) == b"new page"
    assert compute.calls == 2


async def test_an_answer_computed_across_a_change_is_not_served_after_it() -> None:
    cache = local_cache()
    compute = Computation(b"read before the change")
    compute.gate = asyncio.Event()
    first = asyncio.create_task(cache.get_or_compute("q", compute))
    await until(lambda: compute.calls == 1)
    await cache.invalidate()  # a write commits while the search is reading
    compute.gate.set()
    assert await first == b"read before the change"  # its own caller gets what it read

    compute.gate = None
    compute.body = b"read after the change"
    assert await cache.get_or_compute("q", compute) == b"read after the change"


async def test_an_answer_for_one_caller_only_is_not_kept() -> None:
    cache = local_cache()
    compute = Computation(shareable=False)
    await cache.get_or_compute("q", compute)
    await cache.get_or_compute("q", compute)
    assert compute.calls == 2
    assert len(cache) == 0


async def test_concurrent_misses_share_one_computation() -> None:
    cache = local_cache()
    compute = Computation()
    compute.gate = asyncio.Event()
    callers = [asyncio.create_task(cache.get_or_compute("q", compute)) for _ in range(8)]
    await until(lambda: cache.misses == 8)
    compute.gate.set()
    assert await asyncio.gather(*callers) == [b"page"] * 8
    assert compute.calls == 1


async def test_when_the_first_computation_fails_the_waiters_compute_for_themselves() -> None:
    cache = local_cache()
    compute = Computation()
    compute.gate = asyncio.Event()
    compute.error = LookupError("no such event")
    callers = [asyncio.create_task(cache.get_or_compute("q", compute)) for _ in range(3)]
    await until(lambda: cache.misses == 3)
    compute.gate.set()
    results = await asyncio.gather(*callers, return_exceptions=True)
    assert all(isinstance(result, LookupError) for result in results)
    assert compute.calls == 3
    assert len(cache) == 0


async def test_a_waiter_that_gives_up_does_not_cancel_the_others() -> None:
    cache = local_cache()
    compute = Computation()
    compute.gate = asyncio.Event()
    leader = asyncio.create_task(cache.get_or_compute("q", compute))
    quitter = asyncio.create_task(cache.get_or_compute("q", compute))
    await until(lambda: cache.misses == 2)
    quitter.cancel()
    compute.gate.set()
    assert await leader == b"page"
    with pytest.raises(asyncio.CancelledError):
        await quitter


async def test_the_least_recently_used_entries_go_beyond_the_bound() -> None:
    cache = local_cache(max_entries=2)
    computations = {key: Computation(key.encode()) for key in "abc"}
    await cache.get_or_compute("a", computations["a"])
    await cache.get_or_compute("b", computations["b"])
    await cache.get_or_compute("a", computations["a"])  # a is now the most recent
    await cache.get_or_compute("c", computations["c"])  # evicts b
    assert len(cache) == 2
    await cache.get_or_compute("a", computations["a"])
    await cache.get_or_compute("b", computations["b"])
    assert (computations["a"].calls, computations["b"].calls) == (1, 2)


async def test_entries_expire_after_the_ttl() -> None:
    clock = Clock()
    cache = local_cache(ttl=60, clock=clock)
    compute = Computation()
    await cache.get_or_compute("q", compute)
    clock.now += 59
    await cache.get_or_compute("q", compute)
    assert compute.calls == 1
    clock.now += 2
    await cache.get_or_compute("q", compute)
    assert compute.calls == 2


async def test_zero_entries_turns_the_cache_off() -> None:
    cache = local_cache(max_entries=0)
    compute = Computation()
    await cache.get_or_compute("q", compute)
    await cache.get_or_compute("q", compute)
    assert compute.calls == 2


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_without_redis_searches_are_answered_uncached() -> None:
    redis = Redis(host="127.0.0.1", port=_closed_port(), socket_connect_timeout=1)
    cache = SearchCache(RedisGeneration(redis, "t:"), max_entries=10, ttl_seconds=60)
    compute = Computation()
    try:
        assert await cache.get_or_compute("q", compute) == b"page"
        assert await cache.get_or_compute("q", compute) == b"page"
        await cache.invalidate()  # logged, not raised: the writer's commit already happened
    finally:
        await redis.aclose()
    assert compute.calls == 2


# --- what marks a unit of work as a catalog change -----------------------------------------


async def test_bulk_updates_and_orm_writes_to_products_mark_the_session(
    db: AsyncSession, client: httpx.AsyncClient
) -> None:
    supplier = await register(client, kind="supplier")
    product = await create_product(client, supplier)
    await db.execute(update(Product).where(Product.id == product["id"]).values(moq=5))
    assert take_catalog_changed(db.sync_session)
    assert not take_catalog_changed(db.sync_session)  # taken once

    row = await db.get(Product, product["id"])
    assert row is not None
    row.name = "Frozen shrimp, renamed"
    await db.flush()
    assert take_catalog_changed(db.sync_session)
    await db.rollback()


async def test_writes_elsewhere_do_not_mark_the_session(
    db: AsyncSession, client: httpx.AsyncClient
) -> None:
    supplier = await register(client, kind="supplier")
    db.add(AuditEntry(actor_user_id=supplier.user_id, action="test.nothing",
                      subject_type="test", subject_id="1"))
    await db.flush()
    assert not take_catalog_changed(db.sync_session)
    await db.rollback()


# --- through the API -----------------------------------------------------------------------


def search_url(expo: Expo) -> str:
    return f"/api/v1/events/{expo.event_id}/products"


async def search(client: httpx.AsyncClient, expo: Expo, **params: Any) -> dict[str, Any]:
    response = await client.get(search_url(expo), params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def shrimp_expo(client: httpx.AsyncClient) -> tuple[Expo, Account, dict[str, Any]]:
    expo = await open_expo(client, status="live")
    supplier, _booth = await approved_booth(client, expo)
    product = await create_product(client, supplier)
    return expo, supplier, product


async def test_a_saved_product_shows_in_the_next_search(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    expo, supplier, product = await shrimp_expo(client)
    assert [i["name"] for i in (await search(client, expo, q="shrimp"))["items"]] == [
        product["name"]
    ]
    assert (await search(client, expo, q="shrimp"))["total"] == 1
    assert app.state.search_cache.hits >= 1  # the repeat was served from the cache

    response = await client.patch(
        f"/api/v1/products/{product['id']}",
        json={"name": "Frozen whiteleg shrimp PD 26/30"},
        headers=supplier.headers,
    )
    assert response.status_code == 200, response.text
    assert [i["name"] for i in (await search(client, expo, q="shrimp"))["items"]] == [
        "Frozen whiteleg shrimp PD 26/30"
    ]

    second = await create_product(client, supplier, name="Frozen black tiger shrimp")
    found = await search(client, expo, q="shrimp")
    assert found["total"] == 2
    assert second["id"] in [i["id"] for i in found["items"]]

    response = await client.delete(f"/api/v1/products/{second['id']}", headers=supplier.headers)
    assert response.status_code in (200, 204), response.text
    assert (await search(client, expo, q="shrimp"))["total"] == 1


async def test_booth_approval_and_a_supplier_rename_show_in_the_next_search(
    client: httpx.AsyncClient,
) -> None:
    expo, supplier, product = await shrimp_expo(client)
    newcomer = await register(client, kind="supplier")
    await create_product(client, newcomer, name="Frozen squid tubes")
    assert (await search(client, expo, q="squid"))["total"] == 0
    await approved_booth(client, expo, newcomer)
    assert (await search(client, expo, q="squid"))["total"] == 1

    assert supplier.organization_id is not None
    response = await client.patch(
        f"/api/v1/organizations/{supplier.organization_id}",
        json={"name": "Fuqing Ocean Harvest Co."}, headers=supplier.headers,
    )
    assert response.status_code == 200, response.text
    items = (await search(client, expo, q="shrimp"))["items"]
    assert [i["supplier"]["name"] for i in items if i["id"] == product["id"]] == [
        "Fuqing Ocean Harvest Co."
    ]


async def test_a_draft_events_results_are_never_shared(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client, status="draft")
    organizer = expo.organizer
    response = await client.get(search_url(expo), headers=organizer.headers)
    assert response.status_code == 200
    again = await client.get(search_url(expo))  # same query, anonymous, just after
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "event_not_found"

    await move_event(client, organizer, expo.event_id, "publish")
    assert (await client.get(search_url(expo))).status_code == 200


@pytest.fixture
async def second_node(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Another app on the same database and Redis: a second node of one deployment."""
    if settings.redis_url is None:
        pytest.skip("two nodes share the catalog generation through Redis")
    node = create_app(settings)
    async with node.router.lifespan_context(node):
        transport = httpx.ASGITransport(app=node)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


async def test_a_change_saved_on_one_node_shows_in_the_next_search_on_another(
    client: httpx.AsyncClient, second_node: httpx.AsyncClient
) -> None:
    expo, supplier, product = await shrimp_expo(client)
    assert (await search(client, expo, q="shrimp"))["items"][0]["moq"] == product["moq"]
    assert (await search(second_node, expo, q="shrimp"))["total"] == 1

    response = await second_node.patch(
        f"/api/v1/products/{product['id']}", json={"moq": "2500"}, headers=supplier.headers
    )
    assert response.status_code == 200, response.text
    assert (await search(client, expo, q="shrimp"))["items"][0]["moq"] == "2500"
