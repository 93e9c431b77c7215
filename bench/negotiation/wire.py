"""What a negotiation client sends, and how a receiver reads the send time back.

Every chat message carries a `client_msg_id` (TradeHall stores it with the message and
echoes it in the `message.created` event; the bare ceiling echoes the whole payload):

    <side><step>.<sent_ns>.<n>      e.g. "b3.1764369834123456789.17"

`side` is `b` (buyer) or `s` (supplier), `step` the runner's step number, `sent_ns` the
sender's `time.time_ns()` just before the frame is written, `n` the sender's own counter (a
client_msg_id is unique per sender and topic). Sender and receivers live in the same
load-generator process, so one clock measures send -> receipt. The receiver finds the id in
the frame's bytes without decoding the JSON: only frames starting `{"type":"event"` count
as deliveries (a TradeHall `reply` to the sender carries the same id, and is read as the
acknowledgement instead).
"""

from __future__ import annotations

import json

EVENT_HEAD = b'{"type":"event"'
REPLY_HEAD = b'{"type":"reply"'
_ID_KEY = b'"client_msg_id":"'

SIDES = ("b", "s")
"""Index 0 is the buyer's client, 1 the supplier's."""

EVENT = 0
REPLY = 1


def client_msg_id(side: int, step: int, sent_ns: int, n: int) -> str:
    return f"{SIDES[side]}{step}.{sent_ns}.{n}"


def read_stamp(frame: bytes) -> tuple[int, int] | None:
    """`(code, sent_ns)` of a delivered message (an `event`) or an acknowledgement (a
    `reply`), else None. `code` packs the step, the frame kind and the sender's side:
    `step * 4 + kind * 2 + side` (the `Sink` interface of bench.ws.client passes one int)."""
    if frame.startswith(EVENT_HEAD):
        kind = EVENT
    elif frame.startswith(REPLY_HEAD):
        kind = REPLY
    else:
        return None
    start = frame.find(_ID_KEY)
    if start < 0:
        return None
    start += len(_ID_KEY)
    end = frame.find(b'"', start)
    if end < 0:
        return None
    try:
        step_text, sent_text, _ = frame[start + 1 : end].split(b".")
        side = SIDES.index(chr(frame[start]))
        return int(step_text) * 4 + kind * 2 + side, int(sent_text)
    except ValueError:
        return None


def unpack(code: int) -> tuple[int, int, int]:
    """`(step, kind, sender side)` from `read_stamp`'s code."""
    return code // 4, (code // 2) % 2, code % 2


def body_text(n: int, size: int) -> str:
    """A chat line of about `size` characters (what a trader types is short)."""
    head = f"Message {n}: can you do a better price for 2 containers? "
    return (head + "x" * max(0, size - len(head)))[: max(size, 1)]


def tradehall_frame(topic: str, ref: str, body: str, msg_id: str) -> str:
    """A `message.send` action (docs/realtime.md, "The negotiation topic")."""
    payload = {"body": body, "client_msg_id": msg_id}
    return json.dumps({"type": "message.send", "topic": topic, "ref": ref, "payload": payload},
                      separators=(",", ":"))


def ceiling_frame(topic: str, ref: str, body: str, msg_id: str) -> str:
    """A `publish` to the bare ceiling: it wraps the payload in an event and broadcasts it
    to the topic's members (bench/ws/servers/ws_bare.py)."""
    payload = {"client_msg_id": msg_id, "body": body}
    return json.dumps({"type": "publish", "topic": topic, "ref": ref, "payload": payload},
                      separators=(",", ":"))
