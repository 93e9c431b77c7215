"""Reconnect-storm load generator: followers of one durable topic, some of which drop and
resume with `last_seq`; every seq each one receives is checked.

Started by `bench.ws.storm` as `python -m bench.ws.storm_clients`; the first stdin line is the
configuration (JSON: adapter, ports, client count, seed, drop share and timing), so
credentials stay out of `ps`. It connects every client (a fresh `join`, live from the
topic's head), prints `{"event":"ready",...}`, and on `{"cmd":"storm"}` starts the schedule:
a seeded random share of clients each closes its socket at a random moment of the drop
window (`transport.abort()`: no close handshake, like a lost network) and, after a random
absence, opens a new connection and joins with `last_seq` = the last seq it received. It
answers `status` (with the head seq the runner knows) and `report`, and exits on `quit`, on
stdin EOF and after `--max-seconds`.

Per client, a bitmap of received seqs turns every delivery into an O(1) check: a seq seen
before is a duplicate; one below the highest seen so far arrived out of order; and at the
end every seq from the client's first join to the head must have been seen (else: missing).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.ws.adapters import AdapterConfig, AdapterError, Role, Session, Stamp
from bench.ws.client import WSClient, open_client
from bench.ws.loadgen import emit, raise_nofile_limit, run_fast
from bench.ws.stats import Sketch

_SEQ_KEY = b'"seq":'
_SENT_KEY = b'"sent_at_ns":'
_EVENT_HEAD = b'{"type":"event"'
LATENCY_SAMPLE = 5
"""Live latency is recorded for every LATENCY_SAMPLE-th client (enough for percentiles)."""


def _int_at(frame: bytes, start: int) -> int | None:
    end = start
    while end < len(frame) and 48 <= frame[end] <= 57:
        end += 1
    return int(frame[start:end]) if end > start else None


def read_seq_stamp(frame: bytes) -> Stamp | None:
    """`(seq, sent_at_ns)` of a durable event frame (`payload.seq` is its last key), else None."""
    if not frame.startswith(_EVENT_HEAD):
        return None
    at = frame.rfind(_SEQ_KEY)
    if at < 0:
        return None
    seq = _int_at(frame, at + len(_SEQ_KEY))
    if seq is None:
        return None
    sent_at = frame.find(_SENT_KEY)
    sent = _int_at(frame, sent_at + len(_SENT_KEY)) if sent_at >= 0 else None
    return seq, sent or 0


@dataclass
class JoinSession:
    """`join` (with `last_seq` when resuming); remembers what `joined` said."""

    topic: str
    resume_from: int | None
    ready: bool = False
    join_sent_ns: int = 0
    joined_ns: int = 0
    head: int = 0
    reset: bool = False
    errors: list[str] = field(default_factory=list)

    def on_open(self) -> list[str]:
        payload = {} if self.resume_from is None else {"last_seq": self.resume_from}
        self.join_sent_ns = time.time_ns()
        return [json.dumps({"type": "join", "topic": self.topic, "ref": "1", "payload": payload})]

    def keepalive(self) -> list[str]:
        return ['{"type":"ping","ref":"k","payload":{}}']

    def on_control(self, frame: bytes) -> list[str]:
        message = json.loads(frame)
        kind = message.get("type")
        payload = message.get("payload") or {}
        if kind == "error":
            code = str(payload.get("code"))
            self.errors.append(code)
            if not self.ready:
                raise AdapterError(f"join refused: {code}")
        elif kind == "joined" and message.get("ref") == "1" and not self.ready:
            self.joined_ns = time.time_ns()
            self.head = int(payload.get("last_seq", 0))
            self.reset = bool(payload.get("reset", False))
            self.ready = True
        return []


@dataclass
class JoinAdapter:
    """The `tradehall` adapter with a per-connection join (see `bench.ws.adapters`)."""

    config: AdapterConfig
    resume_from: int | None
    follower: Follower
    name: str = "tradehall-durable"
    keepalive_seconds: float | None = 25.0
    read_stamp: Callable[[bytes], Stamp | None] = read_seq_stamp

    @property
    def make_payload(self) -> Callable[[int, int, int], str]:
        raise NotImplementedError("followers do not publish")

    def path(self) -> str:
        return self.config.path

    def headers(self) -> list[tuple[str, str]]:
        return list(self.config.headers)

    def origin(self) -> str | None:
        return self.config.origin

    def new_session(self, role: Role) -> Session:
        del role
        # The follower needs the session before the first event of the replay arrives,
        # which can be in the same read as `joined`.
        session = JoinSession(self.config.topic, self.resume_from)
        self.follower.session = session
        return session

    def publish_frame(self, payload: str, ref: int) -> str:
        raise NotImplementedError("followers do not publish")


class Follower:
    """One subscriber across its connections; the `Sink` of each of them."""

    def __init__(self, index: int, port: int, sample_latency: bool, latencies: array[int]):
        self.index = index
        self.port = port
        self.client: WSClient | None = None
        self.session: JoinSession | None = None
        self.first_head = 0
        self.seen = bytearray(2048)
        self.highest = 0
        self.duplicates = 0
        self.out_of_order = 0
        self.resets = 0
        self.leaving = False
        self.unplanned_losses = 0
        self.sample_latency = sample_latency
        self.latencies = latencies
        # Resume bookkeeping (one drop per dropping client).
        self.dropped = False
        self.returned = False
        self.last_seq_at_drop = 0
        self.reconnect_started_ns = 0
        self.head_at_rejoin = 0
        self.replay_done_ns = 0
        self.first_live_ns = 0
        self.refusals: list[str] = []

    # Sink --------------------------------------------------------------------------------
    def on_stamp(self, step: int, sent_ns: int, received_ns: int, size: int) -> None:
        del size
        seq = step
        if seq >= len(self.seen):
            self.seen.extend(bytes(max(seq + 1 - len(self.seen), len(self.seen))))
        if self.seen[seq]:
            self.duplicates += 1
            return
        self.seen[seq] = 1
        if seq < self.highest:
            self.out_of_order += 1
        else:
            self.highest = seq
        if self.dropped:
            head = self.session.head if self.session is not None else 0
            if seq == head and not self.replay_done_ns:
                self.replay_done_ns = received_ns
            if seq > head and not self.first_live_ns:
                self.first_live_ns = received_ns
        elif self.sample_latency and sent_ns:
            self.latencies.append((received_ns - sent_ns) // 1000)

    def on_closed(self, client: WSClient) -> None:
        if client is self.client and not self.leaving:
            self.unplanned_losses += 1

    # -------------------------------------------------------------------------------------
    def last_received(self) -> int:
        """What a client resumes from: the highest seq it processed (all below it were seen,
        which `missing` verifies at the end)."""
        return self.highest if self.highest else self.first_head

    def missing(self, head: int) -> int:
        upto = min(head + 1, len(self.seen))
        seen = self.seen[self.first_head + 1 : upto].count(1)
        return head - self.first_head - seen

    def caught_up(self, head: int) -> bool:
        open_now = self.client is not None and not self.client.closed
        return open_now and self.highest >= head


@dataclass
class Schedule:
    """Seeded: which clients drop, when (s after the storm starts) and for how long."""

    drops: list[tuple[int, float, float]]

    @classmethod
    def make(cls, clients: int, share: float, window: float, away: tuple[float, float],
             seed: int) -> Schedule:
        rng = random.Random(seed)
        chosen = sorted(rng.sample(range(clients), round(clients * share)))
        return cls([(i, rng.uniform(0, window), rng.uniform(*away)) for i in chosen])


class Storm:
    def __init__(self, config: dict[str, Any], args: argparse.Namespace) -> None:
        self.adapter_config = AdapterConfig.from_json(json.dumps(config["adapter"]))
        self.ports: list[int] = [int(p) for p in config["ports"]]
        self.switch_nodes = bool(config.get("switch_nodes", False))
        self.args = args
        self.latencies: array[int] = array("q")
        self.followers = [
            Follower(i, self.ports[i % len(self.ports)], i % LATENCY_SAMPLE == 0,
                     self.latencies)
            for i in range(int(config["clients"]))
        ]
        self.schedule = Schedule.make(
            len(self.followers), float(config["drop_share"]), float(config["drop_window"]),
            (float(config["away_min"]), float(config["away_max"])), int(config["seed"]),
        )
        self.storm_tasks: set[asyncio.Task[None]] = set()
        self.connect_errors: list[str] = []
        self.done_returning = 0

    async def connect(self, follower: Follower, resume_from: int | None, port: int) -> None:
        adapter = JoinAdapter(self.adapter_config, resume_from, follower)
        client = await open_client(
            self.args.host, port, adapter, "subscriber", follower, time.time_ns,
            self.args.connect_timeout, fast=True,
        )
        session = follower.session
        if session is None:  # set by JoinAdapter.new_session in WSClient's constructor
            raise RuntimeError("no session")
        follower.client = client
        if resume_from is None:
            follower.first_head = session.head
        follower.resets += session.reset

    async def connect_all(self) -> int:
        gate = asyncio.Semaphore(self.args.concurrency)

        async def one(follower: Follower) -> None:
            async with gate:
                try:
                    await self.connect(follower, None, follower.port)
                except (OSError, TimeoutError) as exc:
                    self.connect_errors.append(f"{type(exc).__name__}: {exc}")

        async with asyncio.TaskGroup() as group:
            for follower in self.followers:
                group.create_task(one(follower))
        return sum(1 for f in self.followers if f.client is not None)

    async def drop_and_return(self, follower: Follower, at: float, away: float) -> None:
        await asyncio.sleep(at)  # the storm's timetable, not synchronisation
        client = follower.client
        if client is None or client.closed:
            return
        follower.leaving = True
        follower.last_seq_at_drop = follower.last_received()
        follower.dropped = True
        client.abort()
        await asyncio.sleep(away)
        port = follower.port
        if self.switch_nodes and len(self.ports) > 1:
            port = self.ports[(self.ports.index(port) + 1) % len(self.ports)]
        follower.reconnect_started_ns = time.time_ns()
        backoff = 0.5
        for _ in range(8):
            follower.leaving = False
            try:
                await self.connect(follower, follower.last_seq_at_drop, port)
            except (OSError, TimeoutError) as exc:
                follower.refusals.append(f"{type(exc).__name__}: {exc}"[:160])
                await asyncio.sleep(backoff)  # the browser client's backoff, as a user would
                backoff = min(backoff * 2, 15.0)
                continue
            session = follower.session
            if session is not None:
                follower.head_at_rejoin = session.head
                if session.head <= follower.last_seq_at_drop:
                    follower.replay_done_ns = session.joined_ns  # nothing to replay
            follower.returned = True
            break
        self.done_returning += 1

    def start_storm(self) -> None:
        for index, at, away in self.schedule.drops:
            task = asyncio.create_task(self.drop_and_return(self.followers[index], at, away))
            self.storm_tasks.add(task)
            task.add_done_callback(self.storm_tasks.discard)

    async def keepalive(self) -> None:
        """Each open client pings every 25 s, spread in 0.5 s slices (see client.py)."""
        slices, tick = 50, 0
        while True:
            await asyncio.sleep(0.5)
            for follower in self.followers[tick % slices :: slices]:
                if follower.client is not None:
                    follower.client.keepalive()
            tick += 1

    def status(self, head: int) -> dict[str, Any]:
        # A client that never connected is reported as a connect failure, not waited for.
        lagging = sum(1 for f in self.followers if f.client is not None and not f.caught_up(head))
        return {
            "scheduled": len(self.schedule.drops),
            "dropped": sum(f.dropped for f in self.followers),
            "returned": self.done_returning,
            "lagging": lagging,
        }

    def report(self, head: int) -> dict[str, Any]:
        stayed = [f for f in self.followers if not f.dropped and f.client is not None]
        movers = [f for f in self.followers if f.dropped]
        returns = []
        for f in movers:
            missed = f.head_at_rejoin - f.last_seq_at_drop
            returns.append({
                "index": f.index,
                "last_seq": f.last_seq_at_drop,
                "head_at_rejoin": f.head_at_rejoin,
                "missed": missed,
                "returned": f.returned,
                "missing": f.missing(head),
                "duplicates": f.duplicates,
                "out_of_order": f.out_of_order,
                "resets": f.resets,
                "refusals": f.refusals,
                "unplanned_losses": f.unplanned_losses,
                "catchup_ms": (f.first_live_ns - f.session.join_sent_ns) / 1e6
                if f.first_live_ns and f.session else None,
                "replay_ms": (f.replay_done_ns - f.session.join_sent_ns) / 1e6
                if f.replay_done_ns and f.session else None,
                "reconnect_to_live_ms": (f.first_live_ns - f.reconnect_started_ns) / 1e6
                if f.first_live_ns else None,
            })
        return {
            "head": head,
            "clients": len(self.followers),
            "connect_errors": sorted(set(self.connect_errors))[:5],
            "connect_failures": len(self.connect_errors),
            "returns": returns,
            "stayed": {
                "clients": len(stayed),
                "missing": sum(f.missing(head) for f in stayed),
                "clients_missing": sum(1 for f in stayed if f.missing(head)),
                "duplicates": sum(f.duplicates for f in stayed),
                "out_of_order": sum(f.out_of_order for f in stayed),
                "resets": sum(f.resets for f in stayed),
                "unplanned_losses": sum(f.unplanned_losses for f in stayed),
                "expected": sum(head - f.first_head for f in stayed),
            },
            "live_latency": Sketch.of(self.latencies).to_json(),
        }

    def close_all(self) -> None:
        for follower in self.followers:
            follower.leaving = True
            if follower.client is not None:
                follower.client.abort()


async def serve(args: argparse.Namespace) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    storm = Storm(json.loads(await reader.readline()), args)
    pinger = asyncio.create_task(storm.keepalive())
    try:
        connected = await storm.connect_all()
        emit({"event": "ready", "connected": connected, "failed": len(storm.connect_errors),
              "errors": sorted(set(storm.connect_errors))[:5], "nofile": raise_nofile_limit()})
        while line := await reader.readline():
            cmd = json.loads(line)
            name = cmd.get("cmd")
            if name == "storm":
                storm.start_storm()
                emit({"event": "storm", "drops": len(storm.schedule.drops)})
            elif name == "status":
                emit(storm.status(int(cmd["head"])))
            elif name == "report":
                emit(storm.report(int(cmd["head"])))
            elif name == "quit":
                break
    finally:
        pinger.cancel()
        for task in list(storm.storm_tasks):
            task.cancel()
        storm.close_all()
        await asyncio.sleep(0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--connect-timeout", type=float, default=30.0)
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    args = parser.parse_args(argv)
    raise_nofile_limit()

    async def bounded() -> None:
        try:
            async with asyncio.timeout(args.max_seconds):
                await serve(args)
        except TimeoutError:
            print("storm_clients: --max-seconds reached, exiting", file=sys.stderr)

    try:
        run_fast(bounded())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
