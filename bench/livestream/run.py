"""Livestream room benchmark runner (issue 7): one room, 2,000 viewer sockets, 50 chat
messages/s and 500 likes/s, on TradeHall (one node on the in-process broker, one and two
nodes on Redis) side by side with the bare-stack ceiling of the realtime issue.

    .venv/bin/python -m bench.livestream.run                      # the issue's load, 60 s
    .venv/bin/python -m bench.livestream.run --viewers 200 --seconds 10 --warmup-seconds 3

1. A fresh database (`--database-url`, PostgreSQL by default; SQLite with a
   `sqlite+aiosqlite:///FILE` URL; dropped at the end unless `--keep-database`), migrated and
   filled (bench.livestream.seed): one live show with a pinned product, `--viewers` viewer
   users with an API bearer token each.
2. For each repeat, each server (`--servers`), interleaved: start it on free ports; start
   one load-generator process (bench.livestream.loadgen) holding every viewer's WebSocket
   (spread round-robin over the nodes), each joined to `livestream:{id}`; a warm-up step,
   then the main step (`--chat-rate` chat.send/s from the first `--senders` viewers, each
   sending every senders/chat-rate s, and `--like-rate` like frames/s from all viewers, for
   `--seconds`). After each step the runner waits until the nodes are idle again.
   - `ceiling`: bench/ws/servers/ws_bare.py, the realtime issue's ceiling (`websockets` +
     `broadcast()`), one frame per chat line to every viewer, likes counted, a stats event
     every second; no auth, no database. `ceiling-batched`: the same with 100 ms batches
     (`--coalesce-ms`), i.e. the frames TradeHall's livestream topics send.
   - `tradehall-memory`: `tradehall serve` (uvicorn, websockets-sansio, as deployed), one
     node, in-process broker. `tradehall-redis`: one node on a private `redis-server`
     (bench.ws.private_redis). `tradehall-redis-2`: two nodes on that Redis. TradeHall runs
     with the product's defaults; `--server-env KEY=VALUE` changes a setting, and is
     recorded in the results.
3. Per step: chat lines sent, accepted (acknowledged) and delivered (accepted x viewers
   expected), latency send -> every viewer's receipt p50/p90/p99/p99.9/max (overall and per
   node), acknowledgement latency, error frames by code, connections the server closed, frames
   and stats events received, the viewers and likes the stats events showed; each node's CPU
   (user+sys, % of a core) and RSS, PostgreSQL backends' and Redis's CPU, the load
   generator's CPU, and what other processes on the machine took.

Every process started here is stopped here (bench.ws.harness). Prints tables; writes JSON
(`--out`, under bench/results/ by default). Results and method: docs/benchmarks.md,
"Livestream room".
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import sys
import time
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.catalog.run import BackendMeter, drain
from bench.livestream.results import ServerRun, StepResult, summary, summary_table, table
from bench.livestream.seed import Room, seed_room
from bench.negotiation.run import conditions
from bench.negotiation.seed import fresh_database
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
from bench.ws.servers import PEERS
from bench.ws.stats import Sketch, percentile
from bench.ws.tradehall import serve_argv

HOST = "127.0.0.1"
MIB = 1024 * 1024
DEFAULT_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/tradehall_bench_livestream"


@dataclasses.dataclass(frozen=True)
class ServerConfig:
    name: str
    label: str
    tradehall: bool
    nodes: int = 1
    redis: bool = False
    batched: bool = False


CONFIGS = {c.name: c for c in [
    ServerConfig("ceiling", "(a) bare websockets + broadcast(), a frame per chat line", False),
    ServerConfig("ceiling-batched", "(a) the same, frames batched per 100 ms", False,
                 batched=True),
    ServerConfig("tradehall-memory", "TradeHall, 1 node, in-process broker", True),
    ServerConfig("tradehall-redis", "TradeHall, 1 node, Redis broker", True, redis=True),
    ServerConfig("tradehall-redis-2", "TradeHall, 2 nodes, Redis broker", True, nodes=2,
                 redis=True),
]}
TOPIC_HINT = (
    "the livestream topic is not registered in this tree (app/realtime/setup.py): "
    "TradeHall refused the join with topic_not_found"
)


@dataclasses.dataclass
class Target:
    config: ServerConfig
    nodes: list[Managed]
    gen: LoadGen
    db_url: str | None
    redis: PrivateRedis | None


def tradehall_env(opts: argparse.Namespace, url: str, redis: PrivateRedis | None,
                  tag: str) -> dict[str, str]:
    env = {"TRADEHALL_DATABASE_URL": url, "TRADEHALL_LOG_LEVEL": "WARNING"}
    if redis is not None:
        env["TRADEHALL_REDIS_URL"] = redis.url
        env["TRADEHALL_REDIS_PREFIX"] = f"bench-livestream-{tag}:"
    env.update(opts.server_env)
    return env


async def start_servers(
    stack: AsyncExitStack, opts: argparse.Namespace, config: ServerConfig, url: str,
    logs: Path, tag: str,
) -> tuple[list[Managed], list[int], PrivateRedis | None]:
    """The server's processes, each listening on a free port (stopped with the stack).
    Node A starts (and finds the schema migrated) before node B."""
    if not config.tradehall:
        port = free_port()
        argv = [*PEERS["websockets"].argv(port), "--stats-seconds", "1",
                "--coalesce-ms", str(opts.coalesce_ms if config.batched else 0)]
        handle = await stack.enter_async_context(
            managed(config.name, argv, log=logs / f"{tag}.log"))
        await wait_listening(handle, port, 30)
        return [handle], [port], None
    redis = (await stack.enter_async_context(redis_for_bench(None, logs))
             if config.redis else None)
    env = tradehall_env(opts, url, redis, tag)
    handles, ports = [], []
    for index in range(config.nodes):
        port = free_port()
        name = f"node{chr(ord('A') + index)}"
        handle = await stack.enter_async_context(
            managed(name, serve_argv(port), env=env, log=logs / f"{tag}-{name}.log"))
        await wait_listening(handle, port, 90)
        handles.append(handle)
        ports.append(port)
    return handles, ports, redis


async def wait_quiet(opts: argparse.Namespace) -> float:
    """Wait (at most --quiet-wait s) until processes this run did not start use at most
    --quiet-threshold % of a core over one second; return that share. Everything the run
    started descends from this process."""
    deadline = time.monotonic() + opts.quiet_wait
    while True:
        ours = CpuMeter([os.getpid()])
        ours.start()
        busy0, _ = machine_busy_seconds()
        await asyncio.sleep(1.0)
        busy1, _ = machine_busy_seconds()
        cpu, wall = ours.read()
        others = max(0.0, 100 * (busy1 - busy0 - cpu) / wall)
        if others <= opts.quiet_threshold or time.monotonic() > deadline:
            return others


def _ms(sketch: Sketch, q: float) -> float | None:
    return percentile([sketch], q)


async def measure_step(
    opts: argparse.Namespace, target: Target, repeat: int, phase: str, step: int,
    seconds: float,
) -> StepResult:
    others_before = await wait_quiet(opts)
    nodes = [CpuMeter([n.pid]) for n in target.nodes]
    loadgen = CpuMeter([target.gen.handle.pid])
    redis = CpuMeter(target.redis.pids if target.redis else [])
    ours = CpuMeter([os.getpid()])
    backends = BackendMeter(target.db_url)
    for meter in (*nodes, loadgen, redis, ours):
        meter.start()
    backends.start()
    busy0, total0 = machine_busy_seconds()
    reply = await target.gen.ask(
        {"cmd": "step", "step": step, "chat_rate": opts.chat_rate, "like_rate": opts.like_rate,
         "seconds": seconds, "drain": opts.drain_seconds},
        timeout=seconds * 3 + opts.drain_seconds + 120,
    )
    node_readings = [m.read() for m in nodes]
    (loadgen_s, wall), (redis_s, _), (ours_s, _) = loadgen.read(), redis.read(), ours.read()
    db_s = await backends.stop()
    busy1, total1 = machine_busy_seconds()
    latency = Sketch.from_json(reply["latency"])
    per_node = [Sketch.from_json(s) for s in reply["latency_per_node"]]
    ack = Sketch.from_json(reply["ack"])
    accepted, joined = int(reply["accepted"]), int(reply["joined"])
    span = max((int(reply["last_receipt_ns"]) - int(reply["first_send_ns"])) / 1e9, seconds)
    server_s = sum(cpu for cpu, _ in node_readings)
    delivered = int(reply["delivered"])
    return StepResult(
        server=target.config.name, phase=phase, step=step, repeat=repeat,
        nodes=len(target.nodes), seconds=seconds, joined=joined,
        joined_per_node=list(reply["joined_per_node"]),
        chat_sent=int(reply["chat_sent"]), chat_per_s=int(reply["chat_sent"]) / seconds,
        likes_sent=int(reply["likes_sent"]), likes_per_s=int(reply["likes_sent"]) / seconds,
        accepted=accepted, expected=int(reply["expected"]), delivered=delivered,
        completeness=delivered / int(reply["expected"]) if int(reply["expected"]) else 0.0,
        delivered_per_node=[
            got / (accepted * n) if accepted * n else 0.0
            for got, n in zip(reply["delivered_per_node"], reply["joined_per_node"], strict=True)
        ],
        p50_ms=_ms(latency, 50), p90_ms=_ms(latency, 90), p99_ms=_ms(latency, 99),
        p999_ms=_ms(latency, 99.9), max_ms=_ms(latency, 100),
        p99_per_node_ms=[_ms(s, 99) for s in per_node],
        ack_p50_ms=_ms(ack, 50), ack_p99_ms=_ms(ack, 99),
        errors={str(k): int(v) for k, v in reply["errors"].items()},
        closed={str(k): int(v) for k, v in reply["closed"].items()},
        lost_connections=int(reply["lost_connections"]),
        frames_per_s=int(reply["frames"]) / span,
        batched_share=int(reply["batch_frames"]) / max(1, int(reply["frames"])),
        bytes_per_frame=int(reply["frame_bytes"]) / max(1, int(reply["frames"])),
        stats_per_viewer_s=int(reply["stats_frames"]) / max(1, joined) / wall,
        viewers_shown=int(reply["max_viewers_shown"]), likes_shown=int(reply["likes_shown"]),
        node_cpu_pct=[100 * cpu / w for cpu, w in node_readings],
        server_cpu_pct=100 * server_s / wall,
        server_us_per_delivery=1e6 * server_s / delivered if delivered else None,
        node_rss_mib=[rss_bytes([n.pid]) / MIB for n in target.nodes],
        db_cpu_pct=100 * db_s / wall if target.db_url else None,
        redis_cpu_pct=100 * redis_s / wall if target.redis else None,
        loadgen_cpu_pct=100 * loadgen_s / wall,
        machine_busy_pct=100 * (busy1 - busy0) / max(total1 - total0, 1e-9),
        others_cpu_pct=max(0.0, 100 * (busy1 - busy0 - ours_s - db_s) / wall),
        others_before_pct=others_before, wall_s=round(wall, 2),
    )


def _print_step(step: StepResult) -> None:
    p99 = step.p99_ms if step.p99_ms is not None else float("nan")
    print(f"  {step.server} {step.phase}: chat {step.chat_per_s:.1f}/s, likes "
          f"{step.likes_per_s:.0f}/s, delivered {step.completeness:.2%} of "
          f"{step.expected:,}, p99 {p99:,.1f} ms, errors {step.errors or 0}, lost "
          f"{step.lost_connections}, server CPU {step.server_cpu_pct:.0f}% "
          f"({' + '.join(f'{c:.0f}' for c in step.node_cpu_pct)}), loadgen "
          f"{step.loadgen_cpu_pct:.0f}%, others {step.others_cpu_pct:.0f}%", flush=True)


async def bench_config(
    opts: argparse.Namespace, config: ServerConfig, repeat: int, url: str, room: Room,
    logs: Path,
) -> ServerRun:
    run = ServerRun(config.name, config.label, config.nodes, repeat, len(room.viewers))
    tag = f"{config.name}-r{repeat}"
    async with AsyncExitStack() as stack:
        handles, ports, redis = await start_servers(stack, opts, config, url, logs, tag)
        await asyncio.sleep(0.5)
        run.rss_start_mib = [rss_bytes([h.pid]) / MIB for h in handles]
        budget = (opts.warmup_seconds + opts.seconds) * 3 + 2 * opts.idle_wait_seconds + 900
        gen = LoadGen(await stack.enter_async_context(managed(
            f"loadgen-{config.name}",
            [sys.executable, "-m", "bench.livestream.loadgen", "--max-seconds", str(int(budget))],
            log=logs / f"{tag}-loadgen.log", pipes=True,
        )))
        await gen.send({
            "kind": "tradehall" if config.tradehall else "ceiling", "host": HOST,
            "ports": ports, "topic": room.topic, "senders": opts.senders,
            "viewers": [[uid, name, auth if config.tradehall else None]
                        for uid, name, auth in room.viewers],
            "body_bytes": opts.body_bytes, "connect_timeout": 120,
            "concurrency": opts.connect_concurrency,
        })
        ready = await gen.recv(300 + len(room.viewers) / 5)
        run.connected, run.connect_failures = int(ready["connected"]), int(ready["failed"])
        run.connected_per_node = list(ready["connected_per_node"])
        run.connect_errors = list(ready["errors"])
        run.connect_seconds = float(ready["connect_seconds"])
        if run.connected == 0:
            refused = " ".join(run.connect_errors)
            run.error = TOPIC_HINT if "topic_not_found" in refused else (
                f"no viewer joined: {run.connect_errors}")
            return run
        await asyncio.sleep(2.0)
        run.rss_joined_mib = [rss_bytes([h.pid]) / MIB for h in handles]
        status = await gen.ask({"cmd": "status"})
        run.closed_after_join = {str(k): int(v) for k, v in status["closed"].items()}
        if int(status["open"]) == 0:
            run.error = (f"the server closed every viewer's connection after the join: "
                         f"{run.closed_after_join} (see {tag}-node*.log)")
            return run
        target = Target(config, handles, gen,
                        url if config.tradehall and "postgresql" in url else None, redis)
        phases = [("warmup", opts.warmup_seconds), ("main", opts.seconds)]
        for index, (phase, seconds) in enumerate(phases):
            if seconds <= 0:
                continue
            step = await measure_step(opts, target, repeat, phase, index, seconds)
            # An overloaded step leaves a backlog: it must not spill into the next step.
            began = time.monotonic()
            for handle in handles:
                await drain(handle, opts.idle_wait_seconds)
            step.idle_wait_s = round(time.monotonic() - began, 1)
            run.steps.append(step)
            _print_step(step)
        late = (await gen.ask({"cmd": "late"}))["late"]
        for step in run.steps:
            step.late_delivered = int(late.get(str(step.step), 0))
        await gen.send({"cmd": "quit"})
    return run


async def main_async(opts: argparse.Namespace) -> int:
    out = Path(opts.out)
    logs = out.parent / (out.stem + "-logs")
    logs.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {
        "conditions": conditions(opts.database_url),
        "options": {**vars(opts), "out": str(out)}, "runs": [], "summary": [],
    }
    print(f"conditions: {json.dumps(document['conditions'])}", flush=True)
    if opts.server_env:
        print(f"NOTE: TradeHall settings changed for this run: {opts.server_env}", flush=True)
    runs: list[ServerRun] = []
    async with fresh_database(opts.database_url, keep=opts.keep_database) as url:
        began = time.monotonic()
        room = await seed_room(url, opts.viewers)
        document["seed_seconds"] = round(time.monotonic() - began, 1)
        print(f"seeded show {room.livestream_id} with {len(room.viewers)} viewers in "
              f"{document['seed_seconds']} s", flush=True)
        for repeat in range(opts.repeats):
            for name in opts.servers:
                config = CONFIGS[name]
                print(f"== {name} ({config.label}), repeat {repeat}", flush=True)
                limit = (opts.warmup_seconds + opts.seconds) * 3 + 2 * opts.idle_wait_seconds + 900
                try:
                    run = await asyncio.wait_for(
                        bench_config(opts, config, repeat, url, room, logs), limit)
                except (Exception, TimeoutError) as exc:  # noqa: BLE001 - recorded; next runs
                    run = ServerRun(name, config.label, config.nodes, repeat, opts.viewers,
                                    error=f"{type(exc).__name__}: {exc}")
                if run.error:
                    print(f"  {name}: {run.error}", flush=True)
                runs.append(run)
                document["runs"] = [dataclasses.asdict(r) for r in runs]
                document["summary"] = summary(runs)
                out.write_text(json.dumps(document, indent=1))
    print()
    print(table(runs))
    print()
    print(summary_table(document["summary"]))
    print(f"\nresults: {out}")
    failed = [f"{r.server} (repeat {r.repeat}): {r.error}" for r in runs if r.error]
    if failed:
        print(f"FAILED: {failed}", file=sys.stderr)
        return 1
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.livestream.run", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )

    def setting(text: str) -> tuple[str, str]:
        key, sep, value = text.partition("=")
        if not sep or not key.startswith("TRADEHALL_"):
            raise argparse.ArgumentTypeError("give TRADEHALL_<SETTING>=<value>")
        return key, value

    parser.add_argument("--servers", type=names_from(CONFIGS), default=list(CONFIGS),
                        help=f"comma-separated, run in this order: {', '.join(CONFIGS)}")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--viewers", type=int, default=2000, help="viewer sockets in the room")
    parser.add_argument("--senders", type=int, default=50,
                        help="viewers who chat (the first ones; each sends every "
                        "senders/chat-rate seconds)")
    parser.add_argument("--chat-rate", type=float, default=50.0, help="chat.send per second")
    parser.add_argument("--like-rate", type=float, default=500.0, help="like frames per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="main step length")
    parser.add_argument("--warmup-seconds", type=float, default=10.0)
    parser.add_argument("--drain-seconds", type=float, default=10.0,
                        help="after a step, wait at most this long for its deliveries")
    parser.add_argument("--idle-wait-seconds", type=float, default=30.0,
                        help="after a step, wait at most this long for the nodes to go idle")
    parser.add_argument("--body-bytes", type=int, default=60, help="chat line length")
    parser.add_argument("--coalesce-ms", type=float, default=100.0,
                        help="the batched ceiling's window (TradeHall's is 100 ms)")
    parser.add_argument("--server-env", type=setting, action="append", default=[],
                        help="TRADEHALL_X=value for the TradeHall nodes (recorded; the "
                        "default is the product's settings)")
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--quiet-threshold", type=float, default=25.0,
                        help="before a step, wait until others use at most this %% of a core")
    parser.add_argument("--quiet-wait", type=float, default=20.0,
                        help="longest wait for a quiet machine before a step (s)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE,
                        help="created (dropped first if it exists) and dropped at the end")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--out", type=Path, default=None,
                        help="results file (default: bench/results/livestream-<UTC time>.json)")
    opts = parser.parse_args(argv)
    opts.server_env = dict(opts.server_env)
    if opts.out is None:
        opts.out = Path(f"bench/results/livestream-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json")
    return opts


def main(argv: list[str] | None = None) -> None:
    opts = parse_args(argv)
    run_harness(lambda: main_async(opts))


if __name__ == "__main__":
    main()
