"""A real server in a subprocess and Debian's Chromium driven by Playwright.

Run on their own, without pytest-asyncio (sync Playwright and its event loop clash):

    .venv/bin/pytest -q -m browser tests/e2e -p no:asyncio

The database is a fresh PostgreSQL database when TRADEHALL_TEST_DATABASE_URL points at
PostgreSQL, else a SQLite file; either way it is migrated before the server starts.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from app import PROJECT_ROOT, migrate
from tests.databases import (
    create_postgres_database,
    drop_postgres_database,
    in_thread,
    is_postgres,
    sqlite_url,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_DEADLINE_SECONDS = 30.0
SHUTDOWN_DEADLINE_SECONDS = 10.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    delay = 0.05
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        if _healthy(url):
            return
        time.sleep(delay)  # polling back-off, not synchronisation: the loop checks the state
        delay = min(delay * 2, 0.5)
    pytest.fail(f"the server did not answer /healthz within {STARTUP_DEADLINE_SECONDS}s:\n"
                f"{log.read_text()}")


@pytest.fixture(scope="session")
def e2e_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server_url = os.environ.get("TRADEHALL_TEST_DATABASE_URL")
    if server_url and is_postgres(server_url):
        url = create_postgres_database(server_url)
        try:
            in_thread(lambda: migrate.upgrade(url))
            yield url
        finally:
            drop_postgres_database(url)
    else:
        url = sqlite_url(tmp_path_factory.mktemp("e2e-db"))
        in_thread(lambda: migrate.upgrade(url))
        yield url


@pytest.fixture(scope="session")
def server_url(e2e_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by uvicorn on a free port, as a person would run it."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TRADEHALL_DATA_DIR": str(data_dir),
        "TRADEHALL_DATABASE_URL": e2e_database_url,
        "TRADEHALL_ALLOWED_ORIGINS": url,
        "TRADEHALL_BASE_URL": url,
        "TRADEHALL_ENVIRONMENT": "dev",
    }
    env.pop("TRADEHALL_REDIS_URL", None)
    log = data_dir / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
            [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(process, url, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=SHUTDOWN_DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
