"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from app import migrate
from app.db import create_engine
from app.models import Base
from app.search.ddl import include_name
from tests.databases import (
    create_postgres_database,
    drop_postgres_database,
    in_thread,
    postgres_server_url,
    sqlite_url,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path, "migrations.db")
        return
    url = create_postgres_database(postgres_server_url())
    try:
        yield url
    finally:
        drop_postgres_database(url)


def _inspect(url: str, fn: Any) -> Any:
    async def run() -> Any:
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(fn)
        finally:
            await engine.dispose()

    return in_thread(lambda: asyncio.run(run()))


def _diff(conn: Connection) -> list[Any]:
    # The same filter as migrations/env.py: search's raw-DDL objects are not models.
    context = MigrationContext.configure(
        conn,
        opts={"compare_type": True, "target_metadata": Base.metadata,
              "include_name": include_name},
    )
    return list(compare_metadata(context, Base.metadata))


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def test_upgrade_from_empty_matches_the_models(empty_database: str) -> None:
    in_thread(lambda: migrate.upgrade(empty_database))
    assert _inspect(empty_database, _diff) == []
    assert set(Base.metadata.tables) <= _inspect(empty_database, _tables)


def test_downgrade_to_base_removes_everything_and_upgrade_again_works(
    empty_database: str,
) -> None:
    in_thread(lambda: migrate.upgrade(empty_database))
    in_thread(lambda: migrate.downgrade(empty_database, "base"))
    assert _inspect(empty_database, _tables) <= {"alembic_version"}
    in_thread(lambda: migrate.upgrade(empty_database))
    assert _inspect(empty_database, _diff) == []


def test_every_revision_steps_down_and_up(empty_database: str) -> None:
    in_thread(lambda: migrate.upgrade(empty_database))
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config(empty_database))
    revisions = list(script.walk_revisions())
    for _ in revisions:
        in_thread(lambda: migrate.downgrade(empty_database, "-1"))
    assert _inspect(empty_database, _tables) <= {"alembic_version"}
    in_thread(lambda: migrate.upgrade(empty_database))
    assert _inspect(empty_database, _diff) == []
