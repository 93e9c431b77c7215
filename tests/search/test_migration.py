"""The search migration: its objects exist after upgrade, vanish on downgrade, index rows that
were there before, and stay invisible to autogenerate (through app.search.ddl.include_name)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from app import migrate
from app.db import create_engine
from app.models import Base
from app.search.ddl import FTS_TABLE, POSTGRES_INDEXES, include_name
from tests.databases import (
    create_postgres_database,
    drop_postgres_database,
    in_thread,
    postgres_server_url,
    sqlite_url,
)

SEARCH_REVISION = "578d864d112e"
PREVIOUS_REVISION = "f91942cdf6b1"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path, "search-migration.db")
        return
    url = create_postgres_database(postgres_server_url())
    try:
        yield url
    finally:
        drop_postgres_database(url)


def run(url: str, fn: Any) -> Any:
    async def go() -> Any:
        engine = create_engine(url)
        try:
            async with engine.begin() as conn:
                return await conn.run_sync(fn)
        finally:
            await engine.dispose()

    return in_thread(lambda: asyncio.run(go()))


def search_objects(conn: Connection) -> set[str]:
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text(
            "SELECT name FROM sqlite_master WHERE name LIKE 'product_search%'"
        ))
    else:
        rows = conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'products'"))
    return {row[0] for row in rows} & (
        {FTS_TABLE, "product_search_ai", "product_search_au", "product_search_ad"}
        | POSTGRES_INDEXES
    )


def diff(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(conn, opts={
        "compare_type": True, "target_metadata": Base.metadata, "include_name": include_name,
    })
    return list(compare_metadata(context, Base.metadata))


def diff_summary(conn: Connection) -> list[str]:
    """The differences as comparable text: what changes, on which named objects (the
    changes hold schema objects, which do not compare across reflections)."""

    def describe(change: Any) -> str:
        if isinstance(change, list):
            return ";".join(describe(part) for part in change)
        return " ".join(str(getattr(part, "name", part)) for part in change[:3])

    return sorted(describe(change) for change in diff(conn))


def insert_product(conn: Connection) -> None:
    conn.execute(text(
        "INSERT INTO organizations (id, name, kind, country, languages, description, "
        "time_zone, settings) VALUES (1, 'Ocean', 'supplier', 'CN', '[]', '', 'UTC', '{}')"
    ))
    conn.execute(text(
        "INSERT INTO products (id, supplier_id, name, name_zh, description, description_zh, "
        "category, hs_code, species, latin_name, specifications, unit, moq, currency, "
        "price_from, incoterms, port_of_loading, certifications, origin_country, "
        "origin_region, extra) VALUES (7, 1, 'Frozen Squid', '冷冻鱿鱼', '', '', "
        "'cephalopods', '03074390', '', '', '[]', 'kg', 1, 'USD', 2, '[]', '', '[]', 'CN', "
        "'', '{}')"
    ))


def fts_finds_squid(conn: Connection) -> list[int]:
    return list(conn.scalars(text(
        "SELECT rowid FROM product_search WHERE product_search MATCH '\"冻鱿鱼\"'"
    )))


def test_upgrade_creates_the_search_objects_and_downgrade_removes_them(
    empty_database: str,
) -> None:
    in_thread(lambda: migrate.upgrade(empty_database))
    expected = (
        {FTS_TABLE, "product_search_ai", "product_search_au", "product_search_ad"}
        if empty_database.startswith("sqlite") else set(POSTGRES_INDEXES)
    )
    assert run(empty_database, search_objects) == expected
    assert run(empty_database, diff) == []

    # The revision changes no model: what the models have that the database lacks is the
    # same just before it as just after it (later revisions' tables, if any).
    in_thread(lambda: migrate.downgrade(empty_database, SEARCH_REVISION))
    after_search = run(empty_database, diff_summary)
    in_thread(lambda: migrate.downgrade(empty_database, PREVIOUS_REVISION))
    assert run(empty_database, search_objects) == set()
    assert run(empty_database, diff_summary) == after_search
    in_thread(lambda: migrate.upgrade(empty_database))
    assert run(empty_database, search_objects) == expected
    assert run(empty_database, diff) == []


def test_upgrade_indexes_products_that_already_exist(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path, "existing.db")
    in_thread(lambda: migrate.upgrade(url, PREVIOUS_REVISION))
    run(url, insert_product)
    in_thread(lambda: migrate.upgrade(url))
    assert run(url, fts_finds_squid) == [7]


def test_include_name_hides_only_the_search_objects() -> None:
    assert not include_name("product_search", "table", {})
    assert not include_name("product_search_docsize", "table", {})
    assert not include_name("ix_products_search_trgm", "index", {})
    assert include_name("products", "table", {})
    assert include_name("product_search_history", "table", {})
    assert include_name("ix_products_category", "index", {})
    assert include_name("product_search", "column", {})
