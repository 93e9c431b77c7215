"""A PostgreSQL-backed app for the concurrency tests, whatever the suite's own database is."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI

from app import migrate
from app.config import Settings
from app.db import create_engine
from app.main import create_app
from tests.conftest import wipe_database
from tests.databases import (
    create_postgres_database,
    drop_postgres_database,
    in_thread,
    is_postgres,
    postgres_server_url,
)


@pytest.fixture(scope="module")
def postgres_url(database_url: str) -> Iterator[str]:
    if is_postgres(database_url):
        yield database_url
        return
    url = create_postgres_database(postgres_server_url())
    try:
        in_thread(lambda: migrate.upgrade(url))
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture
async def pg_app(settings: Settings, postgres_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(settings.model_copy(update={"database_url": postgres_url}))
    try:
        async with application.router.lifespan_context(application):
            yield application
    finally:
        engine = create_engine(postgres_url)
        await wipe_database(engine)
        await engine.dispose()


@pytest.fixture
async def pg_client(pg_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=pg_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
