"""Catalog search benchmark runner.

    .venv/bin/python -m bench.catalog.run                       # the full run (about 15 min)
    .venv/bin/python -m bench.catalog.run --workers 1 --engines postgresql --scenarios text2f

1. Data: one PostgreSQL database and one SQLite file, migrated and loaded with the same
   generated catalog (bench.catalog.data; 100,000 products of 4,000 suppliers by default).
   `--reuse` keeps them between runs (they are rebuilt when their product count differs).
2. For each worker count, each server in turn: the bare FastAPI ceiling
   (bench.catalog.ceiling), TradeHall on PostgreSQL, TradeHall on SQLite — each with its
   search cache on (the default) and off (`--cache`) — started here on a free port with
   the same uvicorn settings (`tradehall serve`; several workers share Redis, as
   docs/deployment.md requires) and stopped after its scenarios.
3. Per scenario: a wrk warm-up, then a measured wrk run (32 connections, closed loop: each
   connection sends its next request when the previous answer is in) cycling through the
   scenario's request mix (bench.catalog.queries). Meanwhile the CPU used by the server
   (all workers), wrk, this database's PostgreSQL backends and the whole machine is read
   from /proc, so the report says who competed for the two cores.

Prints a table; writes JSON (`--out`). Needs `wrk` (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from bench.catalog import data
from bench.catalog.queries import CEILING, HEALTHZ, SCENARIOS, Scenario
from bench.ws.procs import (
    CpuMeter,
    Managed,
    cpu_seconds,
    free_port,
    kill_leftovers,
    machine_busy_seconds,
    managed,
    wait_listening,
)

HOST = "127.0.0.1"
HERE = Path(__file__).resolve().parent
LUA = HERE / "wrk.lua"
BIN = Path(sys.executable).parent


@dataclass
class Measurement:
    server: str
    engine: str
    workers: int
    scenario: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    cpu: dict[str, float] = field(default_factory=dict)
    """Cores used on average during the measured run, per party."""


@dataclass
class Databases:
    postgres_url: str
    sqlite_url: str


def postgres_backends(url: str) -> list[int]:
    """The PostgreSQL client backends serving `url`'s user and database, and the parallel
    workers they started (a backend's title is "postgres: [cluster: ]user database
    host(port) state"; a worker's "... parallel worker for PID n"; autovacuum is left out)."""
    parsed = make_url(url)
    needle = f" {parsed.username} {parsed.database} "
    titles: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: "):
            titles[int(entry.name)] = title
    backends = [pid for pid, title in titles.items() if needle in title]
    leaders = {str(pid) for pid in backends}
    workers = [pid for pid, title in titles.items()
               if "parallel worker for PID " in title
               and title.split("parallel worker for PID ", 1)[1].split()[0] in leaders]
    return backends + workers


class BackendMeter:
    """CPU of a database's backends over a run, polled: the pool closes and opens
    connections under load, so the set of backends changes while it is measured."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._task: asyncio.Task[None] | None = None

    def _poll(self, initial: bool) -> None:
        if self.url is None:
            return
        for pid in postgres_backends(self.url):
            ticks = cpu_seconds([pid], tree=False)
            if pid not in self.first:
                # A backend born during the run counts from zero.
                self.first[pid] = ticks if initial else 0.0
            self.last[pid] = max(ticks, self.last.get(pid, 0.0))

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(0.25)
            self._poll(initial=False)

    def start(self) -> None:
        self._poll(initial=True)
        self._task = asyncio.ensure_future(self._loop())

    async def stop(self) -> float:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._poll(initial=False)
        return sum(self.last[pid] - self.first[pid] for pid in self.first)


async def drain(server: Managed, limit: float = 120.0) -> None:
    """Wait until the server is idle: wrk's warm-up ends with requests still in flight, and
    the server finishes them (and their queries) after wrk has hung up."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        meter = CpuMeter([server.pid])
        meter.start()
        await asyncio.sleep(0.5)
        cpu, wall = meter.read()
        if cpu / wall < 0.05:
            return


async def _postgres_count(url: str) -> int | None:
    try:
        conn = await asyncpg.connect(data.postgres_dsn(url))
    except (OSError, asyncpg.InvalidCatalogNameError):
        return None
    try:
        count: int = await conn.fetchval("SELECT count(*) FROM products")
        return count
    except asyncpg.PostgresError:
        return None
    finally:
        await conn.close()


async def _recreate_postgres(url: str) -> None:
    name = make_url(url).database
    admin = await asyncpg.connect(data.postgres_dsn(str(make_url(url).set(database="postgres"))))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def _sqlite_count(path: Path) -> int | None:
    if not path.exists():
        return None
    try:
        with sqlite3.connect(path) as conn:
            row = conn.execute("SELECT count(*) FROM products").fetchone()
            return int(row[0])
    except sqlite3.Error:
        return None


def prepare(opts: argparse.Namespace) -> Databases:
    pg_name = f"tradehall_bench_catalog_{opts.products}"
    pg_url = str(make_url(opts.postgres).set(database=pg_name).render_as_string(
        hide_password=False))
    sqlite_path = Path(opts.data_dir) / f"catalog-{opts.products}.db"
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    sqlite_url = f"sqlite+aiosqlite:///{sqlite_path}"
    print(f"Data: {opts.products:,} products of {opts.suppliers:,} suppliers")
    if "postgresql" in opts.engines:
        if not opts.reuse or asyncio.run(_postgres_count(pg_url)) != opts.products:
            asyncio.run(_recreate_postgres(pg_url))
            data.create(pg_url, opts.products, opts.suppliers, opts.seed)
        else:
            print(f"  reusing {pg_name}")
    if "sqlite" in opts.engines:
        if not opts.reuse or _sqlite_count(sqlite_path) != opts.products:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
            data.create(sqlite_url, opts.products, opts.suppliers, opts.seed)
        else:
            print(f"  reusing {sqlite_path}")
    return Databases(pg_url, sqlite_url)


def tradehall_argv(port: int, workers: int) -> list[str]:
    return [str(BIN / "tradehall"), "serve", "--host", HOST, "--port", str(port),
            "--workers", str(workers)]


def module_argv(module: str, port: int, workers: int) -> list[str]:
    return [sys.executable, "-m", module, "--host", HOST, "--port", str(port),
            "--workers", str(workers)]


async def check(port: int, paths: list[str]) -> None:
    """Every path of the mix answers 200 before it is measured (a 422 would be fast)."""
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", timeout=120) as client:
        for path in paths:
            response = await client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} -> {response.status_code}: {response.text[:300]}")


