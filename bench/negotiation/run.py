"""Negotiation chat benchmark runner (issue 5): many concurrent negotiations, both sides
chatting over WebSockets, TradeHall on PostgreSQL side by side with the bare-stack ceiling.

    .venv/bin/python -m bench.negotiation.run                     # 200 negotiations, 60 s
    .venv/bin/python -m bench.negotiation.run --pairs 20 --seconds 10 --warmup-seconds 3 \
        --ladder 0.5,1,2 --ladder-seconds 5                       # a quick check

1. A fresh database (`--database-url`, PostgreSQL by default; dropped at the end unless
   `--keep-database`), migrated and filled through the services (bench.negotiation.seed):
   `--pairs` buyer orgs, `--suppliers` supplier orgs, one user and one bearer token each,
   one negotiation per pair.
2. For each server (`--servers`): start it on a free port; start one load-generator
   process (bench.negotiation.loadgen) holding both sides of every negotiation (2 × pairs
   WebSocket clients, each joined to its negotiation's topic); a warm-up step, then the main
   step (`--rate` messages/s per side for `--seconds`). Then, for TradeHall, the headroom
   ladder on a fresh server and fresh connections: rising rates per side (`--ladder`,
   `--ladder-seconds` each) until p99 > `--p99-limit-ms`, an error, a lost connection or an
   undelivered message. After each step the runner waits until the server is idle (an
   overloaded step leaves a backlog).
   - `tradehall`: `tradehall serve` (uvicorn, websockets-sansio, as deployed) on that
     database with the product's default limits (lifted only if the ladder's rate needs
     it); `--workers 2` adds a private Redis (bench.ws.private_redis) as the broker.
   - `ceiling`: the bare `websockets` server with `broadcast()` of the realtime issue
     (bench/ws/servers/ws_bare.py), one two-member topic per negotiation; no database.
3. Per step: messages sent/s, delivered/s to the other side (and echoes to the sender),
   p50/p90/p99/max send -> other side, acknowledgement latency, error frames by code,
   server CPU and RSS, CPU of this database's PostgreSQL backends, the load generator's CPU,
   and what other processes took.

Every process started here is stopped here (bench.ws.harness). Prints the table; writes
JSON (`--out`).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import subprocess
import sys
import time
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.catalog.run import BackendMeter, drain
from bench.negotiation.results import ServerRun, StepResult, summary, table
from bench.negotiation.seed import Pair, fresh_database, seed
from bench.ws.harness import names_from, run_harness
from bench.ws.private_redis import PrivateRedis, redis_for_bench
from bench.ws.procs import (
    CpuMeter,
    Managed,
    free_port,
    machine_busy_seconds,
    managed,
    rss_bytes,
    wait_listening,
)
from bench.ws.run import LoadGen
from bench.ws.run import conditions as machine_conditions
from bench.ws.servers import PEERS
from bench.ws.stats import Sketch, percentile
from bench.ws.tradehall import serve_argv

HOST = "127.0.0.1"
MIB = 1024 * 1024
DEFAULT_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/tradehall_bench_negotiation"
LABELS = {
    "tradehall": "TradeHall (`tradehall serve`, negotiation topic, durable messages)",
    "ceiling": "(a) bare `websockets` server + broadcast(), one topic per negotiation",
}
DEFAULT_RATE_LIMIT = 20.0
"""TradeHall's default frames/s per connection (TRADEHALL_REALTIME_RATE_PER_SECOND)."""


@dataclasses.dataclass
class Target:
    name: str
    server: Managed
    gen: LoadGen
    db_url: str | None
    redis: PrivateRedis | None


def tradehall_env(opts: argparse.Namespace, url: str, redis: PrivateRedis | None) -> dict[str, str]:
    env = {"TRADEHALL_DATABASE_URL": url, "TRADEHALL_LOG_LEVEL": "WARNING"}
    top = max([opts.rate, *opts.ladder])
    if top * 1.5 > DEFAULT_RATE_LIMIT:
        # The product's limit (20 frames/s, bursts of 60) is for people; a ladder step above
        # it would measure the limiter, not the server.
        env["TRADEHALL_REALTIME_RATE_PER_SECOND"] = str(top * 2)
        env["TRADEHALL_REALTIME_RATE_BURST"] = str(int(max(60, top * 4)))
    if redis is not None:
        env["TRADEHALL_REDIS_URL"] = redis.url
        env["TRADEHALL_REDIS_PREFIX"] = "bench-negotiation:"
    return env


