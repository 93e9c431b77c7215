"""Frames on the wire: JSON objects ``{"type", "topic", "ref", "payload"}``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# Client → server frame types. Any other type is a domain action on the frame's topic.
JOIN = "join"
LEAVE = "leave"
PING = "ping"
# Server → client frame types: joined, event, reply, error, presence, and batch (several
# frames of one topic delivered as one, see ``batch_frame``).
BATCH = "batch"

TOPIC_PATTERN = re.compile(r"^[a-z][a-z_-]{0,31}:[A-Za-z0-9_.\-]{1,64}$")
ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")
MAX_REF_LENGTH = 64


class ProtocolError(Exception):
    """A frame the server cannot act on; answered with an ``error`` frame of this code."""

    def __init__(self, code: str, message: str, ref: str | None = None, topic: str | None = None,
                 details: Any = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.ref = ref
        self.topic = topic
        self.details = details


@dataclass(frozen=True)
class ClientFrame:
    type: str
    topic: str | None
    ref: str | None
    payload: dict[str, Any]


def parse_client_frame(text: str) -> ClientFrame:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ProtocolError("invalid_frame", "Frames must be JSON objects.") from exc
    if not isinstance(data, dict):
        raise ProtocolError("invalid_frame", "Frames must be JSON objects.")
    ref = data.get("ref")
    if ref is not None and (not isinstance(ref, str | int) or len(str(ref)) > MAX_REF_LENGTH):
        raise ProtocolError("invalid_frame", "ref must be a short string.")
    ref = None if ref is None else str(ref)
    kind = data.get("type")
    if not isinstance(kind, str) or not ACTION_PATTERN.match(kind):
        raise ProtocolError("invalid_frame", "type must be a short lower-case name.", ref)
    topic = data.get("topic")
    if topic is not None and (not isinstance(topic, str) or not TOPIC_PATTERN.match(topic)):
        raise ProtocolError("invalid_topic", "Topic names look like 'negotiation:42'.", ref)
    if kind != PING and topic is None:
        raise ProtocolError("invalid_topic", "This frame needs a topic.", ref)
    payload = data.get("payload", {})
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise ProtocolError("invalid_frame", "payload must be a JSON object.", ref, topic)
    return ClientFrame(type=kind, topic=topic, ref=ref, payload=payload)


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)


def frame(kind: str, topic: str | None, ref: str | None, payload: dict[str, Any]) -> str:
    return _dumps({"type": kind, "topic": topic, "ref": ref, "payload": payload})


def event_frame(topic: str, event: str, data: dict[str, Any], seq: int | None) -> str:
    """An ``event`` frame, encoded once per publish and shared by every recipient."""
    payload: dict[str, Any] = {"event": event, "data": data}
    if seq is not None:
        payload["seq"] = seq
    return frame("event", topic, None, payload)


def batch_frame(topic: str, frames: list[str]) -> str:
    """Frames of one topic delivered together: ``{"type": "batch", "topic", "frames": [...]}``.

    The frames are already-encoded texts (each encoded once for every recipient), joined as
    they are: a batch costs a string join, not a decode and re-encode of what it carries.
    """
    return f'{{"type":"{BATCH}","topic":{json.dumps(topic)},"frames":[{",".join(frames)}]}}'


def error_frame(code: str, message: str, ref: str | None = None, topic: str | None = None,
                details: Any = None) -> str:
    """An ``error`` frame; ``details`` (e.g. ``{"until": ...}``) only when there are some."""
    payload: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        payload["details"] = details
    return frame("error", topic, ref, payload)
