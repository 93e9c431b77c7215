"""product search: SQLite FTS5 trigram table with sync triggers; PostgreSQL pg_trgm indexes

SQLite: ``product_search`` is an external-content FTS5 table over ``products`` (the text is
not stored twice), tokenized into trigrams so that substrings match in any language, Chinese
included, without a word segmenter. Triggers keep it in step with every INSERT, UPDATE and
DELETE on ``products``, so no application code has to remember to index.

PostgreSQL: pg_trgm GIN indexes. ``ix_products_search_trgm`` indexes the concatenated
searchable text; ``app.search.engines.SEARCH_TEXT`` must stay the identical expression or
the planner cannot use it (tests/search/test_postgres_plans.py checks that it does). The
two ``jsonb_path_ops`` indexes serve ``certifications::jsonb @> '["MSC"]'`` and the same on
``incoterms`` (the columns are ``json``; the cast is in the index expression).

None of these objects is in the models' metadata: ``migrations/env.py`` leaves them out of
autogenerate through ``app.search.ddl.include_name``.

Revision ID: 578d864d112e
Revises: f91942cdf6b1
Create Date: 2026-11-28 17:02:00

"""
from collections.abc import Sequence

from alembic import op

revision: str = '578d864d112e'
down_revision: str | None = 'f91942cdf6b1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The searchable columns, in this order everywhere (the bm25 weights in app.search.engines
# follow the FTS table's column order).
SQLITE_UPGRADE = [
    """CREATE VIRTUAL TABLE product_search USING fts5(
        name, name_zh, description, description_zh, species, latin_name, category, hs_code,
        content='products', content_rowid='id', tokenize='trigram'
    )""",
    # Index what is already there (an upgrade of a database with products).
    "INSERT INTO product_search(product_search) VALUES ('rebuild')",
    """CREATE TRIGGER product_search_ai AFTER INSERT ON products BEGIN
        INSERT INTO product_search(rowid, name, name_zh, description, description_zh, species, latin_name, category, hs_code)
        VALUES (new.id, new.name, new.name_zh, new.description, new.description_zh, new.species, new.latin_name, new.category, new.hs_code);
    END""",
    # External content: an entry is removed by replaying the values it was indexed with.
    """CREATE TRIGGER product_search_ad AFTER DELETE ON products BEGIN
        INSERT INTO product_search(product_search, rowid, name, name_zh, description, description_zh, species, latin_name, category, hs_code)
        VALUES ('delete', old.id, old.name, old.name_zh, old.description, old.description_zh, old.species, old.latin_name, old.category, old.hs_code);
    END""",
    # Only when a searchable column is written: a price or stock update costs nothing here.
    """CREATE TRIGGER product_search_au AFTER UPDATE OF
        name, name_zh, description, description_zh, species, latin_name, category, hs_code ON products
    BEGIN
        INSERT INTO product_search(product_search, rowid, name, name_zh, description, description_zh, species, latin_name, category, hs_code)
        VALUES ('delete', old.id, old.name, old.name_zh, old.description, old.description_zh, old.species, old.latin_name, old.category, old.hs_code);
        INSERT INTO product_search(rowid, name, name_zh, description, description_zh, species, latin_name, category, hs_code)
        VALUES (new.id, new.name, new.name_zh, new.description, new.description_zh, new.species, new.latin_name, new.category, new.hs_code);
    END""",
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS product_search_au",
    "DROP TRIGGER IF EXISTS product_search_ad",
    "DROP TRIGGER IF EXISTS product_search_ai",
    "DROP TABLE IF EXISTS product_search",
]

# Must be, token for token, the expression app.search.engines.SEARCH_TEXT renders.
PG_SEARCH_TEXT = (
    "name || ' ' || name_zh || ' ' || description || ' ' || description_zh || ' ' || "
    "species || ' ' || latin_name || ' ' || category || ' ' || hs_code"
)

POSTGRES_UPGRADE = [
    # A trusted extension since PostgreSQL 13: the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_products_search_trgm ON products USING gin "
    "((" + PG_SEARCH_TEXT + ") gin_trgm_ops)",
    "CREATE INDEX ix_products_certifications_jsonb ON products USING gin "
    "((certifications::jsonb) jsonb_path_ops)",
    "CREATE INDEX ix_products_incoterms_jsonb ON products USING gin "
    "((incoterms::jsonb) jsonb_path_ops)",
]

POSTGRES_DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_products_incoterms_jsonb",
    "DROP INDEX IF EXISTS ix_products_certifications_jsonb",
    "DROP INDEX IF EXISTS ix_products_search_trgm",
    # pg_trgm itself stays: other objects may use it, and it holds no data.
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UPGRADE)
    elif dialect == "postgresql":
        _run(POSTGRES_UPGRADE)


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWNGRADE)
    elif dialect == "postgresql":
        _run(POSTGRES_DOWNGRADE)
