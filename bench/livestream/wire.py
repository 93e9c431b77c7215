"""What the room's clients send, and how a receiver reads the send times back.

A benchmark chat line's body carries its stamp, then padding to a typical chat length:

    bench#<step>#<sent_ns>#<n> xxxx...      e.g. "bench#1#1764369834123456789#17 xxxx"

`step` is the runner's step, `sent_ns` the sender's `time.time_ns()` just before the frame
is written, `n` the sender's own counter. TradeHall delivers it as the `body` of a
`chat.message` event; the bare ceiling wraps the publish payload (a chat.message look-alike)
in an event. Either may arrive alone or inside a `batch` frame (several complete event
frames, as objects or as JSON strings): the receiver finds every `bench#` in the frame's
bytes, so it needs no JSON decoding and does not care how the event is wrapped. Sender and
receivers live in one load-generator process, so one clock measures send -> receipt.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

MARKER = b"bench#"
STATS = b'"event":"stats"'
EVENT_HEAD = b'{"type":"event"'
BATCH_HEAD = b'{"type":"batch"'
REPLY_HEAD = b'{"type":"reply"'
_VIEWERS = b'"viewers":'
_LIKES = b'"likes":'


def chat_body(step: int, sent_ns: int, n: int, size: int) -> str:
    """A chat line of `size` characters (at least the stamp) stamped `sent_ns`."""
    head = f"bench#{step}#{sent_ns}#{n} "
    return head + "x" * max(0, size - len(head))


def stamps(frame: bytes) -> Iterator[tuple[int, int]]:
    """`(step, sent_ns)` of every benchmark chat line in the frame, in order."""
    start = frame.find(MARKER)
    while start >= 0:
        step_at = start + len(MARKER)
        sent_at = frame.find(b"#", step_at) + 1
        end = frame.find(b"#", sent_at)
        if sent_at <= 0 or end < 0:
            return
        try:
            yield int(frame[step_at : sent_at - 1]), int(frame[sent_at:end])
        except ValueError:
            pass
        start = frame.find(MARKER, end)


def _int_after(frame: bytes, key: bytes, start: int, window: int = 120) -> int | None:
    at = frame.find(key, start, start + window)
    if at < 0:
        return None
    at += len(key)
    end = at
    while end < len(frame) and frame[end : end + 1].isdigit():
        end += 1
    return int(frame[at:end]) if end > at else None


def stats_seen(frame: bytes) -> Iterator[tuple[int | None, int | None]]:
    """`(viewers, likes)` of every `stats` event in the frame."""
    start = frame.find(STATS)
    while start >= 0:
        yield _int_after(frame, _VIEWERS, start), _int_after(frame, _LIKES, start)
        start = frame.find(STATS, start + len(STATS))


def _compact(data: dict[str, object]) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def tradehall_chat(topic: str, ref: str, body: str) -> str:
    """A `chat.send` action on the room's topic (docs/realtime.md, livestream topic)."""
    return _compact({"type": "chat.send", "topic": topic, "ref": ref, "payload": {"body": body}})


def like(topic: str) -> str:
    """A `like` of 1 (TradeHall and the ceiling alike: no reply)."""
    return _compact({"type": "like", "topic": topic, "payload": {"count": 1}})


def ceiling_chat(topic: str, ref: str, body: str, user_id: int, name: str) -> str:
    """A `publish` to the bare ceiling whose payload looks like TradeHall's chat.message
    event payload, so the ceiling's frames are about the same size."""
    data = {
        "id": int(ref[1:]) if ref[1:].isdigit() else 0, "user_id": user_id, "name": name,
        "organization_id": user_id, "body": body,
        "sent_at": datetime.now(UTC).isoformat(), "is_host": False,
    }
    payload = {"event": "chat.message", "data": data}
    return _compact({"type": "publish", "topic": topic, "ref": ref, "payload": payload})
