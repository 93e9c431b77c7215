"""A real server in a subprocess and Debian's Chromium driven by Playwright.

Run on their own, without pytest-asyncio (sync Playwright and its event loop clash):

    .venv/bin/pytest -q -m browser tests/e2e -p no:asyncio

The database is a fresh PostgreSQL database when TRADEHALL_TEST_DATABASE_URL points at
PostgreSQL, else a SQLite file; either way it is migrated before the server starts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.databases import migrated_database
from tests.servers import running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def e2e_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_database(tmp_path_factory.mktemp("e2e-db")) as url:
        yield url


@pytest.fixture(scope="session")
def server_url(e2e_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by uvicorn on a free port, as a person would run it."""
    with running_server(e2e_database_url, tmp_path_factory.mktemp("e2e-data")) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("TRADEHALL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"TRADEHALL_REQUIRE_BROWSER=1 but {message}", pytrace=False)
        pytest.skip(message)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
