"""Peer (a), the stack's ceiling: the `websockets` asyncio server and `broadcast()`.

Speaks the envelope subset the load generator uses: `join` -> `reply`; `publish` -> one
`event` frame encoded once and written to every connection joined to the frame's topic by
`broadcast()` (synchronous writes, no task or await per recipient). No auth, no checks.
The fan-out benchmark puts every client in one topic; the negotiation benchmark
(bench/negotiation) uses one two-member topic per negotiation.

    python -m bench.ws.servers.ws_bare --port 8765
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal

from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed

from bench.ws.servers.common import EVENT_PREFIX, raise_nofile_limit, reply_frame, run_loop

members: dict[str, set[ServerConnection]] = {}
"""Topic -> its joined connections."""


async def handler(ws: ServerConnection) -> None:
    joined: list[str] = []
    try:
        async for message in ws:
            request = json.loads(message)
            kind = request.get("type")
            if kind == "publish":
                payload = json.dumps(request["payload"], separators=(",", ":"))
                broadcast(members.get(request.get("topic"), ()), EVENT_PREFIX + payload + "}")
            elif kind == "join":
                topic = str(request.get("topic"))
                members.setdefault(topic, set()).add(ws)
                joined.append(topic)
                await ws.send(reply_frame(request))
    except ConnectionClosed:
        pass  # the load generator drops its connections without a closing handshake
    finally:
        for topic in joined:
            room = members.get(topic)
            if room is not None:
                room.discard(ws)
                if not room:
                    del members[topic]


async def main(host: str, port: int) -> None:
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with serve(handler, host, port, compression=None, backlog=4096):
        await stop


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop")
    args = parser.parse_args()
    raise_nofile_limit()
    run_loop(main(args.host, args.port), args.loop)
