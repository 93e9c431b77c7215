"""Realtime fan-out benchmark runner.

    .venv/bin/python -m bench.ws.run --servers websockets,starlette-sansio,starlette-ws,socketio \
        --clients 1000,5000 --max-seconds 2400

For each client count and server (interleaved, `--repeats` times): start the server on a
free port, start the load-generator process(es) holding the subscribers, measure the
server's RSS idle and with every client joined, then publish from this process at rising
rates, `--step-seconds` per step, until deliveries/s stop growing (twice), p99 exceeds 1 s,
messages are left undelivered, or the time budget runs out. Every process started here is
stopped here (also on errors and Ctrl-C). Prints a table; writes JSON (`--out`).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import platform
import sys
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.ws.adapters import Adapter, AdapterConfig
from bench.ws.client import NullSink, WSClient, keepalive_loop, open_client
from bench.ws.harness import run_harness
from bench.ws.procs import (
    CpuMeter,
    Managed,
    free_port,
    machine_busy_seconds,
    managed,
    pids_named,
    rss_bytes,
    wait_listening,
)
from bench.ws.results import (
    NOISY_OTHERS_PCT,
    ServerRun,
    StepResult,
    step_table,
    summarize,
    table,
)
from bench.ws.servers import ServerSpec, all_servers
from bench.ws.stats import Sketch, percentile
from bench.ws.wire import DEFAULT_PAYLOAD_BYTES

HOST = "127.0.0.1"
MIB = 1024 * 1024
DEFAULT_LADDER = [1e3, 5e3, 1e4, 2e4, 4e4, 6e4, 8e4, 1e5, 1.25e5, 1.5e5, 2e5, 2.5e5, 3e5, 4e5]
"""Offered deliveries/s per step (rate x clients); rates are derived per client count."""


class LoadGen:
    """One load-generator process, driven over JSON lines on its stdin/stdout."""

    def __init__(self, handle: Managed) -> None:
        self.handle = handle

    async def send(self, message: dict[str, Any] | str) -> None:
        stdin = self.handle.proc.stdin
        if stdin is None:
            raise RuntimeError("loadgen has no stdin")
        text = message if isinstance(message, str) else json.dumps(message)
        stdin.write(text.encode() + b"\n")
        await stdin.drain()

    async def recv(self, timeout: float) -> dict[str, Any]:
        stdout = self.handle.proc.stdout
        if stdout is None:
            raise RuntimeError("loadgen has no stdout")
        line = await asyncio.wait_for(stdout.readline(), timeout)
        if not line:
            raise RuntimeError(f"loadgen exited ({self.handle.proc.returncode}); see its log")
        reply: dict[str, Any] = json.loads(line)
        return reply

    async def ask(self, message: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
        await self.send(message)
        return await self.recv(timeout)


@dataclasses.dataclass
class Context:
    opts: argparse.Namespace
    spec: ServerSpec
    server: Managed
    gens: list[LoadGen]
    adapter: Adapter
    publisher: WSClient
    connected: int
    redis_pids: list[int]


def rates_for(clients: int, opts: argparse.Namespace) -> list[float]:
    if opts.rates:
        return [float(r) for r in opts.rates.split(",")]
    rates: list[float] = []
    for offered in DEFAULT_LADDER:
        rate = float(max(1, round(offered / clients)))
        if not rates or rate > rates[-1]:
            rates.append(rate)
    return rates


async def publish(ctx: Context, step: int, rate: float) -> tuple[int, float]:
    """Send `rate` messages/s for `--step-seconds`, paced on a fixed schedule (late sends
    go out at once, so the offered load is kept even when this loop is delayed)."""
    total = max(1, round(rate * ctx.opts.step_seconds))
    interval = 1.0 / rate
    start = time.monotonic()
    for seq in range(total):
        delay = start + seq * interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        elif seq % 64 == 0:
            await asyncio.sleep(0)
        if ctx.publisher.closed:
            raise RuntimeError("the server closed the publisher's connection")
        payload = ctx.adapter.make_payload(step, seq, ctx.opts.payload_bytes)
        ctx.publisher.send_text(ctx.adapter.publish_frame(payload, step * 1_000_000 + seq))
    return total, time.monotonic() - start


def our_meters(ctx: Context) -> list[CpuMeter]:
    """server, load generators, this process (the publisher), Redis."""
    return [
        CpuMeter([ctx.server.pid]),
        CpuMeter([g.handle.pid for g in ctx.gens]),
        CpuMeter([os.getpid()], tree=False),
        CpuMeter(ctx.redis_pids),
    ]


async def wait_quiet(ctx: Context) -> float:
    """The machine is shared: wait (at most --quiet-wait s) until processes this run did not
    start use at most --quiet-threshold % of a core over one second. Returns that share."""
    deadline = time.monotonic() + ctx.opts.quiet_wait
    while True:
        meters = our_meters(ctx)
        for meter in meters:
            meter.start()
        busy0, _ = machine_busy_seconds()
        await asyncio.sleep(1.0)
        busy1, _ = machine_busy_seconds()
        readings = [m.read() for m in meters]
        wall = readings[0][1]
        others = max(0.0, 100 * (busy1 - busy0 - sum(cpu for cpu, _ in readings)) / wall)
        if others <= ctx.opts.quiet_threshold or time.monotonic() > deadline:
            return others


async def run_step(ctx: Context, step: int, rate: float) -> StepResult:
    others_before = await wait_quiet(ctx)
    meters = our_meters(ctx)
    for meter in meters:
        meter.start()
    busy0, total0 = machine_busy_seconds()
    first_ns = time.time_ns()
    published, publish_s = await publish(ctx, step, rate)
    expected = published * ctx.connected
    deadline = time.monotonic() + ctx.opts.drain_seconds
    counts: list[dict[str, Any]] = []
    while True:
        counts = await asyncio.gather(*(g.ask({"cmd": "counts"}) for g in ctx.gens))
        received = sum(int(c["counts"].get(str(step), 0)) for c in counts)
        if received >= expected or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    (server_s, wall), (loadgen_s, _), (me_s, _), (redis_s, _) = [m.read() for m in meters]
    busy1, total1 = machine_busy_seconds()
    ours = server_s + loadgen_s + me_s + redis_s
    summaries = await asyncio.gather(*(g.ask({"cmd": "summary", "step": step}) for g in ctx.gens))
    received = sum(int(s["count"]) for s in summaries)
    sketches = [Sketch.from_json(s["sketch"]) for s in summaries]
    last_ns = max(int(s["last_ns"]) for s in summaries)
    # From the first publish to the last receipt, but never less than the publishing window
    # itself (at 1 msg/s the last of 5 messages leaves after 4 s, not 5).
    span = max((last_ns - first_ns) / 1e9, published / rate) if received else 0.0
    size_total = sum(int(s["size_total"]) for s in summaries)
    return StepResult(
        step=step,
        rate=rate,
        published=published,
        publish_seconds=round(publish_s, 3),
        expected=expected,
        received=received,
        completeness=received / expected if expected else 0.0,
        delivered_per_s=received / span if span > 0 else 0.0,
        span_s=round(span, 3),
        p50_ms=percentile(sketches, 50),
        p90_ms=percentile(sketches, 90),
        p99_ms=percentile(sketches, 99),
        p999_ms=percentile(sketches, 99.9),
        max_ms=percentile(sketches, 100),
        frame_bytes=size_total / received if received else 0.0,
        server_cpu_s=round(server_s, 3),
        server_cpu_pct=100 * server_s / wall,
        server_us_per_msg=1e6 * server_s / received if received else None,
        server_rss_mib=rss_bytes([ctx.server.pid]) / MIB,
        loadgen_cpu_pct=100 * loadgen_s / wall,
        publisher_cpu_pct=100 * me_s / wall,
        redis_cpu_pct=100 * redis_s / wall if ctx.redis_pids else None,
        machine_busy_pct=100 * (busy1 - busy0) / max(total1 - total0, 1e-9),
        others_cpu_pct=max(0.0, 100 * (busy1 - busy0 - ours) / wall),
        wall_s=round(wall, 3),
        others_before_pct=others_before,
        late=sum(int(c["late"]) for c in counts),
        lost_connections=sum(int(c["lost"]) for c in counts),
    )


def stop_reason(run: ServerRun, step: StepResult, flat_steps: int, opts: argparse.Namespace) -> str:
    if step.p99_ms is not None and step.p99_ms > opts.p99_limit_ms:
        return f"p99 {step.p99_ms:.0f} ms > {opts.p99_limit_ms:.0f} ms"
    if step.completeness < 0.99:
        return f"undelivered after {opts.drain_seconds:.0f} s drain ({step.completeness:.1%})"
    if step.lost_connections > 0.01 * run.clients:
        return f"{step.lost_connections} clients disconnected"
    if flat_steps >= 2:
        return "deliveries/s stopped growing (2 steps < +5%)"
    return ""


@asynccontextmanager
async def loadgens(
    opts: argparse.Namespace, port: int, adapter: AdapterConfig, clients: int, logs: Path,
    budget: float,
) -> AsyncIterator[list[LoadGen]]:
    procs = max(1, min(opts.loadgen_procs, clients))
    shares = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    async with AsyncExitStack() as stack:
        gens = []
        for index, share in enumerate(shares):
            argv = [
                sys.executable, "-m", "bench.ws.loadgen", "--host", HOST, "--port", str(port),
                "--clients", str(share), "--warmup", str(opts.warmup if index == 0 else 0),
                "--concurrency", str(opts.connect_concurrency), "--parser", opts.parser,
                "--max-seconds", str(int(budget + 120)),
            ]
            handle = await stack.enter_async_context(
                managed(f"loadgen{index}", argv, log=logs / f"loadgen{index}.log", pipes=True)
            )
            gen = LoadGen(handle)
            await gen.send(adapter.to_json())
            gens.append(gen)
        try:
            yield gens
        finally:
            for gen in gens:
                if gen.handle.proc.returncode is None:
                    try:
                        await asyncio.wait_for(gen.send({"cmd": "quit"}), 2)
                    except (OSError, TimeoutError, RuntimeError):
                        pass


async def bench_server(
    opts: argparse.Namespace, spec: ServerSpec, clients: int, repeat: int, budget: float,
    logs: Path,
) -> ServerRun:
    run = ServerRun(spec.name, spec.label, clients, repeat)
    deadline = time.monotonic() + budget
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    server_log = logs / f"{spec.name}-{clients}-{repeat}.log"
    try:
        await _bench_server(opts, spec, run, port, deadline, budget, logs, server_log)
    finally:
        if spec.cleanup is not None:
            spec.cleanup()
    return run


async def _bench_server(
    opts: argparse.Namespace, spec: ServerSpec, run: ServerRun, port: int, deadline: float,
    budget: float, logs: Path, server_log: Path,
) -> None:
    clients = run.clients
    async with managed(spec.name, spec.argv(port), env=spec.env, log=server_log) as server:
        await wait_listening(server, port, 30)
        adapter_config = spec.adapter
        if spec.prepare is not None:
            adapter_config = await spec.prepare(port, adapter_config)
        await asyncio.sleep(0.5)
        run.rss_start_mib = rss_bytes([server.pid]) / MIB
        async with loadgens(opts, port, adapter_config, clients, logs, budget) as gens:
            warm = [await g.recv(60) for g in gens]
            warm_count = sum(int(w["connected"]) for w in warm)
            await asyncio.sleep(1.0)
            rss_warm = rss_bytes([server.pid])
            started = time.monotonic()
            for gen in gens:
                await gen.send({"cmd": "go"})
            ready = [await g.recv(120 + clients / 50) for g in gens]
            run.connect_seconds = round(time.monotonic() - started, 2)
            run.connected = sum(int(r["connected"]) for r in ready)
            run.connect_failures = sum(int(r["failed"]) for r in ready)
            run.connect_errors = sorted({e for r in ready for e in r["errors"]})[:5]
            await asyncio.sleep(2.0)
            rss_idle = rss_bytes([server.pid])
            run.rss_warm_mib = rss_warm / MIB
            run.rss_idle_mib = rss_idle / MIB
            if run.connected > warm_count:
                run.idle_kib_per_conn = (rss_idle - rss_warm) / (run.connected - warm_count) / 1024
            if run.connected == 0:
                run.error = f"no client connected: {run.connect_errors}"
                return
            if opts.idle_only:
                run.stop_reason = "idle only"
                return
            adapter = adapter_config.build()
            publisher = await open_client(
                HOST, port, adapter, "publisher", NullSink(), time.time_ns, 30
            )
            ctx = Context(
                opts, spec, server, gens, adapter, publisher, run.connected,
                pids_named("redis-server") if spec.uses_redis else [],
            )
            pinger = (
                asyncio.create_task(keepalive_loop([publisher], adapter.keepalive_seconds))
                if adapter.keepalive_seconds else None
            )
            try:
                best, flat = 0.0, 0
                for step, rate in enumerate(rates_for(clients, opts)):
                    step_cost = opts.step_seconds + opts.drain_seconds + opts.quiet_wait / 2
                    if time.monotonic() + step_cost > deadline:
                        run.stop_reason = "time budget"
                        break
                    result = await run_step(ctx, step, rate)
                    run.steps.append(result)
                    print(
                        f"  {spec.name} x{clients} rate {rate:.0f}/s: "
                        f"{result.delivered_per_s:,.0f} deliv/s, p99 "
                        f"{result.p99_ms if result.p99_ms is not None else float('nan'):.1f} ms, "
                        f"server CPU {result.server_cpu_pct:.0f}%, loadgen CPU "
                        f"{result.loadgen_cpu_pct:.0f}%",
                        flush=True,
                    )
                    flat = flat + 1 if result.delivered_per_s < 1.05 * best else 0
                    best = max(best, result.delivered_per_s)
                    if reason := stop_reason(run, result, flat, opts):
                        run.stop_reason = reason
                        break
                    await asyncio.sleep(0.3)
                else:
                    run.stop_reason = "end of rate ladder"
            finally:
                if pinger is not None:
                    pinger.cancel()
                publisher.abort()


def conditions() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
         if line.startswith("model name")), "unknown"
    )
    meminfo = Path("/proc/meminfo").read_text().split()
    versions: dict[str, str | None] = {}
    for package in ("websockets", "uvicorn", "starlette", "uvloop", "httptools",
                    "python-socketio", "python-engineio", "redis"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    import resource

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu_model": model,
        "mem_total_gib": round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": versions,
        "nofile_limit": resource.getrlimit(resource.RLIMIT_NOFILE),
        "redis_server": _redis_version(),
    }


def _redis_version() -> str | None:
    try:
        import redis

        info = redis.Redis(host=HOST, port=6379, socket_timeout=2).info("server")
        return str(info.get("redis_version"))
    except Exception:  # noqa: BLE001 - informational only
        return None


async def main_async(opts: argparse.Namespace) -> int:
    servers = all_servers()
    names = [n.strip() for n in opts.servers.split(",") if n.strip()]
    unknown = [n for n in names if n not in servers]
    if unknown:
        print(f"unknown servers: {unknown}; known: {sorted(servers)}", file=sys.stderr)
        return 2
    client_counts = [int(c) for c in str(opts.clients).split(",")]
    plan = [(c, servers[n], r) for r in range(opts.repeats) for c in client_counts for n in names]
    out = Path(opts.out)
    logs = out.parent / (out.stem + "-logs")
    began = time.monotonic()
    runs: list[ServerRun] = []
    document: dict[str, Any] = {
        "conditions": conditions(),
        "options": vars(opts),
        "runs": [],
        "summary": [],
    }
    print(f"conditions: {json.dumps(document['conditions'])}", flush=True)

    def save() -> None:
        document["runs"] = [dataclasses.asdict(r) for r in runs]
        document["summary"] = summarize(runs)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(document, indent=1))

    for index, (clients, spec, repeat) in enumerate(plan):
        remaining = opts.max_seconds - (time.monotonic() - began)
        budget = remaining / (len(plan) - index)
        if budget < 20:
            runs.append(ServerRun(spec.name, spec.label, clients, repeat, error="time budget"))
            continue
        print(f"== {spec.name} ({spec.label}), {clients} clients, repeat {repeat}, "
              f"budget {budget:.0f} s", flush=True)
        try:
            run = await asyncio.wait_for(
                bench_server(opts, spec, clients, repeat, budget, logs), budget + 180
            )
        except (Exception, TimeoutError) as exc:  # noqa: BLE001 - recorded, next server runs
            run = ServerRun(spec.name, spec.label, clients, repeat,
                            error=f"{type(exc).__name__}: {exc}")
        runs.append(run)
        print(step_table(run), flush=True)
        save()
    save()
    print()
    print(table(document["summary"]))
    noisy = [
        f"{row['server']} x{row['clients']}" for row in document["summary"]
        if (row.get("peak_others_cpu_pct") or 0) > NOISY_OTHERS_PCT
    ]
    if noisy:
        print(f"\nWARNING: other processes used > {NOISY_OTHERS_PCT:.0f}% of a core during the "
              f"peak step of {', '.join(noisy)}: deliveries/s and latencies are unreliable "
              "there (us/msg less so); rerun on a quieter machine or with --repeats.")
    print(f"\nresults: {out}")
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ws.run", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--servers", default="websockets,starlette-sansio,starlette-ws,socketio",
                        help="comma-separated; see bench/ws/servers/__init__.py")
    parser.add_argument("--clients", default="1000", help="comma-separated client counts")
    parser.add_argument("--max-seconds", type=float, default=1800,
                        help="wall-clock budget for the whole invocation")
    parser.add_argument("--step-seconds", type=float, default=5.0)
    parser.add_argument("--drain-seconds", type=float, default=5.0,
                        help="after a step, wait at most this long for its deliveries")
    parser.add_argument("--rates", default="",
                        help="publish rates (msgs/s), comma-separated; default: a ladder of "
                        "offered deliveries/s from 1k to 400k divided by the client count")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--loadgen-procs", type=int, default=1,
                        help="load-generator processes (they share the 2 cores with the server)")
    parser.add_argument("--connect-concurrency", type=int, default=100)
    parser.add_argument("--parser", choices=["fast", "websockets"], default="fast",
                        help="load generator's frame parser once joined: a minimal one, or "
                        "the websockets library's (see bench/ws/client.py)")
    parser.add_argument("--warmup", type=int, default=20,
                        help="connections opened before the idle-RSS baseline")
    parser.add_argument("--payload-bytes", type=int, default=DEFAULT_PAYLOAD_BYTES)
    parser.add_argument("--p99-limit-ms", type=float, default=1000.0)
    parser.add_argument("--quiet-threshold", type=float, default=25.0,
                        help="before a step, wait until others use at most this %% of a core")
    parser.add_argument("--quiet-wait", type=float, default=20.0,
                        help="longest wait for a quiet machine before a step (s)")
    parser.add_argument("--idle-only", action="store_true",
                        help="only measure memory per idle connection")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    parser.add_argument("--out", default=f"bench/results/ws-fanout-{stamp}.json")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    opts = parse_args(argv)
    run_harness(lambda: main_async(opts))


if __name__ == "__main__":
    main()
