"""Reconnect storm: followers of a durable topic drop and resume with `last_seq`.

    .venv/bin/python -m bench.ws.storm --clients 5000 --broker memory --seed 1
    .venv/bin/python -m bench.ws.storm --clients 5000 --broker redis --nodes 2 --switch-nodes

Starts TradeHall (`tradehall serve`, product rate limits, diagnostics on; on Redis a private
`redis-server`, see `bench.ws.private_redis`), then the load generator `bench.ws.storm_clients`
with every client joined to `diag:storm` (a durable topic: each message stored with its seq).
This process publishes `--rate` messages/s through node A. After `--lead-seconds` the storm
starts: a seeded `--drop-share` of the clients each drops at a random moment of the
`--drop-window` and comes back after a random `--away-min`..`--away-max` seconds, rejoining
with `last_seq`. Publishing goes on until every dropped client is back, plus `--tail-seconds`;
then the head seq is read with a fresh join, and the run waits until every client has
received it (or `--settle-seconds` pass). Per returning client: missing seqs, duplicates,
out-of-order arrivals, resets, refusals, and catch-up time = from sending the rejoin frame to
receiving the first event with a seq above the `last_seq` that `joined` reported (the head
when the server answered the rejoin). Every process started here is stopped here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from array import array
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.ws.adapters import AdapterConfig
from bench.ws.client import NullSink, WSClient, keepalive_loop, open_client
from bench.ws.cluster import tradehall_nodes
from bench.ws.harness import run_harness
from bench.ws.private_redis import redis_for_bench
from bench.ws.procs import CpuMeter, machine_busy_seconds, managed
from bench.ws.run import HOST, LoadGen, conditions
from bench.ws.stats import Sketch, percentile
from bench.ws.storm_clients import Follower, JoinAdapter
from bench.ws.tradehall import prepare_tradehall
from bench.ws.wire import make_text_payload

TOPIC = "diag:storm"


def pct(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of a list."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


class Publisher:
    """Publishes at a fixed rate on its own schedule until stopped; counts what it sent."""

    def __init__(self, client: WSClient, config: AdapterConfig, rate: float) -> None:
        self.client = client
        self.adapter = config.build()
        self.rate = rate
        self.sent = 0
        self.stopping = asyncio.Event()
        self.failure: str | None = None
        """Why the server closed the publisher, if it did (the run still reports)."""

    async def run(self) -> None:
        start = time.monotonic()
        while not self.stopping.is_set():
            delay = start + self.sent / self.rate - time.monotonic()
            if delay > 0:
                try:
                    await asyncio.wait_for(self.stopping.wait(), delay)
                    return
                except TimeoutError:
                    pass
            if self.client.closed:
                self.failure = (
                    f"the server closed the publisher's connection after {self.sent} messages "
                    f"(close frame: {self.client.proto.close_rcvd}; errors before it: "
                    f"{self.refusals()[-3:]})"
                )
                print(f"  {self.failure}", flush=True)
                return
            payload = make_text_payload(0, self.sent, 120)
            self.client.send_text(self.adapter.publish_frame(payload, self.sent + 1))
            self.sent += 1

    def refusals(self) -> list[str]:
        errors: list[str] = getattr(self.client.session, "errors", [])
        return errors


async def head_seq(port: int, config: AdapterConfig) -> int:
    """The topic's head: what `joined` reports to a fresh join."""
    probe = Follower(-1, port, False, array("q"))
    client = await open_client(
        HOST, port, JoinAdapter(config, None, probe), "subscriber", probe, time.time_ns, 30
    )
    client.abort()
    if probe.session is None:
        raise RuntimeError("probe has no session")
    return probe.session.head


async def wait_for(
    gen: LoadGen, head: int, done: str, timeout: float, every: float = 1.0
) -> dict[str, Any]:
    """Poll the load generator's status until `done` holds ("returned" or "caught_up")."""
    deadline = time.monotonic() + timeout
    while True:
        status = await gen.ask({"cmd": "status", "head": head})
        if done == "returned" and status["returned"] >= status["scheduled"]:
            return status
        if done == "caught_up" and status["lagging"] == 0:
            return status
        if time.monotonic() > deadline:
            status["timed_out"] = True
            return status
        await asyncio.sleep(every)  # polling another process's progress