async def measure_step(
    opts: argparse.Namespace, target: Target, phase: str, step: int, rate: float,
    seconds: float,
) -> StepResult:
    server = CpuMeter([target.server.pid])
    loadgen = CpuMeter([target.gen.handle.pid])
    redis = CpuMeter(target.redis.pids if target.redis else [])
    backends = BackendMeter(target.db_url)
    for meter in (server, loadgen, redis):
        meter.start()
    backends.start()
    busy0, total0 = machine_busy_seconds()
    reply = await target.gen.ask(
        {"cmd": "step", "step": step, "rate": rate, "seconds": seconds,
         "drain": opts.drain_seconds},
        timeout=seconds * 3 + opts.drain_seconds + 60,
    )
    (server_s, wall), (loadgen_s, _), (redis_s, _) = server.read(), loadgen.read(), redis.read()
    db_s = await backends.stop()
    busy1, total1 = machine_busy_seconds()
    other = Sketch.from_json(reply["other"])
    echo = Sketch.from_json(reply["echo"])
    ack = Sketch.from_json(reply["ack"])
    sent = int(reply["sent"])
    # Per message the server handled: TradeHall acknowledges each (its `reply`), and when it
    # is overloaded many sent frames are never handled (their connection is cut first).
    handled = ack.count if ack.count else sent
    span = max((int(reply["last_receipt_ns"]) - int(reply["first_send_ns"])) / 1e9, seconds)
    ours = server_s + loadgen_s + redis_s + db_s
    return StepResult(
        server=target.name, phase=phase, step=step, rate_per_side=rate,
        clients=int(reply["clients"]), seconds=seconds, sent=sent,
        sent_per_s=sent / seconds, delivered=other.count,
        delivered_per_s=other.count / span if other.count else 0.0, echoed=echo.count,
        completeness=other.count / sent if sent else 0.0,
        p50_ms=percentile([other], 50), p90_ms=percentile([other], 90),
        p99_ms=percentile([other], 99), p999_ms=percentile([other], 99.9),
        max_ms=percentile([other], 100), echo_p99_ms=percentile([echo], 99),
        ack_p50_ms=percentile([ack], 50), ack_p99_ms=percentile([ack], 99), acks=ack.count,
        errors={str(k): int(v) for k, v in reply["errors"].items()},
        lost_connections=int(reply["lost_connections"]),
        frame_bytes=round(float(reply["frame_bytes"]), 1),
        server_cores=server_s / wall, server_rss_mib=rss_bytes([target.server.pid]) / MIB,
        server_us_per_msg=1e6 * server_s / handled if handled else None,
        db_cores=db_s / wall if target.db_url else None,
        db_us_per_msg=1e6 * db_s / handled if handled and target.db_url else None,
        loadgen_cores=loadgen_s / wall, redis_cores=redis_s / wall if target.redis else None,
        machine_busy_pct=100 * (busy1 - busy0) / max(total1 - total0, 1e-9),
        others_cores=max(0.0, (busy1 - busy0 - ours) / wall), wall_s=round(wall, 2),
    )


def stop_reason(step: StepResult, opts: argparse.Namespace) -> str:
    if step.p99_ms is not None and step.p99_ms > opts.p99_limit_ms:
        return f"p99 {step.p99_ms:,.0f} ms > {opts.p99_limit_ms:,.0f} ms"
    if step.errors:
        return f"errors {step.errors}"
    if step.lost_connections:
        return f"{step.lost_connections} connections lost"
    if step.completeness < 0.99:
        return f"{step.completeness:.1%} delivered after the {opts.drain_seconds:.0f} s drain"
    return ""


def _print_step(step: StepResult) -> None:
    p99 = step.p99_ms if step.p99_ms is not None else float("nan")
    print(f"  {step.server} {step.phase} {step.rate_per_side:g}/s per side: sent "
          f"{step.sent_per_s:,.0f}/s, delivered {step.delivered_per_s:,.0f}/s "
          f"({step.completeness:.2%}), p99 {p99:,.1f} ms, errors {step.errors or 0}, "
          f"server {step.server_cores:.2f} cores, PG "
          f"{step.db_cores if step.db_cores is not None else 0:.2f}, loadgen "
          f"{step.loadgen_cores:.2f}, others {step.others_cores:.2f}", flush=True)


def plan_for(opts: argparse.Namespace, part: str) -> list[tuple[str, float, float]]:
    """(phase, rate per side, seconds) of one server run: a warm-up at the lowest rate of the
    invocation (a warm-up the server cannot keep up with would leave a backlog, or cut
    connections, before the measured steps), then the issue's load (`main`) or the rising
    ladder (`ladder`)."""
    plan = [("warmup", min([opts.rate, *opts.ladder]), opts.warmup_seconds)]
    if part == "ladder":
        return plan + [("ladder", rate, opts.ladder_seconds) for rate in sorted(opts.ladder)]
    return [*plan, ("main", opts.rate, opts.seconds)]


