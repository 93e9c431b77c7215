"""The benchmark's message: what the publisher sends and how a receiver reads it back.

A published payload is a JSON object `{"s": STEP, "ts": SEND_TIME_NS, "seq": N, "pad": "xxx"}`
padded to `payload_bytes`. Whatever a server wraps around it (a TradeHall envelope, a
Socket.IO `42["event",...]` packet), the receiver finds `"s":` and `"ts":` in the frame's
bytes, so the hot path needs no JSON decoding and no knowledge of the server. Latency is
`time.time_ns()` at receipt minus `ts`: publisher and receivers are different processes on
the same host, so they share CLOCK_REALTIME.
"""

from __future__ import annotations

import time

TOPIC = "bench:room"
"""The one topic every subscriber joins."""

WS_PATH = "/ws"
"""Where the envelope servers (the bare peers and TradeHall) accept WebSockets."""

DEFAULT_PAYLOAD_BYTES = 160
"""Payload size; with a TradeHall-style envelope around it a frame is about 200 bytes."""

_S_KEY = b'"s":'
_TS_KEY = b'"ts":'


def make_payload(step: int, seq: int, payload_bytes: int = DEFAULT_PAYLOAD_BYTES) -> str:
    """The payload as compact JSON text, stamped with the current wall-clock time in ns."""
    head = f'{{"s":{step},"ts":{time.time_ns()},"seq":{seq},"pad":"'
    pad = max(0, payload_bytes - len(head) - 2)
    return head + "x" * pad + '"}'


def make_text_payload(step: int, seq: int, payload_bytes: int = DEFAULT_PAYLOAD_BYTES) -> str:
    """TradeHall's diagnostic topics take `{"text": str, "sent_at_ns": int}` and deliver
    `data: {"text", "user_id", "name", "sent_at_ns"}`: the step rides in the text."""
    head = f'{{"sent_at_ns":{time.time_ns()},"text":"S{step}:{seq}:'
    pad = max(1, payload_bytes - len(head) - 2)
    return head + "x" * pad + '"}'


_SENT_KEY = b'"sent_at_ns":'
_TEXT_KEY = b'"text":'


def read_text_stamp(frame: bytes) -> tuple[int, int] | None:
    """`(step, send_time_ns)` from a TradeHall diagnostic event, else None."""
    sent = _int_after(frame, _SENT_KEY)
    if sent is None:
        return None
    start = frame.find(_TEXT_KEY)
    if start < 0:
        return None
    start = frame.find(b'"S', start + len(_TEXT_KEY))
    end = frame.find(b":", start)
    if start < 0 or end < 0:
        return None
    try:
        return int(frame[start + 2 : end]), sent
    except ValueError:
        return None


def _int_after(frame: bytes, key: bytes) -> int | None:
    start = frame.find(key)
    if start < 0:
        return None
    start += len(key)
    comma = frame.find(b",", start)
    brace = frame.find(b"}", start)
    end = comma if 0 <= comma < brace or brace < 0 else brace
    if end < 0:
        return None
    try:
        return int(frame[start:end])
    except ValueError:
        return None


def read_stamp(frame: bytes) -> tuple[int, int] | None:
    """`(step, send_time_ns)` if this frame carries a benchmark payload, else None."""
    step = _int_after(frame, _S_KEY)
    if step is None:
        return None
    sent = _int_after(frame, _TS_KEY)
    if sent is None:
        return None
    return step, sent
