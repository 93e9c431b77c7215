"""The database objects product search adds outside the models, and the autogenerate filter.

The search migration creates them with raw DDL (an FTS5 virtual table and its triggers on
SQLite; pg_trgm/jsonb expression indexes on PostgreSQL). They are not in the models'
metadata, so Alembic's autogenerate must be told to leave them alone, or every
``alembic revision --autogenerate`` would propose dropping them.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Literal

NameType = Literal["schema", "table", "column", "index", "unique_constraint",
                   "foreign_key_constraint", "check_constraint"]
ParentNames = MutableMapping[
    Literal["schema_name", "table_name", "schema_qualified_table_name"], str | None
]

FTS_TABLE = "product_search"
# FTS5 keeps its index in these shadow tables next to the virtual table.
_FTS_SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config", "_content")
FTS_TABLES = frozenset({FTS_TABLE, *(FTS_TABLE + suffix for suffix in _FTS_SHADOW_SUFFIXES)})

TRGM_INDEX = "ix_products_search_trgm"
CERTIFICATIONS_INDEX = "ix_products_certifications_jsonb"
INCOTERMS_INDEX = "ix_products_incoterms_jsonb"
POSTGRES_INDEXES = frozenset({TRGM_INDEX, CERTIFICATIONS_INDEX, INCOTERMS_INDEX})


def include_name(name: str | None, type_: NameType, _parent_names: ParentNames) -> bool:
    """Alembic ``include_name`` hook: False for the search objects the models don't declare."""
    if type_ == "table":
        return name not in FTS_TABLES
    if type_ == "index":
        return name not in POSTGRES_INDEXES
    return True