def summarize(report: dict[str, Any]) -> dict[str, Any]:
    returns = report["returns"]
    back = [r for r in returns if r["returned"]]
    catchup = [r["catchup_ms"] for r in back if r["catchup_ms"] is not None]
    replay = [r["replay_ms"] for r in back if r["replay_ms"] is not None]
    to_live = [r["reconnect_to_live_ms"] for r in back if r["reconnect_to_live_ms"] is not None]
    missed = sum(max(0, r["missed"]) for r in back)
    missing = sum(r["missing"] for r in returns)
    sketch = Sketch.from_json(report["live_latency"])
    return {
        "dropped": len(returns),
        "returned": len(back),
        "missed_messages": missed,
        "missing_after_return": missing,
        "recovered_share": 1 - missing / missed if missed else None,
        "returns_with_gaps": sum(1 for r in returns if r["missing"]),
        "duplicates": sum(r["duplicates"] for r in returns),
        "out_of_order": sum(r["out_of_order"] for r in returns),
        "resets": sum(r["resets"] for r in returns),
        "refused_attempts": sum(len(r["refusals"]) for r in returns),
        "refusal_kinds": sorted({x.split(":", 1)[-1].strip()[:80]
                                 for r in returns for x in r["refusals"]})[:5],
        "unplanned_losses": sum(r["unplanned_losses"] for r in returns),
        "missed_per_return_p50": pct([float(r["missed"]) for r in back], 50),
        "missed_per_return_max": max((r["missed"] for r in back), default=None),
        "catchup_count": len(catchup),
        "catchup_p50_ms": pct(catchup, 50),
        "catchup_p99_ms": pct(catchup, 99),
        "catchup_max_ms": max(catchup, default=None),
        "replay_p50_ms": pct(replay, 50),
        "replay_p99_ms": pct(replay, 99),
        "reconnect_to_live_p50_ms": pct(to_live, 50),
        "reconnect_to_live_p99_ms": pct(to_live, 99),
        "stayed": report["stayed"],
        "live_latency_p50_ms": percentile([sketch], 50),
        "live_latency_p99_ms": percentile([sketch], 99),
    }


async def run_storm(opts: argparse.Namespace, logs: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"broker": opts.broker, "nodes": opts.nodes}
    async with AsyncExitStack() as stack:
        redis_url: str | None = None
        redis_pids: list[int] = []
        if opts.broker == "redis":
            redis = await stack.enter_async_context(redis_for_bench(opts.redis_url, logs))
            redis_url, redis_pids = redis.url, redis.pids
        tag = f"storm-{opts.broker}-{opts.nodes}n"
        nodes = await stack.enter_async_context(tradehall_nodes(
            opts.nodes, redis_url, f"bench-storm-{os.getpid()}:", logs, tag,
            lift_rate_limits=False,
        ))
        ports = [n.port for n in nodes]
        config = await prepare_tradehall(ports[0], AdapterConfig(kind="tradehall", topic=TOPIC))
        argv = [sys.executable, "-m", "bench.ws.storm_clients", "--host", HOST,
                "--max-seconds", str(int(opts.max_seconds))]
        handle = await stack.enter_async_context(
            managed("storm_clients", argv, log=logs / f"{tag}-clients.log", pipes=True)
        )
        gen = LoadGen(handle)
        await gen.send({
            "adapter": json.loads(config.to_json()), "ports": ports, "clients": opts.clients,
            "seed": opts.seed, "drop_share": opts.drop_share, "drop_window": opts.drop_window,
            "away_min": opts.away_min, "away_max": opts.away_max,
            "switch_nodes": opts.switch_nodes,
        })
        started = time.monotonic()
        ready = await gen.recv(120 + opts.clients / 50)
        result["connect_seconds"] = round(time.monotonic() - started, 1)
        result["connected"] = ready["connected"]
        result["connect_failures"] = ready["failed"]
        print(f"  {ready['connected']} clients joined {TOPIC} in "
              f"{result['connect_seconds']} s", flush=True)
        client = await open_client(HOST, ports[0], config.build(), "publisher", NullSink(),
                                   time.time_ns, 30)
        stack.callback(client.abort)
        pinger = asyncio.create_task(keepalive_loop([client], 25))
        stack.callback(pinger.cancel)
        publisher = Publisher(client, config, opts.rate)
        meters = [CpuMeter([n.handle.pid for n in nodes]), CpuMeter([handle.pid]),
                  CpuMeter([os.getpid()], tree=False), CpuMeter(redis_pids)]
        for meter in meters:
            meter.start()
        busy0, _ = machine_busy_seconds()
        publishing = asyncio.create_task(publisher.run())
        stack.callback(publishing.cancel)
        await asyncio.sleep(opts.lead_seconds)  # live traffic before the storm, by design
        print(f"  storm: {(await gen.ask({'cmd': 'storm'}))['drops']} clients will drop",
              flush=True)
        longest = opts.drop_window + opts.away_max + 120
        status = await wait_for(gen, 0, "returned", longest, every=2.0)
        print(f"  all back: {status}", flush=True)
        await asyncio.sleep(opts.tail_seconds)  # live messages past every rejoin head
        publisher.stopping.set()
        await publishing
        head = await head_seq(ports[0], config)
        status = await wait_for(gen, head, "caught_up", opts.settle_seconds, every=0.5)
        readings = [m.read() for m in meters]
        busy1, _ = machine_busy_seconds()
        report = await gen.ask({"cmd": "report", "head": head}, timeout=120)
        await gen.send({"cmd": "quit"})
        wall = readings[0][1]
        ours = sum(cpu for cpu, _ in readings)
        result.update({
            "published": publisher.sent,
            "head": head,
            "publisher_refusals": publisher.refusals(),
            "publisher_failure": publisher.failure,
            "final_status": status,
            "wall_s": round(wall, 1),
            "server_cpu_pct": 100 * readings[0][0] / wall,
            "loadgen_cpu_pct": 100 * readings[1][0] / wall,
            "publisher_cpu_pct": 100 * readings[2][0] / wall,
            "redis_cpu_pct": 100 * readings[3][0] / wall if redis_pids else None,
            "others_cpu_pct": max(0.0, 100 * (busy1 - busy0 - ours) / wall),
            "summary": summarize(report),
            "report": report,
        })
    return result


