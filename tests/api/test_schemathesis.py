"""Schemathesis, every check, against the catalog API of a real server with seeded data.

The catalog (events, halls, booths, products, media, product search) is what anonymous
visitors and integrators hit hardest, so it must answer anything a client can send with a
documented status and body, never a 5xx. Schemathesis runs as its own command, as anyone
would run it (docs/api.md), with the settings in tests/api/schemathesis.toml: bounded and
deterministic, so the run takes seconds and fails the same way twice.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import factories
from tests.databases import in_thread, migrated_database
from tests.servers import ServerProcess, running_server

CONFIG = Path(__file__).with_name("schemathesis.toml")
CATALOG_TAGS = ("events", "booths", "products", "search", "media")
# Generous: the run takes seconds; this only stops a hung run from hanging the suite.
RUN_DEADLINE_SECONDS = 600


@pytest.fixture(scope="module")
def catalog_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own: the run writes what it likes, and no other test sees it."""
    with migrated_database(tmp_path_factory.mktemp("schemathesis-db")) as url:
        yield url


async def _seed(base_url: str) -> dict[str, str]:
    """An organizer's live expo with two halls, an approved booth whose supplier lists a
    product with an image, and a pending application: bearer tokens for both sides."""
    async with httpx.AsyncClient(base_url=base_url) as client:
        expo = await factories.open_expo(client, halls=2, status="live")
        supplier, _booth = await factories.approved_booth(client, expo)
        image = await factories.upload_image(client, supplier)
        await factories.create_product(client, supplier, images=[image["id"]])
        applicant = await factories.register(client, kind="supplier")
        await factories.apply_for_booth(client, applicant, expo.event_id, expo.halls[1]["id"])
        return {"organizer": expo.organizer.token, "supplier": supplier.token}


@pytest.fixture(scope="module")
def catalog_server(
    catalog_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerProcess, dict[str, str]]]:
    with running_server(catalog_database_url, tmp_path_factory.mktemp("schemathesis-data")) as (
        server
    ):
        tokens = in_thread(lambda: asyncio.run(_seed(server.url)))
        yield server, tokens


def _schemathesis(
    server: ServerProcess, token: str | None, workdir: Path
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG),
        "run", f"{server.url}/openapi.json", "--no-color",
        *(arg for tag in CATALOG_TAGS for arg in ("--include-tag", tag)),
    ]
    if token is not None:
        command += ["--header", f"Authorization: Bearer {token}"]
    # In a scratch directory: Schemathesis keeps its caches in the working directory.
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        command, cwd=workdir, capture_output=True, text=True, timeout=RUN_DEADLINE_SECONDS,
        check=False,
    )


@pytest.mark.parametrize("caller", ["anonymous", "supplier", "organizer"])
def test_catalog_api_passes_every_schemathesis_check(
    catalog_server: tuple[ServerProcess, dict[str, str]], caller: str, tmp_path: Path
) -> None:
    """No 5xx, every status and body as documented, invalid input refused, valid input
    accepted (except where tests/api/schemathesis.toml says why not)."""
    server, tokens = catalog_server
    result = _schemathesis(server, tokens.get(caller), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout, result.stdout
