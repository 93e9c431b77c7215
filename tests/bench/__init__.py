"""Smoke tests of the benchmark harnesses (bench/): each runs at its smallest size."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.databases import is_postgres, sqlite_url


def throwaway_database_url(tmp_path: Path, prefix: str) -> str:
    """Where a harness may create (and must drop) its own database: a new PostgreSQL
    database next to TRADEHALL_TEST_DATABASE_URL's when that is PostgreSQL, else a SQLite
    file `bench.db` in `tmp_path`."""
    server = os.environ.get("TRADEHALL_TEST_DATABASE_URL")
    if server and is_postgres(server):
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        return make_url(server).set(database=name).render_as_string(hide_password=False)
    return sqlite_url(tmp_path, "bench.db")
