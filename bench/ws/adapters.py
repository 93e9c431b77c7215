"""How a benchmark client talks to each kind of server, on top of WebSocket.

The load generator is server-agnostic: it opens `path`, sends what the adapter's session
asks for, and counts every text frame that carries a benchmark stamp (see `wire`). The
adapter only handles the handshake and control frames (join replies, pings, errors) and
builds the publisher's frames.

- `envelope`: TradeHall's protocol (docs/realtime.md, DESIGN.md section 4). Subscribers send
  `{"type":"join","topic":TOPIC,"ref":"1","payload":{}}` and are ready on a `reply`/`joined`
  for ref "1"; the publisher sends `{"type":"publish","topic":TOPIC,"ref":N,"payload":P}`; the
  server delivers `{"type":"event","topic":TOPIC,"payload":P}`. The bare peers speak it too.
- `tradehall`: the envelope protocol as TradeHall's `/ws` actually serves it
  (docs/realtime.md): topic `pulse:bench` (ephemeral diagnostic topic, enabled with
  TRADEHALL_REALTIME_DIAGNOSTICS=true), `joined` for the join, publish payload
  `{"text": "S<step>:<seq>:xxx", "sent_at_ns": T}`, delivered as an `event` whose `data`
  carries both; the publisher joins too (TradeHall refuses actions on topics not joined); and
  every client sends `{"type":"ping"}` every 25 s (TradeHall closes a client silent for 75 s).
- `socketio`: Engine.IO v4 / Socket.IO v5 over a plain WebSocket (no polling): `0{...}` open
  packet -> send `40` -> `40{...}` -> send `421["join",TOPIC]` -> ack `431[...]`; pings `2`
  are answered `3`; events arrive as `42["event",P]`; publishing is `42["publish",P]`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from bench.ws.wire import TOPIC, WS_PATH, make_text_payload, read_text_stamp
from bench.ws.wire import make_payload as make_json_payload
from bench.ws.wire import read_stamp as read_json_stamp

Stamp = tuple[int, int]

Role = Literal["subscriber", "publisher"]


class AdapterError(Exception):
    """The server refused or broke the handshake; the message says how."""


class Session(Protocol):
    """One connection's protocol state above WebSocket."""

    ready: bool

    def on_open(self) -> list[str]:
        """Frames to send right after the WebSocket handshake."""
        ...

    def on_control(self, frame: bytes) -> list[str]:
        """Handle a frame without a benchmark stamp; return frames to send back."""
        ...

    def keepalive(self) -> list[str]:
        """Frames to send every `Adapter.keepalive_seconds` (application-level pings)."""
        ...


class Adapter(Protocol):
    name: str

    @property
    def keepalive_seconds(self) -> float | None:
        """None: the server needs no application-level keepalive from clients."""
        ...

    @property
    def read_stamp(self) -> Callable[[bytes], Stamp | None]:
        """`(step, send_time_ns)` from a delivered frame, None for any other (hot path)."""
        ...

    @property
    def make_payload(self) -> Callable[[int, int, int], str]:
        """`(step, seq, payload_bytes)` -> the publish payload (JSON object text), stamped now."""
        ...

    def path(self) -> str:
        """Request target, e.g. `/ws` or `/socket.io/?EIO=4&transport=websocket`."""
        ...

    def headers(self) -> list[tuple[str, str]]:
        """Extra handshake headers (authentication: `Authorization`, `Cookie`)."""
        ...

    def origin(self) -> str | None:
        """`Origin` header to send, if the server checks it."""
        ...

    def new_session(self, role: Role) -> Session:
        ...

    def publish_frame(self, payload: str, ref: int) -> str:
        """The publisher's frame for one payload (compact JSON object text)."""
        ...


@dataclass
class EnvelopeSession:
    role: Role
    join_as_publisher: bool
    topic: str = TOPIC
    ready: bool = False
    errors: list[str] = field(default_factory=list)

    def on_open(self) -> list[str]:
        if self.role == "publisher" and not self.join_as_publisher:
            self.ready = True
            return []
        join = {"type": "join", "topic": self.topic, "ref": "1", "payload": {}}
        return [json.dumps(join, separators=(",", ":"))]

    def keepalive(self) -> list[str]:
        return ['{"type":"ping","ref":"k","payload":{}}']

    def on_control(self, frame: bytes) -> list[str]:
        try:
            message = json.loads(frame)
        except ValueError as exc:
            raise AdapterError(f"not JSON: {frame[:80]!r}") from exc
        if not isinstance(message, dict):
            raise AdapterError(f"not an object: {frame[:80]!r}")
        kind = message.get("type")
        if kind == "error":
            payload = message.get("payload")
            code = payload.get("code") if isinstance(payload, dict) else None
            if not self.ready:
                raise AdapterError(f"join refused: {code or frame[:120]!r}")
            self.errors.append(str(code))
        elif kind in ("reply", "joined") and message.get("ref") == "1" and not self.ready:
            payload = message.get("payload")
            status = payload.get("status", "ok") if isinstance(payload, dict) else "ok"
            if status not in ("ok", None):
                raise AdapterError(f"join not ok: {frame[:120]!r}")
            self.ready = True
        return []