def runs_for(opts: argparse.Namespace) -> list[tuple[str, str]]:
    """(server, part): the issue's load on each server; the headroom ladder for TradeHall (and
    the ceiling with --ceiling-ladder) on a fresh server process with fresh connections, so
    neither part inherits the other's backlog or cut connections."""
    out = []
    for name in opts.servers:
        if "main" in opts.parts:
            out.append((name, "main"))
        if "ladder" in opts.parts and opts.ladder and (name == "tradehall" or opts.ceiling_ladder):
            out.append((name, "ladder"))
    return out


async def run_plan(opts: argparse.Namespace, target: Target, run: ServerRun) -> None:
    climbing = True
    for index, (phase, rate, seconds) in enumerate(plan_for(opts, run.part)):
        if seconds <= 0 or (phase == "ladder" and not climbing):
            continue
        step = await measure_step(opts, target, phase, index, rate, seconds)
        # An overloaded step leaves a backlog the server works off after the drain: it must
        # not spill into the next step.
        began = time.monotonic()
        await drain(target.server, opts.idle_wait_seconds)
        step.idle_wait_s = round(time.monotonic() - began, 1)
        run.steps.append(step)
        _print_step(step)
        if phase == "ladder" and (reason := stop_reason(step, opts)):
            run.stop_reason = f"ladder stopped at {rate:g}/s per side: {reason}"
            climbing = False
    if not run.stop_reason:
        run.stop_reason = "end of plan"


async def bench_server(
    opts: argparse.Namespace, name: str, part: str, url: str, pairs: list[Pair], logs: Path
) -> ServerRun:
    run = ServerRun(name, LABELS[name], len(pairs), part=part)
    port = free_port()
    async with AsyncExitStack() as stack:
        redis = None
        if name == "tradehall":
            if opts.workers > 1:
                redis = await stack.enter_async_context(redis_for_bench(None, logs))
            argv = [*serve_argv(port), "--workers", str(opts.workers)]
            env = tradehall_env(opts, url, redis)
        else:
            argv, env = PEERS["websockets"].argv(port), {}
        server = await stack.enter_async_context(
            managed(name, argv, env=env, log=logs / f"{name}-{part}.log")
        )
        await wait_listening(server, port, 60)
        budget = opts.warmup_seconds + opts.seconds + len(opts.ladder) * opts.ladder_seconds
        gen = LoadGen(await stack.enter_async_context(managed(
            f"loadgen-{name}",
            [sys.executable, "-m", "bench.negotiation.loadgen",
             "--max-seconds",
             str(int(budget * 3 + opts.idle_wait_seconds * (len(opts.ladder) + 2) + 600))],
            log=logs / f"loadgen-{name}-{part}.log", pipes=True,
        )))
        auth = name == "tradehall"  # the bare ceiling checks nothing
        await gen.send({
            "host": HOST, "port": port, "kind": name,
            "pairs": [[p.topic, p.buyer_authorization if auth else None,
                       p.supplier_authorization if auth else None] for p in pairs],
            "body_bytes": opts.body_bytes if auth else opts.body_bytes + opts.ceiling_pad,
            "connect_timeout": 60, "concurrency": opts.connect_concurrency,
        })
        ready = await gen.recv(300 + len(pairs))
        run.connected, run.connect_failures = int(ready["connected"]), int(ready["failed"])
        run.connect_errors = list(ready["errors"])
        run.connect_seconds = float(ready["connect_seconds"])
        await asyncio.sleep(1.0)
        run.rss_idle_mib = rss_bytes([server.pid]) / MIB
        if run.connect_failures:
            run.error = f"{run.connect_failures} clients failed to connect: {run.connect_errors}"
            return run
        target = Target(name, server, gen, url if name == "tradehall" and "postgresql" in url
                        else None, redis)
        await run_plan(opts, target, run)
        late = (await gen.ask({"cmd": "late"}))["late_other"]
        for step in run.steps:
            step.late_delivered = int(late.get(str(step.step), 0))
        await gen.send({"cmd": "quit"})
    return run


def conditions(url: str, workers: int | None = None) -> dict[str, Any]:
    """The machine and versions (bench.ws.run), PostgreSQL's version, the commit and how many
    tracked files had uncommitted changes (results of a working tree say so)."""
    found = machine_conditions()
    for package in ("sqlalchemy", "asyncpg", "fastapi"):
        found["packages"][package] = metadata.version(package)
    try:
        found["postgresql"] = subprocess.run(  # noqa: S603 - fixed argv
            ["psql", "--version"], capture_output=True, text=True, check=False,  # noqa: S607
        ).stdout.strip()
        found["commit"] = subprocess.run(  # noqa: S603 - fixed argv
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,  # noqa: S607
            check=False,
        ).stdout.strip()
        found["uncommitted_files"] = len(subprocess.run(  # noqa: S603 - fixed argv
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            capture_output=True, text=True, check=False,
        ).stdout.splitlines())
    except OSError:
        pass
    found["database"] = url.split("@")[-1]
    if workers is not None:
        found["workers"] = workers
    return found


