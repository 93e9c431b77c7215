"""Load-generator process: both sides of every negotiation, sending and receiving.

Started by the runner as `python -m bench.negotiation.loadgen`; the first stdin line is its
config (JSON, so bearer tokens stay out of `ps`):

    {"host", "port", "kind": "tradehall" | "ceiling", "pairs": [[topic, buyer_auth,
     supplier_auth], ...], "body_bytes", "connect_timeout", "concurrency"}

It opens two connections per pair (the buyer's and the supplier's, each joined to the
pair's topic), prints `{"event": "ready", ...}`, then answers JSON-line commands:

- `{"cmd": "step", "step": k, "rate": r, "seconds": s, "drain": d}`: every client sends `r`
  messages/s for `s` seconds on a fixed schedule, its first send at a random offset within
  the first interval (so 400 clients at 1 msg/s do not all send in the same millisecond);
  then waits up to `d` s for the deliveries, and prints the step's summary;
- `{"cmd": "late"}`: per step, how many other-side deliveries arrived after its summary;
- `{"cmd": "quit"}`.

It exits on `quit`, on stdin EOF (runner gone) and after `--max-seconds` whatever happens.
Connections are bench.ws.client's (the `websockets` sans-I/O protocol, the fast frame
parser once joined).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.negotiation import wire
from bench.ws.adapters import EnvelopeAdapter, EnvelopeSession
from bench.ws.client import WSClient, close_all, keepalive_loop, open_client
from bench.ws.loadgen import bounded_main, emit, raise_nofile_limit
from bench.ws.stats import Sketch


@dataclass
class StepTally:
    """What one step's clients received, by kind."""

    other: array[int] = field(default_factory=lambda: array("q"))
    """Latency (us) send -> the other side's client received the event."""
    echo: array[int] = field(default_factory=lambda: array("q"))
    """Latency (us) send -> the sender's own client received the event."""
    ack: array[int] = field(default_factory=lambda: array("q"))
    """Latency (us) send -> the sender received the action's reply (TradeHall only)."""
    last_ns: int = 0
    size_total: int = 0


class Tally:
    def __init__(self) -> None:
        self.steps: dict[int, StepTally] = {}
        self.summarized: set[int] = set()
        self.late = 0
        self.late_other: dict[int, int] = {}
        """Per summarized step: other-side deliveries that arrived after its summary."""
        self.lost = 0
        self.close_codes: dict[str, int] = {}
        """Connections the server closed after the join, by close code and reason."""

    def record(self, code: int, sent_ns: int, received_ns: int, size: int, my_side: int) -> None:
        step, kind, sender = wire.unpack(code)
        data = self.steps.get(step)
        if data is None:
            if step in self.summarized:
                self.late += 1
                if kind == wire.EVENT and sender != my_side:
                    self.late_other[step] = self.late_other.get(step, 0) + 1
                return
            data = self.steps[step] = StepTally()
        latency = (received_ns - sent_ns) // 1000
        if kind == wire.REPLY:
            data.ack.append(latency)
            return
        (data.echo if sender == my_side else data.other).append(latency)
        data.last_ns = max(data.last_ns, received_ns)
        data.size_total += size


class ClientSink:
    """One client's sink (bench.ws.client.Sink): it knows which side it is."""

    def __init__(self, tally: Tally, side: int) -> None:
        self.tally = tally
        self.side = side

    def on_stamp(self, step: int, sent_ns: int, received_ns: int, size: int) -> None:
        self.tally.record(step, sent_ns, received_ns, size, self.side)

    def on_closed(self, client: WSClient) -> None:
        if client.session.ready:
            self.tally.lost += 1
            code = f"{client.close_code} {client.close_reason}".strip() if client.close_code \
                else "without a close frame"
            self.tally.close_codes[code] = self.tally.close_codes.get(code, 0) + 1


@dataclass
class Party:
    """One side of one negotiation: its connection and what it has sent."""

    client: WSClient
    topic: str
    side: int
    sent: int = 0


def adapter_for(kind: str, topic: str, authorization: str | None) -> EnvelopeAdapter:
    headers = [("Authorization", authorization)] if authorization else []
    return EnvelopeAdapter(
        name=kind, extra_headers=headers, topic=topic,
        # TradeHall closes a client silent for 75 s; the bare ceiling needs no pings.
        keepalive_seconds=25.0 if kind == "tradehall" else None,
        read_stamp=wire.read_stamp,
    )