@dataclass
class EnvelopeAdapter:
    """TradeHall's envelope protocol; also spoken by the bare peers (a), (b)."""

    name: str = "envelope"
    ws_path: str = WS_PATH
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    origin_header: str | None = None
    join_as_publisher: bool = False
    """TradeHall requires the publisher to join before publishing; the bare peers do not."""
    topic: str = TOPIC
    keepalive_seconds: float | None = None
    read_stamp: Callable[[bytes], Stamp | None] = read_json_stamp
    make_payload: Callable[[int, int, int], str] = make_json_payload

    def path(self) -> str:
        return self.ws_path

    def headers(self) -> list[tuple[str, str]]:
        return list(self.extra_headers)

    def origin(self) -> str | None:
        return self.origin_header

    def new_session(self, role: Role) -> Session:
        return EnvelopeSession(role, self.join_as_publisher, self.topic)

    def publish_frame(self, payload: str, ref: int) -> str:
        return f'{{"type":"publish","topic":"{self.topic}","ref":"{ref}","payload":{payload}}}'


@dataclass
class SocketIOSession:
    role: Role
    ready: bool = False

    def on_open(self) -> list[str]:
        return []

    def on_control(self, frame: bytes) -> list[str]:
        if frame == b"2":  # Engine.IO ping from the server
            return ["3"]
        if frame.startswith(b"0{"):  # Engine.IO open
            return ["40"]
        if frame.startswith(b"40"):  # namespace connected
            if self.role == "publisher":
                self.ready = True
                return []
            return [f'421["join","{TOPIC}"]']
        if frame.startswith(b"431"):  # ack of the join
            self.ready = True
            return []
        if frame.startswith(b"44"):
            raise AdapterError(f"namespace connect refused: {frame[:120]!r}")
        if frame.startswith(b"1") or frame.startswith(b"41"):
            raise AdapterError("closed by the server")
        return []

    def keepalive(self) -> list[str]:
        return []  # the Engine.IO server pings; on_control answers


@dataclass
class SocketIOAdapter:
    name: str = "socketio"
    keepalive_seconds: float | None = None
    read_stamp: Callable[[bytes], Stamp | None] = read_json_stamp
    make_payload: Callable[[int, int, int], str] = make_json_payload

    def path(self) -> str:
        return "/socket.io/?EIO=4&transport=websocket"

    def headers(self) -> list[tuple[str, str]]:
        return []

    def origin(self) -> str | None:
        return None

    def new_session(self, role: Role) -> Session:
        return SocketIOSession(role)

    def publish_frame(self, payload: str, ref: int) -> str:
        del ref
        return f'42["publish",{payload}]'


@dataclass(frozen=True)
class AdapterConfig:
    """What the runner passes to the load generator (as JSON) to rebuild an adapter."""

    kind: Literal["envelope", "socketio", "tradehall"]
    path: str = WS_PATH
    headers: tuple[tuple[str, str], ...] = ()
    origin: str | None = None
    topic: str = TOPIC

    def build(self) -> Adapter:
        if self.kind == "socketio":
            return SocketIOAdapter()
        if self.kind == "tradehall":
            return EnvelopeAdapter(
                name="tradehall",
                ws_path=self.path,
                extra_headers=list(self.headers),
                origin_header=self.origin,
                join_as_publisher=True,
                topic=self.topic,
                keepalive_seconds=25.0,
                read_stamp=read_text_stamp,
                make_payload=make_text_payload,
            )
        return EnvelopeAdapter(
            ws_path=self.path,
            extra_headers=list(self.headers),
            origin_header=self.origin,
            topic=self.topic,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "path": self.path,
                "headers": [list(h) for h in self.headers],
                "origin": self.origin,
                "topic": self.topic,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> AdapterConfig:
        raw = json.loads(text)
        kind = raw["kind"]
        if kind not in ("envelope", "socketio", "tradehall"):
            raise ValueError(f"unknown adapter kind {kind!r}")
        return cls(
            kind=kind,
            path=str(raw["path"]),
            headers=tuple((str(k), str(v)) for k, v in raw["headers"]),
            origin=raw["origin"],
            topic=str(raw["topic"]),
        )
