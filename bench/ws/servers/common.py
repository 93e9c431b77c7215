"""Bits shared by the peer servers (kept tiny: each peer should look like what a team would
write in an afternoon)."""

from __future__ import annotations

import asyncio
import json
import resource
from collections.abc import Coroutine
from typing import Any

from bench.ws.wire import TOPIC

EVENT_PREFIX = f'{{"type":"event","topic":"{TOPIC}","payload":'
"""An event frame is EVENT_PREFIX + payload JSON + "}" (compact, like TradeHall's)."""


def reply_frame(request: dict[str, Any]) -> str:
    reply = {"type": "reply", "topic": request.get("topic"), "ref": request.get("ref"),
             "payload": {"status": "ok"}}
    return json.dumps(reply, separators=(",", ":"))


def raise_nofile_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def run_loop(main: Coroutine[Any, Any, None], loop: str) -> None:
    if loop == "uvloop":
        import uvloop

        uvloop.run(main)
    else:
        asyncio.run(main)
