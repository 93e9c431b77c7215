from __future__ import annotations

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis

from app.config import Settings
from app.main import create_app


async def test_healthz_is_up(client: httpx.AsyncClient) -> None:
    r = await client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


async def test_readyz_checks_the_database(client: httpx.AsyncClient, settings: Settings) -> None:
    r = await client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["checks"]["database"] == "ok"
    if settings.redis_url:
        assert r.json()["checks"]["redis"] == "ok"
    else:
        assert "redis" not in r.json()["checks"]


async def test_readyz_reports_unreachable_redis_as_503(settings: Settings) -> None:
    # A port nothing listens on: a closed local port answers "connection refused" at once.
    broken = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    app: FastAPI = create_app(broken)
    async with app.router.lifespan_context(app):
        redis: Redis = app.state.redis
        assert redis is not None
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            r = await c.get("/readyz")
    assert r.status_code == 503
    assert r.json()["checks"]["database"] == "ok"
    assert r.json()["checks"]["redis"].startswith("error")


async def test_api_responses_carry_request_id(client: httpx.AsyncClient) -> None:
    r = await client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert r.headers["X-Request-ID"] == "abc123"
    generated = await client.get("/healthz")
    assert len(generated.headers["X-Request-ID"]) == 32


async def test_openapi_document_lists_the_contract_paths(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/organizations/{organization_id}",
        "/api/v1/organizations/{organization_id}/invitations",
    ]:
        assert path in paths
