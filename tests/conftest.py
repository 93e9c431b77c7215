"""Shared fixtures: one migrated database per run, a fresh app and client per test.

The database comes from TRADEHALL_TEST_DATABASE_URL (PostgreSQL in CI) or is a SQLite file.
Each test runs against the real app with real commits; rows are wiped after each test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.config import Settings
from app.db import create_engine, create_sessionmaker
from app.main import create_app
from app.models import Base
from tests.databases import migrated_database
from tests.factories import Account
from tests.web.helpers import Browser, new_browser, sign_in_via_form

TEST_SECRET = "test-secret-key-that-is-long-enough-for-anything"
TEST_DATABASE_URL = os.environ.get("TRADEHALL_TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TRADEHALL_TEST_REDIS_URL")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> str | None:
    return TEST_REDIS_URL


@pytest.fixture
def settings(database_url: str, redis_url: str | None, tmp_path: Path) -> Settings:
    return Settings(
        environment="dev",
        database_url=database_url,
        redis_url=redis_url,
        # A prefix per test: counters and channels never leak between tests or runs.
        redis_prefix=f"tradehall-test-{uuid.uuid4().hex[:8]}:",
        secret_key=TEST_SECRET,
        data_dir=tmp_path,
        base_url="http://testserver",
        allowed_origins=["http://testserver"],
    )


async def wipe_database(engine: AsyncEngine) -> None:
    # DELETE, children first, rather than TRUNCATE: a test leaves a handful of rows, and
    # TRUNCATE on PostgreSQL recreates every table's and index's files (slow, fsync-bound).
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as conn:
        for name in tables:
            await conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - fixed names


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    try:
        async with application.router.lifespan_context(application):
            yield application
    finally:
        # After shutdown, so that what the app flushes on the way out is wiped too.
        engine = create_engine(settings.effective_database_url)
        await wipe_database(engine)
        await engine.dispose()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def db(app: FastAPI) -> AsyncIterator[AsyncSession]:
    """A session on the app's database, for arranging data and checking what was written."""
    async with create_sessionmaker(app.state.engine)() as session:
        yield session


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(database_url)
    yield eng
    await eng.dispose()


@pytest.fixture
async def browser_for(app: FastAPI) -> AsyncIterator[Browser]:
    """A signed-in browser (its own cookie jar) per account, for page tests."""
    async with AsyncExitStack() as stack:

        async def open_for(account: Account) -> httpx.AsyncClient:
            browser = await stack.enter_async_context(new_browser(app))
            response = await sign_in_via_form(browser, account.email, account.password)
            assert response.status_code == 303, response.text
            return browser

        yield open_for
