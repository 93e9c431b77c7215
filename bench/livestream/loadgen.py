"""Load-generator process: every viewer of the room, receiving, chatting and liking.

Started by the runner as `python -m bench.livestream.loadgen`; the first stdin line is its
config (JSON, so bearer tokens stay out of `ps`):

    {"kind": "tradehall" | "ceiling", "host", "ports": [P1, ...], "topic",
     "viewers": [[user_id, name, authorization | null], ...], "senders", "body_bytes",
     "connect_timeout", "concurrency"}

Viewer i connects to `ports[i % len(ports)]` (round-robin over the nodes) and joins the
topic; the first `senders` viewers also chat. It prints `{"event": "ready", ...}`, then
answers JSON-line commands:

- `{"cmd": "step", "step": k, "chat_rate": c, "like_rate": l, "seconds": s, "drain": d}`:
  for `s` seconds the senders send `chat.send` (c per second in all, each sender every
  senders / c seconds) and the viewers send `like` {count: 1} (l per second in all, each
  viewer every viewers / l seconds), every client from a random offset within its first
  interval, on a fixed schedule; then it waits up to `d` s for the deliveries and prints the
  step's summary;
- `{"cmd": "status"}`: viewers still open, and the connections the server closed so far
  (by close code);
- `{"cmd": "late"}`: per step, chat deliveries that arrived after its summary;
- `{"cmd": "quit"}`.

It exits on `quit`, on stdin EOF (runner gone) and after `--max-seconds` whatever happens.
Connections are bench.ws.client's (the `websockets` sans-I/O protocol, the fast frame
parser once joined); each client's frames are read by its `Viewer` (see `Viewer.read`).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from array import array
from dataclasses import dataclass, field
from typing import Any

from bench.livestream import wire
from bench.ws.adapters import EnvelopeAdapter, EnvelopeSession
from bench.ws.client import WSClient, close_all, keepalive_loop, open_client
from bench.ws.loadgen import bounded_main, emit, raise_nofile_limit
from bench.ws.stats import Sketch

CONSUMED = (-1, 0)
"""What `Viewer.read` returns for a frame it has tallied (bench.ws.client then hands it to
the sink, which has nothing left to do); None sends a frame to the session (joins, errors)."""
_CONTROL_HEADS = (b'{"type":"error"', b'{"type":"joined"', b'{"type":"presence"')
CHAT, LIKE = 0, 1


def _latencies() -> array[int]:
    return array("q")


@dataclass
class StepTally:
    nodes: int
    latencies: list[array[int]] = field(default_factory=list)
    """Per node: send -> receipt (us) of every chat line its viewers received."""
    ack: array[int] = field(default_factory=_latencies)
    """send -> the sender got the `reply` to its chat.send (TradeHall only)."""
    last_ns: int = 0
    frames: int = 0
    batch_frames: int = 0
    frame_bytes: int = 0
    stats_frames: int = 0
    max_viewers: int = 0

    def __post_init__(self) -> None:
        self.latencies = [_latencies() for _ in range(self.nodes)]


class Tally:
    """What every viewer received, by step (chat lines by the step in their stamp; frames,
    bytes and stats by the step running when they arrived)."""

    def __init__(self, nodes: int) -> None:
        self.nodes = nodes
        self.steps: dict[int, StepTally] = {}
        self.summarized: set[int] = set()
        self.late: dict[int, int] = {}
        self.current: StepTally | None = None
        self.lost = 0
        self.close_codes: dict[str, int] = {}
        self.likes_shown = 0
        """The highest like count any stats event has shown so far (any step or none)."""

    def step(self, step: int) -> StepTally | None:
        data = self.steps.get(step)
        if data is None:
            if step in self.summarized:
                return None
            data = self.steps[step] = StepTally(self.nodes)
        return data

    def data_frame(self, frame: bytes, node: int, now: int) -> None:
        for step, sent in wire.stamps(frame):
            data = self.step(step)
            if data is None:
                self.late[step] = self.late.get(step, 0) + 1
                continue
            data.latencies[node].append((now - sent) // 1000)
            data.last_ns = now
        current = self.current
        stats = wire.stats_seen(frame) if wire.STATS in frame else ()
        if current is None:
            for _, likes in stats:
                self.likes_shown = max(self.likes_shown, likes or 0)
            return
        current.frames += 1
        current.frame_bytes += len(frame)
        if frame.startswith(wire.BATCH_HEAD):
            current.batch_frames += 1
        for viewers, likes in stats:
            current.stats_frames += 1
            current.max_viewers = max(current.max_viewers, viewers or 0)
            self.likes_shown = max(self.likes_shown, likes or 0)

    def reply(self, frame: bytes, now: int) -> None:
        for step, sent in wire.stamps(frame):
            data = self.step(step)
            if data is not None:
                data.ack.append((now - sent) // 1000)


class Viewer:
    """One client's reader (its adapter's `read_stamp`) and sink (bench.ws.client.Sink)."""

    def __init__(self, tally: Tally, index: int, node: int, user_id: int, name: str) -> None:
        self.tally = tally
        self.index = index
        self.node = node
        self.user_id = user_id
        self.name = name
        self.client: WSClient | None = None
        self.sent = 0

    def read(self, frame: bytes) -> tuple[int, int] | None:
        """Tally a data frame (an event, a batch) or the reply to a chat.send; anything else
        (joined, errors, pongs) goes to the session."""
        if frame.startswith(wire.REPLY_HEAD):
            if wire.MARKER not in frame:
                return None
            self.tally.reply(frame, time.time_ns())
            return CONSUMED
        if frame.startswith(_CONTROL_HEADS):
            return None
        self.tally.data_frame(frame, self.node, time.time_ns())
        return CONSUMED

    def on_stamp(self, step: int, sent_ns: int, received_ns: int, size: int) -> None:
        pass  # tallied in read()

    def on_closed(self, client: WSClient) -> None:
        if client.session.ready:
            self.tally.lost += 1
            code = (f"{client.close_code} {client.close_reason}".strip() if client.close_code
                    else "without a close frame")
            self.tally.close_codes[code] = self.tally.close_codes.get(code, 0) + 1


async def open_viewers(
    config: dict[str, Any], tally: Tally, clients: list[WSClient]
) -> tuple[list[Viewer], list[str]]:
    """Connect and join every viewer; those that failed are left out (with their error).
    Each joined client is added to `clients` at once (the keepalive loop reads that list:
    the first viewers must not go silent for the minute the last ones take to join)."""
    gate = asyncio.Semaphore(int(config["concurrency"]))
    ports = [int(p) for p in config["ports"]]
    kind = config["kind"]
    viewers: list[Viewer] = []
    errors: list[str] = []

    async def one(index: int, user_id: int, name: str, authorization: str | None) -> None:
        node = index % len(ports)
        viewer = Viewer(tally, index, node, user_id, name)
        adapter = EnvelopeAdapter(
            name=kind, extra_headers=[("Authorization", authorization)] if authorization else [],
            topic=config["topic"], read_stamp=viewer.read,
            # TradeHall closes a client silent for 75 s; the bare ceiling needs no pings.
            keepalive_seconds=25.0 if kind == "tradehall" else None,
        )
        async with gate:
            try:
                viewer.client = await open_client(
                    config["host"], ports[node], adapter, "subscriber", viewer, time.time_ns,
                    float(config["connect_timeout"]), fast=True,
                )
            except (OSError, TimeoutError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                return
            viewers.append(viewer)
            clients.append(viewer.client)

    async with asyncio.TaskGroup() as group:
        for index, (user_id, name, authorization) in enumerate(config["viewers"]):
            group.create_task(one(index, int(user_id), str(name), authorization))
    viewers.sort(key=lambda v: v.index)
    return viewers, errors


def error_codes(viewers: list[Viewer]) -> dict[str, int]:
    """`error` frames the server sent after the join, by code."""
    codes: dict[str, int] = {}
    for viewer in viewers:
        session = viewer.client.session if viewer.client else None
        if isinstance(session, EnvelopeSession):
            for code in session.errors:
                codes[code] = codes.get(code, 0) + 1
    return codes


def _diff(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: v - before.get(k, 0) for k, v in after.items() if v > before.get(k, 0)}


def schedule(
    senders: int, viewers: int, chat_rate: float, like_rate: float, seconds: float, seed: int
) -> list[tuple[float, int, int]]:
    """(due offset, CHAT | LIKE, viewer position), merged and sorted: each sender chats every
    senders / chat_rate s and each viewer likes every viewers / like_rate s, from a random
    offset within its first interval, inside the window — the offered rates on average."""
    rng = random.Random(seed)  # noqa: S311 - jitter, not security
    plan: list[tuple[float, int, int]] = []
    for kind, count, rate in ((CHAT, senders, chat_rate), (LIKE, viewers, like_rate)):
        if count <= 0 or rate <= 0:
            continue
        interval = count / rate
        for position in range(count):
            due = rng.uniform(0, interval)
            while due < seconds:
                plan.append((due, kind, position))
                due += interval
    plan.sort()
    return plan


async def run_step(viewers: list[Viewer], tally: Tally, config: dict[str, Any],
                   cmd: dict[str, Any]) -> dict[str, Any]:
    step, seconds, drain = int(cmd["step"]), float(cmd["seconds"]), float(cmd["drain"])
    kind, topic = config["kind"], str(config["topic"])
    tradehall = kind == "tradehall"
    senders = viewers[: int(config["senders"])]
    plan = schedule(len(senders), len(viewers), float(cmd["chat_rate"]),
                    float(cmd["like_rate"]), seconds, step)
    open_at_start = [v for v in viewers if v.client is not None and not v.client.closed]
    per_node = [sum(1 for v in open_at_start if v.node == n) for n in range(tally.nodes)]
    errors_before, lost_before = error_codes(viewers), tally.lost
    closes_before = dict(tally.close_codes)
    data = tally.step(step)
    if data is None:
        raise RuntimeError(f"step {step} was already summarized")
    tally.current = data
    likes_before = tally.likes_shown
    like_frame = wire.like(topic)
    chats = likes = skipped = 0
    first_ns = time.time_ns()
    start = time.monotonic()
    for position, (due, what, index) in enumerate(plan):
        delay = start + due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        elif position % 64 == 0:
            await asyncio.sleep(0)  # far behind: still let the receivers run
        viewer = senders[index] if what == CHAT else viewers[index]
        client = viewer.client
        if client is None or client.closed:
            skipped += 1
            continue
        if what == LIKE:
            client.send_text(like_frame)
            likes += 1
            continue
        viewer.sent += 1
        ref = f"c{viewer.sent}"
        body = wire.chat_body(step, time.time_ns(), viewer.sent, int(config["body_bytes"]))
        client.send_text(wire.tradehall_chat(topic, ref, body) if tradehall else
                         wire.ceiling_chat(topic, ref, body, viewer.user_id, viewer.name))
        chats += 1
    send_seconds = time.monotonic() - start
    deadline = time.monotonic() + drain
    while time.monotonic() < deadline:
        refused = sum(_diff(error_codes(viewers), errors_before).values())
        accepted = len(data.ack) if tradehall else chats
        answered = accepted + refused >= chats if tradehall else True
        received = sum(len(lat) for lat in data.latencies)
        if answered and received >= accepted * len(open_at_start):
            break
        await asyncio.sleep(0.05)
    tally.current = None
    tally.steps.pop(step, None)
    tally.summarized.add(step)
    accepted = len(data.ack) if tradehall else chats
    merged = _latencies()
    for lat in data.latencies:
        merged.extend(lat)
    return {
        "step": step, "seconds": seconds, "chat_sent": chats, "likes_sent": likes,
        "skipped_closed": skipped, "send_seconds": round(send_seconds, 3),
        "first_send_ns": first_ns, "last_receipt_ns": data.last_ns,
        "accepted": accepted, "joined": len(open_at_start), "joined_per_node": per_node,
        "expected": accepted * len(open_at_start),
        "delivered": len(merged), "delivered_per_node": [len(lat) for lat in data.latencies],
        "latency": Sketch.of(merged).to_json(),
        "latency_per_node": [Sketch.of(lat).to_json() for lat in data.latencies],
        "ack": Sketch.of(data.ack).to_json(),
        "frames": data.frames, "batch_frames": data.batch_frames,
        "frame_bytes": data.frame_bytes, "stats_frames": data.stats_frames,
        "max_viewers_shown": data.max_viewers,
        "likes_shown": tally.likes_shown - likes_before,
        "errors": _diff(error_codes(viewers), errors_before),
        "closed": _diff(tally.close_codes, closes_before),
        "lost_connections": tally.lost - lost_before,
        "open": sum(1 for v in viewers if v.client is not None and not v.client.closed),
    }


async def serve() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=64 * 1024 * 1024)  # the config: thousands of tokens
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    config: dict[str, Any] = json.loads(await reader.readline())
    tally = Tally(len(config["ports"]))
    nofile = raise_nofile_limit()
    started = time.monotonic()
    clients: list[WSClient] = []
    pinger = (asyncio.create_task(keepalive_loop(clients, 25.0))
              if config["kind"] == "tradehall" else None)
    try:
        viewers, errors = await open_viewers(config, tally, clients)
        emit({"event": "ready", "connected": len(viewers), "failed": len(errors),
              "errors": sorted(set(errors))[:5], "nofile": nofile,
              "connected_per_node": [sum(1 for v in viewers if v.node == n)
                                     for n in range(tally.nodes)],
              "connect_seconds": round(time.monotonic() - started, 2)})
        while line := await reader.readline():
            cmd = json.loads(line)
            if cmd.get("cmd") == "step":
                emit(await run_step(viewers, tally, config, cmd))
            elif cmd.get("cmd") == "status":
                emit({"open": sum(1 for c in clients if not c.closed), "lost": tally.lost,
                      "closed": tally.close_codes})
            elif cmd.get("cmd") == "late":
                emit({"late": {str(k): v for k, v in tally.late.items()}})
            elif cmd.get("cmd") == "quit":
                break
    finally:
        await close_all(clients, pinger)


def main(argv: list[str] | None = None) -> None:
    bounded_main(serve, "livestream loadgen", argv)


if __name__ == "__main__":
    main()