def wrk_argv(port: int, paths_file: Path, seconds: float, opts: argparse.Namespace) -> list[str]:
    return ["wrk", "-t", str(opts.wrk_threads), "-c", str(opts.connections),
            "-d", f"{seconds:.0f}s", "--timeout", "60s", "-s", str(LUA),
            f"http://{HOST}:{port}", "--", str(paths_file)]


def wrk_result(stdout: bytes) -> dict[str, Any]:
    lines = [line for line in stdout.decode().splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"wrk printed no result:\n{stdout.decode()}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


async def warm_up(port: int, paths_file: Path, opts: argparse.Namespace) -> None:
    async with managed("wrk", wrk_argv(port, paths_file, opts.warmup, opts), pipes=True) as wrk:
        stdout, _ = await wrk.proc.communicate()
    wrk_result(stdout)


async def measure(
    label: tuple[str, str, int], scenario: Scenario, server: Managed, port: int,
    opts: argparse.Namespace, work: Path, pg_url: str | None,
) -> Measurement:
    paths = scenario.paths()
    paths_file = work / f"{scenario.name}.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    await check(port, paths)
    await warm_up(port, paths_file, opts)
    await drain(server)

    server_meter = CpuMeter([server.pid])
    pg_meter = BackendMeter(pg_url)
    busy0, total0 = machine_busy_seconds()
    server_meter.start()
    pg_meter.start()
    argv = wrk_argv(port, paths_file, opts.seconds, opts)
    async with managed("wrk", argv, pipes=True) as handle:
        wrk_meter = CpuMeter([handle.pid])
        wrk_meter.start()
        reader = asyncio.ensure_future(handle.proc.communicate())
        # Read wrk's CPU just before it exits (a reaped process has no /proc entry).
        await asyncio.sleep(max(0.0, opts.seconds - 0.3))
        wrk_cpu, wrk_wall = wrk_meter.read()
        stdout, _ = await reader
    server_cpu, wall = server_meter.read()
    pg_cpu = await pg_meter.stop()
    busy1, total1 = machine_busy_seconds()
    result = wrk_result(stdout)
    cores = os.cpu_count() or 1
    machine = (busy1 - busy0) / max(total1 - total0, 1e-9) * cores
    cpu = {
        "server": server_cpu / wall,
        "wrk": wrk_cpu / max(wrk_wall, 1e-9),
        "postgres": pg_cpu / wall,
        "machine": machine,
    }
    cpu["other"] = max(0.0, machine - cpu["server"] - cpu["wrk"] - cpu["postgres"])
    latency = result["latency_us"]
    seconds = result["duration_us"] / 1e6
    server_name, engine, workers = label
    return Measurement(
        server=server_name, engine=engine, workers=workers, scenario=scenario.name,
        requests=result["requests"], seconds=seconds, rps=result["requests"] / seconds,
        p50_ms=latency["p50"] / 1000, p90_ms=latency["p90"] / 1000,
        p99_ms=latency["p99"] / 1000, max_ms=latency["max"] / 1000,
        errors=result["errors"], cpu={k: round(v, 2) for k, v in cpu.items()},
    )


async def run_server(
    name: str, engine: str, workers: int, scenarios: list[Scenario], opts: argparse.Namespace,
    work: Path, database_url: str | None, module: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> list[Measurement]:
    port = free_port()
    env: dict[str, str] = {}
    if database_url is not None:
        env = {"TRADEHALL_DATABASE_URL": database_url, "TRADEHALL_LOG_LEVEL": "WARNING",
               "TRADEHALL_DATA_DIR": str(work / "var"), "TRADEHALL_ENVIRONMENT": "dev",
               **(extra_env or {})}
    argv = module_argv(module, port, workers) if module else tradehall_argv(port, workers)
    pg_url = database_url if database_url and database_url.startswith("postgresql") else None
    results = []
    log = work / f"{name}-{workers}.log"
    async with managed(name, argv, env=env, log=log) as server:
        await wait_listening(server, port, timeout=60)
        for scenario in scenarios:
            print(f"  {name:<18} workers={workers} {scenario.name:<8} ", end="", flush=True)
            m = await measure((name, engine, workers), scenario, server, port, opts, work,
                              pg_url)
            results.append(m)
            bad = sum(m.errors.values())
            print(f"{m.rps:8.1f} req/s  p50 {m.p50_ms:8.1f} ms  p99 {m.p99_ms:8.1f} ms"
                  + (f"  ERRORS {m.errors}" if bad else "")
                  + f"  cpu {m.cpu}")
    return results


def machine_info(dbs: Databases) -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                  if line.startswith("model name")), platform.processor())
    mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))

    async def pg_version() -> str:
        conn = await asyncpg.connect(data.postgres_dsn(dbs.postgres_url))
        try:
            version: str = await conn.fetchval("SHOW server_version")
            return version
        finally:
            await conn.close()

    try:
        postgres = asyncio.run(pg_version())
    except (OSError, asyncpg.PostgresError):
        postgres = "n/a"
    wrk_path = shutil.which("wrk") or "wrk"
    probe = subprocess.run(  # noqa: S603 - our own argv, no shell
        [wrk_path, "-v"], capture_output=True, text=True, check=False)
    output = (probe.stdout + probe.stderr).splitlines()
    wrk_version = output[0] if output else "n/a"
    return {
        "cpu": model, "cores": os.cpu_count(), "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres, "wrk": wrk_version,
        "packages": {p: metadata.version(p) for p in (
            "fastapi", "uvicorn", "sqlalchemy", "asyncpg", "aiosqlite", "pydantic")},
        "load_before": os.getloadavg(),
    }