async def main_async(opts: argparse.Namespace) -> int:
    out = Path(opts.out)
    logs = out.parent / (out.stem + "-logs")
    logs.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {
        "conditions": conditions(opts.database_url, opts.workers),
        "options": {**vars(opts), "out": str(out)}, "runs": [], "summary": {},
    }
    print(f"conditions: {json.dumps(document['conditions'])}", flush=True)
    runs: list[ServerRun] = []
    async with fresh_database(opts.database_url, keep=opts.keep_database) as url:
        began = time.monotonic()
        pairs = await seed(url, opts.pairs, opts.suppliers)
        document["seed_seconds"] = round(time.monotonic() - began, 1)
        print(f"seeded {len(pairs)} negotiations in {document['seed_seconds']} s", flush=True)
        for name, part in runs_for(opts):
            print(f"== {name} ({part}): {LABELS[name]}", flush=True)
            try:
                run = await bench_server(opts, name, part, url, pairs, logs)
            except (Exception, TimeoutError) as exc:  # noqa: BLE001 - recorded, next server runs
                run = ServerRun(name, LABELS[name], len(pairs), part=part,
                                error=f"{type(exc).__name__}: {exc}")
            runs.append(run)
            document["runs"] = [dataclasses.asdict(r) for r in runs]
            document["summary"] = summary(runs)
            out.write_text(json.dumps(document, indent=1))
    print()
    print(table(runs))
    print(json.dumps(document["summary"], indent=1))
    print(f"\nresults: {out}")
    incomplete = [f"{s.server} {s.phase} {s.rate_per_side:g}/s" for r in runs for s in r.steps
                  if not s.ok]
    if incomplete:
        print(f"NOTE: not every message was delivered within the drain, or errors, in: "
              f"{', '.join(incomplete)}", file=sys.stderr)
    failed = [f"{r.server}: {r.error}" for r in runs if r.error]
    if failed:
        print(f"FAILED: {failed}", file=sys.stderr)
        return 1
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.negotiation.run", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )

    def rates(text: str) -> list[float]:
        return [float(r) for r in text.split(",") if r.strip()]

    parser.add_argument("--servers", type=names_from(LABELS), default=["ceiling", "tradehall"])
    parser.add_argument("--pairs", type=int, default=200, help="concurrent negotiations")
    parser.add_argument("--suppliers", type=int, default=None,
                        help="supplier orgs (default: one per negotiation)")
    parser.add_argument("--rate", type=float, default=1.0,
                        help="messages/s each side sends in the main step")
    parser.add_argument("--seconds", type=float, default=60.0, help="main step length")
    parser.add_argument("--warmup-seconds", type=float, default=10.0)
    parser.add_argument("--ladder", type=rates,
                        default=[0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0],
                        help="headroom: rising rates per side (TradeHall), on a server of its "
                        "own; it stops at the first step with p99 > --p99-limit-ms, an error, "
                        "a lost connection or an undelivered message")
    parser.add_argument("--ladder-seconds", type=float, default=30.0)
    parser.add_argument("--parts", type=lambda text: text.split(","), default=["main", "ladder"],
                        help="main (the issue's load), ladder (headroom), or both")
    parser.add_argument("--ceiling-ladder", action="store_true",
                        help="climb the ladder with the ceiling too")
    parser.add_argument("--drain-seconds", type=float, default=10.0,
                        help="after a step, wait at most this long for its deliveries")
    parser.add_argument("--p99-limit-ms", type=float, default=1000.0)
    parser.add_argument("--idle-wait-seconds", type=float, default=600.0,
                        help="after a step, wait at most this long for the server to go idle")
    parser.add_argument("--workers", type=int, default=1,
                        help="TradeHall workers; > 1 adds a private Redis as the broker")
    parser.add_argument("--body-bytes", type=int, default=60, help="chat message length")
    parser.add_argument("--ceiling-pad", type=int, default=230,
                        help="extra body bytes for the ceiling, so its frames are about the "
                        "size of TradeHall's message.created events")
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE,
                        help="created (dropped first if it exists) and dropped at the end")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--out", type=Path, default=None,
                        help="results file (default: bench/results/negotiation-<UTC time>.json)")
    opts = parser.parse_args(argv)
    if opts.out is None:
        opts.out = Path(f"bench/results/negotiation-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json")
    return opts


def main(argv: list[str] | None = None) -> None:
    opts = parse_args(argv)
    run_harness(lambda: main_async(opts))


if __name__ == "__main__":
    main()