async def open_parties(config: dict[str, Any], tally: Tally) -> tuple[list[Party], list[str]]:
    gate = asyncio.Semaphore(int(config.get("concurrency", 50)))
    parties: list[Party] = []
    errors: list[str] = []

    async def one(topic: str, side: int, authorization: str | None) -> None:
        adapter = adapter_for(config["kind"], topic, authorization)
        async with gate:
            try:
                client = await open_client(
                    config["host"], int(config["port"]), adapter, "subscriber",
                    ClientSink(tally, side), time.time_ns, float(config["connect_timeout"]),
                    fast=True,
                )
            except (OSError, TimeoutError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                return
            parties.append(Party(client, topic, side))

    async with asyncio.TaskGroup() as group:
        for topic, buyer_auth, supplier_auth in config["pairs"]:
            group.create_task(one(topic, 0, buyer_auth))
            group.create_task(one(topic, 1, supplier_auth))
    return parties, errors


def error_codes(parties: list[Party]) -> dict[str, int]:
    """`error` frames the server sent after the join, by code (e.g. `rate_limited`)."""
    codes: dict[str, int] = {}
    for party in parties:
        session = party.client.session
        if isinstance(session, EnvelopeSession):
            for code in session.errors:
                codes[code] = codes.get(code, 0) + 1
    return codes


def _times(first: float, interval: float, seconds: float) -> list[float]:
    """Send times from `first`, every `interval`, before `seconds`."""
    count = max(0, int((seconds - first) / interval - 1e-9) + 1) if first < seconds else 0
    return [first + k * interval for k in range(count)]


async def run_step(
    parties: list[Party], tally: Tally, build: Callable[[str, str, str, str], str],
    cmd: dict[str, Any], body_bytes: int,
) -> dict[str, Any]:
    step, rate = int(cmd["step"]), float(cmd["rate"])
    seconds, drain = float(cmd["seconds"]), float(cmd["drain"])
    interval = 1.0 / rate
    rng = random.Random(step)  # noqa: S311 - jitter, not security
    # The whole step's schedule, merged: (due time offset, party index). Each client sends
    # every `interval` from a random offset within the first one, inside the step's window:
    # rate x seconds messages per client on average, the step's offered load exactly.
    schedule = sorted(
        (due, index)
        for index in range(len(parties))
        for due in _times(rng.uniform(0, interval), interval, seconds)
    )
    errors_before = error_codes(parties)
    lost_before = tally.lost
    closes_before = dict(tally.close_codes)
    body = wire.body_text(step, body_bytes)
    sent = 0
    skipped = 0
    first_ns = time.time_ns()
    start = time.monotonic()
    for position, (due, index) in enumerate(schedule):
        delay = start + due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        elif position % 64 == 0:
            await asyncio.sleep(0)  # far behind: still let the receivers run
        party = parties[index]
        if party.client.closed:
            skipped += 1
            continue
        party.sent += 1
        msg_id = wire.client_msg_id(party.side, step, time.time_ns(), party.sent)
        party.client.send_text(build(party.topic, f"m{party.sent}", body, msg_id))
        sent += 1
    send_seconds = time.monotonic() - start
    last_send_ns = time.time_ns()
    deadline = time.monotonic() + drain
    while time.monotonic() < deadline:
        data = tally.steps.get(step)
        if data is not None and len(data.other) >= sent and len(data.echo) >= sent:
            break
        await asyncio.sleep(0.05)
    data = tally.steps.pop(step, StepTally())
    tally.summarized.add(step)
    errors_after = error_codes(parties)
    errors = {code: count - errors_before.get(code, 0) for code, count in errors_after.items()
              if count > errors_before.get(code, 0)}
    errors.update({f"closed {code}": count - closes_before.get(code, 0)
                   for code, count in tally.close_codes.items()
                   if count > closes_before.get(code, 0)})
    received = len(data.other) + len(data.echo)
    return {
        "step": step, "rate": rate, "clients": len(parties), "sent": sent,
        "skipped_closed": skipped, "send_seconds": round(send_seconds, 3),
        "first_send_ns": first_ns, "last_send_ns": last_send_ns, "last_receipt_ns": data.last_ns,
        "other": Sketch.of(data.other).to_json(), "echo": Sketch.of(data.echo).to_json(),
        "ack": Sketch.of(data.ack).to_json(),
        "frame_bytes": data.size_total / received if received else 0.0,
        "errors": errors, "late": tally.late, "lost_connections": tally.lost - lost_before,
        "open": sum(1 for p in parties if not p.client.closed),
    }


async def serve() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    config: dict[str, Any] = json.loads(await reader.readline())
    build = wire.tradehall_frame if config["kind"] == "tradehall" else wire.ceiling_frame
    tally = Tally()
    nofile = raise_nofile_limit()
    started = time.monotonic()
    parties, errors = await open_parties(config, tally)
    emit({"event": "ready", "connected": len(parties), "failed": len(errors),
          "errors": sorted(set(errors))[:5], "nofile": nofile,
          "connect_seconds": round(time.monotonic() - started, 2)})
    clients = [p.client for p in parties]
    pinger = (
        asyncio.create_task(keepalive_loop(clients, 25.0)) if config["kind"] == "tradehall"
        else None
    )
    try:
        while line := await reader.readline():
            cmd = json.loads(line)
            if cmd.get("cmd") == "step":
                emit(await run_step(parties, tally, build, cmd, int(config["body_bytes"])))
            elif cmd.get("cmd") == "late":
                emit({"late_other": {str(k): v for k, v in tally.late_other.items()}})
            elif cmd.get("cmd") == "quit":
                break
    finally:
        await close_all(clients, pinger)


def main(argv: list[str] | None = None) -> None:
    bounded_main(serve, "negotiation loadgen", argv)


if __name__ == "__main__":
    main()
