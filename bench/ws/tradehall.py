"""Adapter points for TradeHall itself: (d) on the in-process broker, (e) on Redis.

The runner starts TradeHall exactly as deployed (`tradehall serve --migrate`: uvicorn
`app.main:create_app --factory`, `--ws websockets-sansio`, permessage-deflate off) on a fresh
SQLite file and, for (e), the machine's Redis under a key prefix of its own; then
`prepare_tradehall` gets a bearer token and the load generator speaks the `tradehall` adapter
(`bench.ws.adapters`). What the server has to provide is listed in docs/benchmarks.md
("Plugging TradeHall in"): the `pulse:` diagnostic topics, bearer-token auth without an
Origin header, `joined` for a join, and client rate limits the bench can lift.

Credentials: TRADEHALL_BENCH_AUTHORIZATION ("Bearer <token>") or TRADEHALL_BENCH_COOKIE if
set; otherwise one bench user is registered over the public API and logged in. All
connections share that one user, so presence diffs are sent once, not once per socket.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sys
import tempfile
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.ws.adapters import AdapterConfig
from bench.ws.servers import ServerSpec

TOPIC = "pulse:bench"
"""Ephemeral diagnostic topic (no storage per message), open to any signed-in user."""


class NotWiredError(RuntimeError):
    """TradeHall could not give the benchmark credentials."""


def _post_json(url: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1:<port>/...
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        reply: dict[str, Any] = json.loads(response.read())
        return reply


def _bench_token(port: int) -> str:
    base = f"http://127.0.0.1:{port}/api/v1/auth"
    email = f"bench-{secrets.token_hex(4)}@example.com"
    password = secrets.token_urlsafe(16)
    _post_json(f"{base}/register", {
        "email": email, "password": password, "full_name": "Bench",
        "organization": {"name": "Bench", "kind": "buyer", "country": "DE"},
    })
    token = _post_json(f"{base}/login", {"email": email, "password": password})
    return str(token["access_token"])


async def prepare_tradehall(port: int, adapter: AdapterConfig) -> AdapterConfig:
    """Return `adapter` with the handshake credentials for the benchmark's clients."""
    headers: list[tuple[str, str]] = []
    if authorization := os.environ.get("TRADEHALL_BENCH_AUTHORIZATION"):
        headers.append(("Authorization", authorization))
    if cookie := os.environ.get("TRADEHALL_BENCH_COOKIE"):
        headers.append(("Cookie", cookie))
    if not headers:
        try:
            token = await asyncio.to_thread(_bench_token, port)
        except OSError as exc:
            raise NotWiredError(f"could not register/login a bench user: {exc}") from exc
        headers.append(("Authorization", f"Bearer {token}"))
    return replace(adapter, headers=tuple(headers), origin=os.environ.get("TRADEHALL_BENCH_ORIGIN"))


def serve_argv(port: int) -> list[str]:
    """`tradehall serve --migrate` from the same virtualenv (same uvicorn flags as peers)."""
    script = Path(sys.executable).with_name("tradehall")
    return [str(script), "serve", "--migrate", "--host", "127.0.0.1", "--port", str(port)]


def tradehall_specs(redis_url: str) -> dict[str, ServerSpec]:
    database = Path(tempfile.gettempdir()) / f"tradehall-bench-{os.getpid()}.db"

    def remove_database() -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)

    common = {
        "TRADEHALL_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "TRADEHALL_LOG_LEVEL": "WARNING",
        "TRADEHALL_REALTIME_DIAGNOSTICS": "true",
        # One publisher sends up to a few hundred frames/s: lift the per-client limits.
        "TRADEHALL_REALTIME_RATE_PER_SECOND": "1000000",
        "TRADEHALL_REALTIME_RATE_BURST": "1000000",
    }
    adapter = AdapterConfig(kind="tradehall", topic=TOPIC)
    return {
        "tradehall-memory": ServerSpec(
            "tradehall-memory", "(d) TradeHall, in-process broker", serve_argv, adapter,
            env=common, prepare=prepare_tradehall, cleanup=remove_database,
        ),
        "tradehall-redis": ServerSpec(
            "tradehall-redis", "(e) TradeHall, Redis broker", serve_argv, adapter,
            env={**common, "TRADEHALL_REDIS_URL": redis_url,
                 "TRADEHALL_REDIS_PREFIX": f"bench-{os.getpid()}:"},
            uses_redis=True, prepare=prepare_tradehall, cleanup=remove_database,
        ),
    }
