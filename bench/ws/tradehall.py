"""Adapter points for TradeHall itself: (d) on the in-process broker, (e) on Redis.

Not wired yet (app/realtime is being built). What is here is the exact shape the runner
needs; what the server must provide is in docs/benchmarks.md ("Plugging TradeHall in"):

- started by `tradehall serve --migrate` itself (uvicorn `app.main:create_app --factory`,
  `--ws websockets-sansio`, permessage-deflate off, like the uvicorn peers), on a fresh SQLite
  file and, for (e), the machine's Redis under a prefix of its own;
- `/ws` speaking the envelope protocol that `bench.ws.adapters.EnvelopeAdapter` speaks:
  `join` on `bench:room` answered by `reply`/`joined` with ref "1"; `publish` on it fanned
  out as `{"type":"event","topic":"bench:room","payload":P}` with P passed through unchanged;
- authentication by a header the load generator can send on the handshake
  (`Authorization: Bearer ...` or `Cookie: ...`), and an allowed Origin if one is required.

`prepare_tradehall` is the one function to finish: it runs once the server listens and must
return an `AdapterConfig` carrying credentials. Until it can make its own (e.g. by creating a
bench user and token), it takes them from TRADEHALL_BENCH_AUTHORIZATION /
TRADEHALL_BENCH_COOKIE / TRADEHALL_BENCH_ORIGIN.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from bench.ws.adapters import AdapterConfig
from bench.ws.servers import ENVELOPE, ServerSpec


class NotWiredError(RuntimeError):
    """TradeHall's realtime endpoint or the bench credentials are not available yet."""


async def prepare_tradehall(port: int, adapter: AdapterConfig) -> AdapterConfig:
    """Return `adapter` with the handshake credentials for the benchmark's clients."""
    del port  # a future version logs in against http://127.0.0.1:{port}
    headers: list[tuple[str, str]] = []
    if authorization := os.environ.get("TRADEHALL_BENCH_AUTHORIZATION"):
        headers.append(("Authorization", authorization))
    if cookie := os.environ.get("TRADEHALL_BENCH_COOKIE"):
        headers.append(("Cookie", cookie))
    if not headers:
        raise NotWiredError(
            "TradeHall (d)/(e) need credentials: finish bench.ws.tradehall.prepare_tradehall "
            "(create a bench user and token) or set TRADEHALL_BENCH_AUTHORIZATION "
            "('Bearer <token>') or TRADEHALL_BENCH_COOKIE; the server must also accept "
            "`publish` on the `bench:room` topic (see docs/benchmarks.md)"
        )
    return replace(
        adapter,
        headers=tuple(headers),
        origin=os.environ.get("TRADEHALL_BENCH_ORIGIN"),
        join_as_publisher=True,
    )


def serve_argv(port: int) -> list[str]:
    """`tradehall serve --migrate` from the same virtualenv (same uvicorn flags as peers)."""
    script = Path(sys.executable).with_name("tradehall")
    return [str(script), "serve", "--migrate", "--host", "127.0.0.1", "--port", str(port)]


def tradehall_specs(redis_url: str) -> dict[str, ServerSpec]:
    database = Path(tempfile.gettempdir()) / f"tradehall-bench-{os.getpid()}.db"
    common = {
        "TRADEHALL_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "TRADEHALL_LOG_LEVEL": "WARNING",
    }
    argv = serve_argv
    return {
        "tradehall-memory": ServerSpec(
            "tradehall-memory", "(d) TradeHall, in-process broker", argv, ENVELOPE,
            env=common, prepare=prepare_tradehall,
        ),
        "tradehall-redis": ServerSpec(
            "tradehall-redis", "(e) TradeHall, Redis broker", argv, ENVELOPE,
            env={**common, "TRADEHALL_REDIS_URL": redis_url,
                 "TRADEHALL_REDIS_PREFIX": f"bench-{os.getpid()}:"},
            uses_redis=True, prepare=prepare_tradehall,
        ),
    }
