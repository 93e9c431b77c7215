"""Two TradeHall nodes on Redis vs one: the same subscribers on one process or split over two.

    .venv/bin/python -m bench.ws.nodes --clients 5000 --repeats 2 --max-seconds 1800

For each repeat, one node and then two (the same client count, the same rate ladder): start
a private `redis-server` (see `bench.ws.private_redis`), then `tradehall serve` on Redis —
node A, and for two nodes node B on the same database file and Redis prefix — one
load-generator process whose clients are spread round-robin over the nodes' ports, and a
publisher on node A. Each step publishes `--step-seconds` at one rate on the ephemeral
`pulse:bench` topic and records, per node, server CPU and µs per delivery to its own
clients; Redis CPU, bytes Redis sent and PUBLISH calls; the load generator's and the
machine's CPU. `PUBSUB NUMSUB` of the topic's channel is recorded once all clients joined:
one subscription per node, however many clients it holds. Every process started here is
stopped here (also on errors and Ctrl-C). Prints tables; writes JSON (`--out`).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import statistics
import sys
import time
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.ws.adapters import Adapter, AdapterConfig
from bench.ws.client import NullSink, WSClient, keepalive_loop, open_client
from bench.ws.cluster import Node, tradehall_nodes
from bench.ws.harness import run_harness
from bench.ws.private_redis import PrivateRedis, RedisCounters, redis_for_bench
from bench.ws.procs import (
    CpuMeter,
    machine_busy_seconds,
    managed,
)
from bench.ws.run import HOST, LoadGen, conditions, rates_for
from bench.ws.stats import Sketch, percentile
from bench.ws.tradehall import TOPIC, prepare_tradehall
from bench.ws.wire import DEFAULT_PAYLOAD_BYTES


@dataclasses.dataclass
class NodeStep:
    nodes: int
    step: int
    rate: float
    published: int
    expected: int
    received: int
    completeness: float
    delivered_per_s: float
    p50_ms: float | None
    p99_ms: float | None
    node_cpu_pct: list[float]
    node_deliveries: list[float]
    """Deliveries to each node's clients: received x the node's share of the clients."""
    node_us_per_delivery: list[float | None]
    node_deliveries_per_cpu_s: list[float | None]
    """Each node's capacity: deliveries per second of its CPU (10^6 / µs per delivery)."""
    redis_cpu_pct: float | None
    redis_out_bytes_per_msg: float | None
    """Bytes Redis sent (INFO total_net_output_bytes, less what reading it adds) per
    published message: one copy per subscribed node, if each node gets each message once."""
    redis_publish_calls: int
    loadgen_cpu_pct: float
    publisher_cpu_pct: float
    machine_busy_pct: float
    others_cpu_pct: float
    others_before_pct: float
    wall_s: float
    lost_connections: int


@dataclasses.dataclass
class NodeRun:
    nodes: int
    repeat: int
    clients: int
    clients_per_node: list[int] = dataclasses.field(default_factory=list)
    connected: int = 0
    connect_failures: int = 0
    channel_subscribers: int | None = None
    """PUBSUB NUMSUB of the topic's Redis channel with every client joined."""
    steps: list[NodeStep] = dataclasses.field(default_factory=list)
    stop_reason: str = ""
    error: str | None = None

    def peak(self) -> NodeStep | None:
        return max(self.steps, key=lambda s: s.delivered_per_s, default=None)


@dataclasses.dataclass
class Rig:
    """Everything one configuration runs on."""

    opts: argparse.Namespace
    nodes: list[Node]
    redis: PrivateRedis
    gen: LoadGen
    adapter: Adapter
    publisher: WSClient
    clients_per_node: list[int]
    info_overhead: RedisCounters
    """What one reading of Redis's counters itself adds to them (its INFO replies)."""


