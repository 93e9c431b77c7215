"""Load-generator process: holds many subscriber connections and tallies what they receive.

Started by the runner as `python -m bench.ws.loadgen --host H --port P --clients N ...`
(`--ports P1,P2` spreads the clients over several nodes, round-robin); the first stdin line
is the adapter config (JSON, so credentials stay out of `ps`). It then speaks JSON lines: it
prints `{"event":"warm"}` after `--warmup` clients, waits for `{"cmd":"go"}`, opens the rest
and prints `{"event":"ready",...}`; then answers `counts`, `summary` (per publish step, then
forgets it) and `quit`. It exits on `quit`, on stdin EOF (runner gone) and after
`--max-seconds` whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from array import array
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from bench.ws.adapters import Adapter, AdapterConfig
from bench.ws.client import WSClient, close_all, keepalive_loop, open_client
from bench.ws.stats import Sketch


def run_fast(main: Coroutine[Any, Any, None]) -> None:
    """`asyncio.run` on uvloop (a dependency of uvicorn[standard]) when it is installed."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        asyncio.run(main)
    else:
        uvloop.run(main)


def run_bounded(serve: Callable[[], Awaitable[None]], max_seconds: float, name: str) -> None:
    """Run `serve()` on the fast loop for at most `max_seconds` (a load generator must never
    outlive a run that lost track of it); Ctrl-C ends it quietly."""

    async def bounded() -> None:
        try:
            async with asyncio.timeout(max_seconds):
                await serve()
        except TimeoutError:
            print(f"{name}: --max-seconds reached, exiting", file=sys.stderr)

    try:
        run_fast(bounded())
    except KeyboardInterrupt:
        pass


def bounded_main(serve: Callable[[], Awaitable[None]], name: str, argv: list[str] | None) -> None:
    """The entry point of a load generator configured over stdin: `--max-seconds` only."""
    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__)
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    args = parser.parse_args(argv)
    run_bounded(serve, args.max_seconds, name)


@dataclass
class StepData:
    first_ns: int
    last_ns: int = 0
    size_total: int = 0
    latencies_us: array[int] = field(default_factory=lambda: array("q"))


class Tally:
    """The receivers' sink: per publish step, one latency per delivered message."""

    def __init__(self) -> None:
        self.steps: dict[int, StepData] = {}
        self.summarized: set[int] = set()
        self.late = 0
        self.open = 0
        self.lost = 0

    def on_stamp(self, step: int, sent_ns: int, received_ns: int, size: int) -> None:
        data = self.steps.get(step)
        if data is None:
            if step in self.summarized:
                self.late += 1
                return
            data = self.steps[step] = StepData(received_ns)
        data.latencies_us.append((received_ns - sent_ns) // 1000)
        data.last_ns = received_ns
        data.size_total += size

    def on_closed(self, client: WSClient) -> None:
        if client.session.ready:
            self.open -= 1
            self.lost += 1

    def counts(self) -> dict[str, Any]:
        return {
            "counts": {str(k): len(v.latencies_us) for k, v in self.steps.items()},
            "open": self.open,
            "lost": self.lost,
            "late": self.late,
        }

    def summary(self, step: int) -> dict[str, Any]:
        data = self.steps.pop(step, None)
        self.summarized.add(step)
        if data is None:
            return {"step": step, "count": 0, "first_ns": 0, "last_ns": 0, "size_total": 0,
                    "sketch": Sketch(0, []).to_json()}
        return {
            "step": step,
            "count": len(data.latencies_us),
            "first_ns": data.first_ns,
            "last_ns": data.last_ns,
            "size_total": data.size_total,
            "sketch": Sketch.of(data.latencies_us).to_json(),
        }


def emit(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def raise_nofile_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return soft


async def open_many(
    args: argparse.Namespace, adapter: Adapter, tally: Tally, count: int, clients: list[WSClient]
) -> list[str]:
    gate = asyncio.Semaphore(args.concurrency)
    errors: list[str] = []
    ports: list[int] = args.ports

    async def one(port: int) -> None:
        async with gate:
            try:
                client = await open_client(
                    args.host, port, adapter, "subscriber", tally, time.time_ns,
                    args.connect_timeout, fast=args.parser == "fast",
                )
            except (OSError, TimeoutError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                return
            clients.append(client)
            tally.open += 1

    async with asyncio.TaskGroup() as group:
        for _ in range(count):
            # Round-robin over the nodes, continuing where the previous batch stopped.
            group.create_task(one(ports[args.next_port % len(ports)]))
            args.next_port += 1
    return errors


async def serve(args: argparse.Namespace) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    config = AdapterConfig.from_json((await reader.readline()).decode())
    adapter = config.build()
    tally = Tally()
    clients: list[WSClient] = []
    nofile = raise_nofile_limit()

    async def command() -> dict[str, Any] | None:
        line = await reader.readline()
        return json.loads(line) if line else None

    pinger = (
        asyncio.create_task(keepalive_loop(clients, adapter.keepalive_seconds))
        if adapter.keepalive_seconds else None
    )
    try:
        warmup = min(args.warmup, args.clients)
        errors = await open_many(args, adapter, tally, warmup, clients)
        emit({"event": "warm", "connected": len(clients), "errors": errors[:5]})
        go = await command()
        if go is None or go.get("cmd") != "go":
            return
        errors += await open_many(args, adapter, tally, args.clients - warmup, clients)
        emit({"event": "ready", "connected": len(clients), "failed": len(errors),
              "errors": sorted(set(errors))[:5], "nofile": nofile})
        while (cmd := await command()) is not None:
            name = cmd.get("cmd")
            if name == "counts":
                emit(tally.counts())
            elif name == "summary":
                emit(tally.summary(int(cmd["step"])))
            elif name == "quit":
                break
    finally:
        await close_all(clients, pinger)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, help="one server (or use --ports)")
    parser.add_argument("--ports", default="",
                        help="comma-separated ports of several nodes: clients are spread "
                        "over them round-robin")
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--connect-timeout", type=float, default=30.0)
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    parser.add_argument("--parser", choices=["fast", "websockets"], default="fast",
                        help="frame parser once joined (see bench.ws.client)")
    args = parser.parse_args(argv)
    args.ports = [int(p) for p in args.ports.split(",") if p] or (
        [args.port] if args.port is not None else []
    )
    if not args.ports:
        parser.error("give --port or --ports")
    args.next_port = 0
    run_bounded(lambda: serve(args), args.max_seconds, "loadgen")


if __name__ == "__main__":
    main()
