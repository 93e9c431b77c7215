"""The README's first command: `tradehall demo` serves the seeded expo and its logins work."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from app import PROJECT_ROOT
from app.demo.data import ORGANIZER, SUPPLIERS
from app.demo.seed import DEMO_PASSWORD
from tests.servers import ServerProcess, free_port

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """`tradehall demo` itself (migrate, seed, serve) on a fresh data directory."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEHALL_")}
    env.update({"TRADEHALL_DATA_DIR": str(tmp_path / "var"),
                "TRADEHALL_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"})
    log = tmp_path / "demo.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own console entry point
            [sys.executable, "-m", "app.cli", "demo", "--port", str(port)],
            cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    server = ServerProcess(f"http://127.0.0.1:{port}", process, log)
    try:
        server.wait_until_healthy()
        yield server
    finally:
        server.stop()


def test_demo_serves_the_home_page_and_a_demo_supplier_can_sign_in(
    browser: Browser, demo_server: ServerProcess
) -> None:
    output = demo_server.log.read_text()
    supplier = SUPPLIERS[0]
    assert DEMO_PASSWORD in output
    assert ORGANIZER.owner.email in output

    context = browser.new_context(base_url=demo_server.url)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.goto("/login")
        page.get_by_label("Email").fill(supplier.owner.email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name=supplier.name)).to_be_visible()
    finally:
        context.close()