def spread(clients: int, nodes: int) -> list[int]:
    """Clients per node under the load generator's round-robin."""
    return [clients // nodes + (1 if i < clients % nodes else 0) for i in range(nodes)]


def meters(rig: Rig) -> list[CpuMeter]:
    """One per node, then the load generator, this process (the publisher), Redis."""
    return [
        *(CpuMeter([node.handle.pid]) for node in rig.nodes),
        CpuMeter([rig.gen.handle.pid]),
        CpuMeter([os.getpid()], tree=False),
        CpuMeter(rig.redis.pids),
    ]


async def wait_quiet(rig: Rig) -> float:
    """Wait (at most --quiet-wait s) until processes this run did not start use at most
    --quiet-threshold % of a core over one second; return that share."""
    deadline = time.monotonic() + rig.opts.quiet_wait
    while True:
        ours = meters(rig)
        for meter in ours:
            meter.start()
        busy0, _ = machine_busy_seconds()
        await asyncio.sleep(1.0)
        busy1, _ = machine_busy_seconds()
        readings = [m.read() for m in ours]
        others = max(0.0, 100 * (busy1 - busy0 - sum(c for c, _ in readings)) / readings[0][1])
        if others <= rig.opts.quiet_threshold or time.monotonic() > deadline:
            return others


async def publish(rig: Rig, step: int, rate: float) -> int:
    """`rate` messages/s for --step-seconds on a fixed schedule (late sends go at once)."""
    total: int = max(1, round(rate * float(rig.opts.step_seconds)))
    start = time.monotonic()
    for seq in range(total):
        delay = start + seq / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        elif seq % 64 == 0:
            await asyncio.sleep(0)
        if rig.publisher.closed:
            raise RuntimeError("the server closed the publisher's connection")
        payload = rig.adapter.make_payload(step, seq, rig.opts.payload_bytes)
        rig.publisher.send_text(rig.adapter.publish_frame(payload, step * 1_000_000 + seq))
    return total


async def run_step(rig: Rig, step: int, rate: float, connected: int) -> NodeStep:
    others_before = await wait_quiet(rig)
    ours = meters(rig)
    for meter in ours:
        meter.start()
    busy0, total0 = machine_busy_seconds()
    redis0 = await rig.redis.counters()
    first_ns = time.time_ns()
    published = await publish(rig, step, rate)
    expected = published * connected
    deadline = time.monotonic() + rig.opts.drain_seconds
    while True:
        counts = await rig.gen.ask({"cmd": "counts"})
        if int(counts["counts"].get(str(step), 0)) >= expected or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    readings = [m.read() for m in ours]
    busy1, total1 = machine_busy_seconds()
    redis_delta = (await rig.redis.counters()).minus(redis0).minus(rig.info_overhead)
    summary = await rig.gen.ask({"cmd": "summary", "step": step})
    received = int(summary["count"])
    sketch = [Sketch.from_json(summary["sketch"])]
    span = max((int(summary["last_ns"]) - first_ns) / 1e9, published / rate) if received else 0.0
    wall = readings[0][1]
    count = len(rig.nodes)
    node_cpu = [cpu for cpu, _ in readings[:count]]
    loadgen_s, me_s, redis_s = (cpu for cpu, _ in readings[count:])
    shares = [n / sum(rig.clients_per_node) for n in rig.clients_per_node]
    node_deliveries = [received * share for share in shares]
    us = [1e6 * cpu / d if d else None for cpu, d in zip(node_cpu, node_deliveries, strict=True)]
    return NodeStep(
        nodes=count,
        step=step,
        rate=rate,
        published=published,
        expected=expected,
        received=received,
        completeness=received / expected if expected else 0.0,
        delivered_per_s=received / span if span > 0 else 0.0,
        p50_ms=percentile(sketch, 50),
        p99_ms=percentile(sketch, 99),
        node_cpu_pct=[100 * cpu / wall for cpu in node_cpu],
        node_deliveries=node_deliveries,
        node_us_per_delivery=us,
        node_deliveries_per_cpu_s=[1e6 / u if u else None for u in us],
        redis_cpu_pct=100 * redis_s / wall if rig.redis.pids else None,
        redis_out_bytes_per_msg=redis_delta.net_output_bytes / published,
        redis_publish_calls=redis_delta.publish_calls,
        loadgen_cpu_pct=100 * loadgen_s / wall,
        publisher_cpu_pct=100 * me_s / wall,
        machine_busy_pct=100 * (busy1 - busy0) / max(total1 - total0, 1e-9),
        others_cpu_pct=max(0.0, 100 * (busy1 - busy0 - sum(c for c, _ in readings)) / wall),
        others_before_pct=others_before,
        wall_s=round(wall, 3),
        lost_connections=int(counts["lost"]),
    )


def stop_reason(step: NodeStep, flat: int, clients: int, opts: argparse.Namespace) -> str:
    if step.p99_ms is not None and step.p99_ms > opts.p99_limit_ms:
        return f"p99 {step.p99_ms:.0f} ms > {opts.p99_limit_ms:.0f} ms"
    if step.completeness < 0.99:
        return f"undelivered after {opts.drain_seconds:.0f} s drain ({step.completeness:.1%})"
    if step.lost_connections > 0.01 * clients:
        return f"{step.lost_connections} clients disconnected"
    if flat >= 2:
        return "deliveries/s stopped growing (2 steps < +5%)"
    return ""


async def bench_config(
    opts: argparse.Namespace, count: int, repeat: int, deadline: float, logs: Path
) -> NodeRun:
    run = NodeRun(count, repeat, opts.clients, spread(opts.clients, count))
    tag = f"{count}n-r{repeat}"
    async with AsyncExitStack() as stack:
        redis = await stack.enter_async_context(redis_for_bench(opts.redis_url, logs))
        prefix = f"bench-nodes-{os.getpid()}-{tag}:"
        nodes = await stack.enter_async_context(
            tradehall_nodes(count, redis.url, prefix, logs, f"nodes-{tag}")
        )
        ports = [node.port for node in nodes]
        config = await prepare_tradehall(ports[0], AdapterConfig(kind="tradehall", topic=TOPIC))
        argv = [
            sys.executable, "-m", "bench.ws.loadgen", "--host", HOST,
            "--ports", ",".join(map(str, ports)), "--clients", str(opts.clients),
            "--warmup", "0", "--concurrency", str(opts.connect_concurrency),
            "--max-seconds", str(int(deadline - time.monotonic() + 120)),
        ]
        handle = await stack.enter_async_context(
            managed("loadgen", argv, log=logs / f"{tag}-loadgen.log", pipes=True)
        )
        gen = LoadGen(handle)
        await gen.send(config.to_json())
        await gen.recv(60)  # "warm" (no warm-up clients here)
        await gen.send({"cmd": "go"})
        ready = await gen.recv(120 + opts.clients / 50)
        run.connected = int(ready["connected"])
        run.connect_failures = int(ready["failed"])
        if run.connected == 0:
            run.error = f"no client connected: {ready['errors']}"
            return run
        adapter = config.build()
        publisher = await open_client(
            HOST, ports[0], adapter, "publisher", NullSink(), time.time_ns, 30
        )
        stack.callback(publisher.abort)
        run.channel_subscribers = await redis.subscribers(f"{prefix}ch:{TOPIC}")
        pinger = asyncio.create_task(keepalive_loop([publisher], adapter.keepalive_seconds or 25))
        stack.callback(pinger.cancel)
        first, second = await redis.counters(), await redis.counters()
        rig = Rig(opts, nodes, redis, gen, adapter, publisher, run.clients_per_node,
                  second.minus(first))
        best, flat = 0.0, 0
        for step, rate in enumerate(rates_for(opts.clients, opts)):
            if time.monotonic() + opts.step_seconds + opts.drain_seconds + 10 > deadline:
                run.stop_reason = "time budget"
                break
            result = await run_step(rig, step, rate, run.connected)
            run.steps.append(result)
            print(
                f"  {count} node(s) rate {rate:.0f}/s: {result.delivered_per_s:,.0f} deliv/s, "
                f"p99 {result.p99_ms or float('nan'):.1f} ms, node CPU "
                f"{' + '.join(f'{c:.0f}%' for c in result.node_cpu_pct)}, us/deliv "
                f"{' / '.join(_fmt(u, '.2f') for u in result.node_us_per_delivery)}, "
                f"loadgen {result.loadgen_cpu_pct:.0f}%, others {result.others_cpu_pct:.0f}%",
                flush=True,
            )
            flat = flat + 1 if result.delivered_per_s < 1.05 * best else 0
            best = max(best, result.delivered_per_s)
            if reason := stop_reason(result, flat, opts.clients, opts):
                run.stop_reason = reason
                break
        else:
            run.stop_reason = "end of rate ladder"
        await gen.send({"cmd": "quit"})
    return run


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarize(runs: list[NodeRun]) -> list[dict[str, Any]]:
    """One row per node count: medians over the repeats of each run's peak step."""
    rows = []
    for count in sorted({r.nodes for r in runs}):
        peaks = [p for r in runs if r.nodes == count and (p := r.peak()) is not None]
        if not peaks:
            continue
        row: dict[str, Any] = {
            "nodes": count,
            "repeats": len(peaks),
            "channel_subscribers": [r.channel_subscribers for r in runs if r.nodes == count],
            "peak_delivered_per_s": _median([p.delivered_per_s for p in peaks]),
            "peak_rate": _median([p.rate for p in peaks]),
            "p50_ms": _median([p.p50_ms for p in peaks]),
            "p99_ms": _median([p.p99_ms for p in peaks]),
            "redis_cpu_pct": _median([p.redis_cpu_pct for p in peaks]),
            "redis_out_bytes_per_msg": _median([p.redis_out_bytes_per_msg for p in peaks]),
            "loadgen_cpu_pct": _median([p.loadgen_cpu_pct for p in peaks]),
            "machine_busy_pct": _median([p.machine_busy_pct for p in peaks]),
            "others_cpu_pct": _median([p.others_cpu_pct for p in peaks]),
            "stop_reasons": [r.stop_reason or r.error for r in runs if r.nodes == count],
        }
        for index in range(count):
            row[f"node{index}_cpu_pct"] = _median([p.node_cpu_pct[index] for p in peaks])
            row[f"node{index}_us_per_delivery"] = _median(
                [p.node_us_per_delivery[index] for p in peaks]
            )
            row[f"node{index}_deliveries_per_cpu_s"] = _median(
                [p.node_deliveries_per_cpu_s[index] for p in peaks]
            )
        rows.append(row)
    return rows


def side_by_side(runs: list[NodeRun]) -> str:
    """Per rate, every run: deliveries/s, p99, per-node CPU and µs per delivery."""
    lines = ["nodes rep  rate    deliv/s  compl   p50ms   p99ms  node CPU%      us/deliv"
             "        redis%  B/msg  loadgen%  mach%  others%"]
    for run in sorted(runs, key=lambda r: (r.repeat, r.nodes)):
        for s in run.steps:
            cpu = "+".join(f"{c:.0f}" for c in s.node_cpu_pct)
            us = "/".join(_fmt(u, ".2f") for u in s.node_us_per_delivery)
            lines.append(
                f"{run.nodes:>5} {run.repeat:>3} {s.rate:>5.0f} {s.delivered_per_s:>10,.0f} "
                f"{s.completeness:>6.4f} {_fmt(s.p50_ms, '>7.1f')} {_fmt(s.p99_ms, '>7.1f')}  "
                f"{cpu:<13} {us:<15} {_fmt(s.redis_cpu_pct, '>6.1f')} "
                f"{_fmt(s.redis_out_bytes_per_msg, '>6.0f')} {s.loadgen_cpu_pct:>9.0f} "
                f"{s.machine_busy_pct:>6.0f} {s.others_cpu_pct:>8.0f}"
            )
        lines.append(f"      ({run.nodes} node(s), repeat {run.repeat}: clients per node "
                     f"{run.clients_per_node}, NUMSUB {run.channel_subscribers}, "
                     f"stop: {run.stop_reason or run.error})")
    return "\n".join(lines)


async def main_async(opts: argparse.Namespace) -> int:
    out = Path(opts.out)
    logs = out.parent / (out.stem + "-logs")
    logs.mkdir(parents=True, exist_ok=True)
    counts = [int(n) for n in opts.nodes.split(",")]
    plan = [(n, r) for r in range(opts.repeats) for n in counts]
    began = time.monotonic()
    runs: list[NodeRun] = []
    document: dict[str, Any] = {"conditions": conditions(), "options": vars(opts)}

    def save() -> None:
        document["runs"] = [dataclasses.asdict(r) for r in runs]
        document["summary"] = summarize(runs)
        out.write_text(json.dumps(document, indent=1))

    for index, (count, repeat) in enumerate(plan):
        remaining = opts.max_seconds - (time.monotonic() - began)
        budget = remaining / (len(plan) - index)
        print(f"== {count} node(s), {opts.clients} clients, repeat {repeat}, "
              f"budget {budget:.0f} s", flush=True)
        try:
            run = await asyncio.wait_for(
                bench_config(opts, count, repeat, time.monotonic() + budget, logs),
                budget + 180,
            )
        except (Exception, TimeoutError) as exc:  # noqa: BLE001 - recorded, next config runs
            run = NodeRun(count, repeat, opts.clients, error=f"{type(exc).__name__}: {exc}")
        runs.append(run)
        save()
    print()
    print(side_by_side(runs))
    print()
    print(json.dumps(summarize(runs), indent=1))
    print(f"\nresults: {out}")
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ws.nodes", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--nodes", default="1,2", help="node counts to compare, in this order")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=1800,
                        help="wall-clock budget for the whole invocation")
    parser.add_argument("--step-seconds", type=float, default=5.0)
    parser.add_argument("--drain-seconds", type=float, default=5.0)
    parser.add_argument("--rates", default="",
                        help="publish rates (msgs/s), comma-separated; default: the fan-out "
                        "runner's ladder (bench.ws.run)")
    parser.add_argument("--connect-concurrency", type=int, default=100)
    parser.add_argument("--payload-bytes", type=int, default=DEFAULT_PAYLOAD_BYTES)
    parser.add_argument("--p99-limit-ms", type=float, default=1000.0)
    parser.add_argument("--quiet-threshold", type=float, default=25.0)
    parser.add_argument("--quiet-wait", type=float, default=20.0)
    parser.add_argument("--redis-url", default="",
                        help="use this Redis instead of a private redis-server (its CPU is "
                        "then not measured and its counters include others' traffic)")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    parser.add_argument("--out", default=f"bench/results/ws-nodes-{stamp}.json")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    opts = parse_args(argv)
    run_harness(lambda: main_async(opts))


if __name__ == "__main__":
    main()