def print_summary(result: dict[str, Any]) -> None:
    s = result["summary"]
    stayed = s["stayed"]
    print(f"{result['broker']} x{result['nodes']} node(s): published {result['published']}, "
          f"head {result['head']}, connected {result['connected']}, publisher failure: "
          f"{result['publisher_failure']}")
    print(f"  returns {s['returned']}/{s['dropped']}, missed {s['missed_messages']}, "
          f"missing after return {s['missing_after_return']} "
          f"(recovered {s['recovered_share']}), dups {s['duplicates']}, "
          f"out of order {s['out_of_order']}, resets {s['resets']}, refused attempts "
          f"{s['refused_attempts']} {s['refusal_kinds']}")
    print(f"  catch-up p50 {s['catchup_p50_ms']} ms, p99 {s['catchup_p99_ms']} ms, max "
          f"{s['catchup_max_ms']} ms; replay p50/p99 {s['replay_p50_ms']}/{s['replay_p99_ms']}"
          f" ms; reconnect->live p50/p99 {s['reconnect_to_live_p50_ms']}/"
          f"{s['reconnect_to_live_p99_ms']} ms")
    print(f"  stayed {stayed}; live latency p50/p99 {s['live_latency_p50_ms']}/"
          f"{s['live_latency_p99_ms']} ms")
    print(f"  CPU: server {result['server_cpu_pct']:.0f}%, loadgen "
          f"{result['loadgen_cpu_pct']:.0f}%, redis {result['redis_cpu_pct']}, others "
          f"{result['others_cpu_pct']:.0f}% over {result['wall_s']} s; publisher refusals "
          f"{result['publisher_refusals'][:5]}")


async def main_async(opts: argparse.Namespace) -> int:
    out = Path(opts.out)
    logs = out.parent / (out.stem + "-logs")
    logs.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {"conditions": conditions(), "options": vars(opts)}
    print(f"conditions: {json.dumps(document['conditions'])}", flush=True)
    try:
        result = await asyncio.wait_for(run_storm(opts, logs), opts.max_seconds)
    except (Exception, TimeoutError) as exc:  # noqa: BLE001 - recorded in the results file
        document["error"] = f"{type(exc).__name__}: {exc}"
        out.write_text(json.dumps(document, indent=1))
        print(f"error: {document['error']}", file=sys.stderr)
        return 1
    document["result"] = result
    out.write_text(json.dumps(document, indent=1))
    print_summary(result)
    print(f"\nresults: {out}")
    s = result["summary"]
    ok = (s["missing_after_return"] == 0 and s["duplicates"] == 0 and s["out_of_order"] == 0
          and s["returned"] == s["dropped"] and s["stayed"]["missing"] == 0
          and result["publisher_failure"] is None)
    return 0 if ok else 3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ws.storm", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--broker", choices=["memory", "redis"], default="memory")
    parser.add_argument("--nodes", type=int, default=1, help="> 1 needs --broker redis")
    parser.add_argument("--switch-nodes", action="store_true",
                        help="a returning client reconnects to the next node")
    parser.add_argument("--rate", type=float, default=10.0, help="messages/s on the topic")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--drop-share", type=float, default=0.2)
    parser.add_argument("--drop-window", type=float, default=30.0,
                        help="drops happen at uniform random moments of this many seconds")
    parser.add_argument("--away-min", type=float, default=5.0)
    parser.add_argument("--away-max", type=float, default=60.0)
    parser.add_argument("--lead-seconds", type=float, default=5.0)
    parser.add_argument("--tail-seconds", type=float, default=10.0)
    parser.add_argument("--settle-seconds", type=float, default=60.0)
    parser.add_argument("--max-seconds", type=float, default=900.0)
    parser.add_argument("--redis-url", default="",
                        help="use this Redis instead of a private redis-server")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    parser.add_argument("--out", default=f"bench/results/ws-storm-{stamp}.json")
    opts = parser.parse_args(argv)
    if opts.nodes > 1 and opts.broker != "redis":
        parser.error("--nodes > 1 needs --broker redis")
    return opts


def main(argv: list[str] | None = None) -> None:
    opts = parse_args(argv)
    run_harness(lambda: main_async(opts))


if __name__ == "__main__":
    main()