def table(results: list[Measurement]) -> str:
    ceilings = {m.workers: m.rps for m in results if m.scenario == "ceiling"}
    lines = [
        "| workers | server | scenario | req/s | p50 ms | p99 ms | max ms | x ceiling "
        "| CPU server/PG/wrk/other |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for m in results:
        ratio = m.rps / ceilings[m.workers] if m.workers in ceilings else float("nan")
        cpu = "/".join(f"{m.cpu.get(k, 0):.2f}" for k in ("server", "postgres", "wrk", "other"))
        errors = sum(m.errors.values())
        lines.append(
            f"| {m.workers} | {m.server} | {m.scenario} | {m.rps:,.0f} | {m.p50_ms:.1f} "
            f"| {m.p99_ms:.1f} | {m.max_ms:.0f} | {ratio:.3f} | {cpu} |"
            + (f" errors {m.errors}" if errors else "")
        )
    return "\n".join(lines)


def tradehall_env(cache: str, workers: int, opts: argparse.Namespace) -> dict[str, str]:
    """TradeHall configured as deployed: several workers share Redis (docs/deployment.md),
    which also carries the search cache's catalog generation; `off` disables the cache."""
    env = {"TRADEHALL_SEARCH_CACHE_ENTRIES": "0"} if cache == "off" else {}
    if workers > 1:
        env |= {"TRADEHALL_REDIS_URL": opts.redis,
                "TRADEHALL_REDIS_PREFIX": f"bench-catalog-{os.getpid()}:"}
    return env


async def main_async(opts: argparse.Namespace, dbs: Databases) -> list[Measurement]:
    results: list[Measurement] = []
    wanted = [SCENARIOS[name] for name in opts.scenarios]
    async with AsyncExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-catalog-")))
        for workers in opts.workers:
            results += await run_server("ceiling", "-", workers, [CEILING], opts, work, None,
                                        module="bench.catalog.ceiling")
            for cache in opts.cache:
                # /healthz does not depend on the cache: measured once per worker count.
                extra = [HEALTHZ] if cache == opts.cache[0] else []
                for engine, url in (("postgresql", dbs.postgres_url),
                                    ("sqlite", dbs.sqlite_url)):
                    if engine in opts.engines:
                        results += await run_server(
                            f"tradehall-{engine}-cache-{cache}", engine, workers,
                            [*extra, *wanted] if engine == "postgresql" else wanted,
                            opts, work, url, extra_env=tradehall_env(cache, workers, opts))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--suppliers", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/"
                        "postgres", help="server to create the benchmark database on")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir())
                                                  / "tradehall-bench-catalog"))
    parser.add_argument("--reuse", action="store_true",
                        help="keep the generated databases between runs")
    parser.add_argument("--engines", type=lambda s: s.split(","),
                        default=["postgresql", "sqlite"])
    parser.add_argument("--scenarios", type=lambda s: s.split(","), default=list(SCENARIOS))
    parser.add_argument("--workers", type=lambda s: [int(w) for w in s.split(",")],
                        default=[1, 2])
    parser.add_argument("--cache", type=lambda s: s.split(","), default=["on", "off"],
                        help="TradeHall's search cache: on (the default setting), off "
                        "(every request computed), or both")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0",
                        help="Redis for TradeHall with several workers")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--out", type=Path,
                        default=HERE.parent / "results" / "catalog-search.json")
    opts = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    dbs = prepare(opts)
    info = machine_info(dbs)
    print(f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB; "
          f"Python {info['python']}, PostgreSQL {info['postgresql']}, SQLite {info['sqlite']}")
    started = datetime.now(UTC)
    try:
        results = asyncio.run(main_async(opts, dbs))
    finally:
        leftovers = kill_leftovers()
        if leftovers:
            print(f"killed leftover process groups: {leftovers}")
    print()
    print(table(results))
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps({
        "started": started.isoformat(), "finished": datetime.now(UTC).isoformat(),
        "machine": info, "load_after": os.getloadavg(),
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(opts).items()},
        "results": [asdict(m) for m in results],
    }, indent=1, ensure_ascii=False) + "\n")
    print(f"\nwrote {opts.out}")


if __name__ == "__main__":
    main()
