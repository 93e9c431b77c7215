"""The INSERT construct of the session's database, for ``ON CONFLICT`` clauses.

PostgreSQL's and SQLite's ``insert`` both offer ``on_conflict_do_nothing`` and
``on_conflict_do_update`` with the same arguments; the generic one offers neither.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession) -> Any:
    """``insert`` of the dialect the session is bound to (typed Any: the two differ)."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
