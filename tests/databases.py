"""Fresh, throw-away databases for a test run: a SQLite file, or a new PostgreSQL database."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from app import migrate

T = TypeVar("T")


def in_thread(fn: Callable[[], T]) -> T:
    """Run blocking code that calls asyncio.run (Alembic's env) off any running loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


def is_postgres(url: str | None) -> bool:
    return bool(url) and make_url(str(url)).get_backend_name() == "postgresql"


def _admin_dsn(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database="postgres")
    return parsed.render_as_string(hide_password=False)


def create_postgres_database(server_url: str) -> str:
    """Create an empty database next to ``server_url``'s and return its SQLAlchemy URL."""
    name = f"tradehall_test_{uuid.uuid4().hex[:12]}"

    async def create() -> None:
        conn = await asyncpg.connect(_admin_dsn(server_url))
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    in_thread(lambda: asyncio.run(create()))
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database

    async def drop() -> None:
        conn = await asyncpg.connect(_admin_dsn(url))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    in_thread(lambda: asyncio.run(drop()))


def sqlite_url(directory: Path, name: str = "tradehall.db") -> str:
    return f"sqlite+aiosqlite:///{(directory / name).as_posix()}"


@contextmanager
def migrated_database(scratch: Path) -> Iterator[str]:
    """A fresh database with every migration applied, gone afterwards: a new PostgreSQL
    database when TRADEHALL_TEST_DATABASE_URL names PostgreSQL, else a SQLite file in
    ``scratch``."""
    server_url = os.environ.get("TRADEHALL_TEST_DATABASE_URL")
    if server_url and is_postgres(server_url):
        url = create_postgres_database(server_url)
        try:
            in_thread(lambda: migrate.upgrade(url))
            yield url
        finally:
            drop_postgres_database(url)
    else:
        url = sqlite_url(scratch)
        in_thread(lambda: migrate.upgrade(url))
        yield url


def _require_services() -> bool:
    return os.environ.get("TRADEHALL_TEST_REQUIRE_SERVICES") == "1"


def postgres_server_url() -> str:
    """A PostgreSQL server for tests that need one, whatever the suite's main database is.

    Missing: the test is skipped on a developer's machine, and fails where services are
    required (CI sets TRADEHALL_TEST_REQUIRE_SERVICES=1), so CI never skips silently.
    """
    for name in ("TRADEHALL_TEST_POSTGRES_URL", "TRADEHALL_TEST_DATABASE_URL"):
        url = os.environ.get(name)
        if is_postgres(url):
            return str(url)
    message = "needs PostgreSQL: set TRADEHALL_TEST_POSTGRES_URL"
    if _require_services():
        pytest.fail(message)
    pytest.skip(message)


def redis_server_url() -> str:
    url = os.environ.get("TRADEHALL_TEST_REDIS_URL")
    if url:
        return url
    message = "needs Redis: set TRADEHALL_TEST_REDIS_URL"
    if _require_services():
        pytest.fail(message)
    pytest.skip(message)
