"""The conditions search sends can use the indexes the migration built for them.

On PostgreSQL the text condition must be, token for token, the trigram index's expression,
and the JSON conditions the jsonb indexes' expressions, or the planner silently scans the
table. With sequential scans priced out, a condition on products alone shows whether an
index can serve it at all. (Whether the planner then picks it for a whole search query
depends on the data; docs/benchmarks.md has those plans at 100,000 products.)
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app.models import Product
from app.search.engines import engine_for


async def plan(db: AsyncSession, *conditions: ColumnElement[bool]) -> str:
    """EXPLAIN of ``SELECT id FROM products WHERE conditions``, as the driver ran it."""
    statements: list[tuple[str, Any]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    connection = await db.connection()
    sync_engine = connection.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", listen)
    try:
        await db.execute(select(Product.id).where(*conditions))
    finally:
        event.remove(sync_engine, "before_cursor_execute", listen)
    statement, parameters = statements[-1]
    if connection.dialect.name == "postgresql":
        await connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        result = await connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
    else:
        result = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    text = "\n".join(str(row[-1]) for row in result)
    await db.rollback()
    return text


def engine(db: AsyncSession, name: str) -> Any:
    if db.get_bind().dialect.name != name:
        pytest.skip(f"{name} plans")
    return engine_for(name)


@pytest.mark.parametrize("term", ["shrimp", "Shrimp", "南美白对虾", "对虾虾", "0306", "31/400"])
async def test_postgres_text_conditions_can_use_the_trigram_index(
    db: AsyncSession, term: str
) -> None:
    pg = engine(db, "postgresql")
    text_plan = await plan(db, *pg.text_match((term,)).conditions)
    assert "ix_products_search_trgm" in text_plan, text_plan


@pytest.mark.parametrize("term", ["虾", "对虾", "ab", "a%b", "31/40", "a_b_c"])
async def test_postgres_short_terms_are_never_sent_to_the_trigram_index(
    db: AsyncSession, term: str
) -> None:
    # No run of three letters or digits: the index would hand back every row.
    pg = engine(db, "postgresql")
    text_plan = await plan(db, *pg.text_match((term,)).conditions)
    assert "ix_products_search_trgm" not in text_plan, text_plan


async def test_postgres_json_list_conditions_can_use_the_jsonb_indexes(db: AsyncSession) -> None:
    pg = engine(db, "postgresql")
    certifications = await plan(db, pg.list_contains(Product.certifications, "MSC"))
    assert "ix_products_certifications_jsonb" in certifications, certifications
    incoterms = await plan(db, pg.list_contains(Product.incoterms, "FOB"))
    assert "ix_products_incoterms_jsonb" in incoterms, incoterms


async def test_sqlite_text_conditions_use_the_fts_index(db: AsyncSession) -> None:
    lite = engine(db, "sqlite")
    match = lite.text_match(("shrimp", "虾"))
    query = select(Product.id)
    for target, on in match.joins:
        query = query.join(target, on)
    statements: list[str] = []
    connection = await db.connection()

    def listen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    sync_engine = connection.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", listen)
    try:
        await db.execute(query.where(*match.conditions))
    finally:
        event.remove(sync_engine, "before_cursor_execute", listen)
    result = await connection.exec_driver_sql(
        f"EXPLAIN QUERY PLAN {statements[-1]}", ('"shrimp"', "%虾%")
    )
    text_plan = "\n".join(str(row[-1]) for row in result)
    assert "product_search VIRTUAL TABLE INDEX" in text_plan, text_plan
