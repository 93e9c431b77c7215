"""Peer (a), the stack's ceiling: the `websockets` asyncio server and `broadcast()`.

Speaks the envelope subset the load generators use: `join` -> `reply`; `publish` -> one
`event` frame encoded once and written to every connection joined to the frame's topic by
`broadcast()` (synchronous writes, no task or await per recipient). No auth, no checks.
The fan-out benchmark puts every client in one topic; the negotiation benchmark
(bench/negotiation) uses one two-member topic per negotiation.

For the livestream benchmark (bench/livestream) it also does, only when asked, the least a
room needs: `like` frames are counted per topic (no reply, nothing sent); `--stats-seconds S`
broadcasts `{"event": "stats", "data": {"viewers", "likes"}}` to each topic every S seconds;
`--coalesce-ms W` batches a topic's outgoing frames as TradeHall's livestream topics do (the
first frame after a quiet window goes at once, the next ones within W ms are sent together
as one `{"type":"batch","topic":T,"frames":[...]}` frame). Without these flags it behaves
exactly as before.

    python -m bench.ws.servers.ws_bare --port 8765 [--coalesce-ms 100 --stats-seconds 1]
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
likes: dict[str, int] = {}
"""Topic -> likes counted since the server started."""
held: dict[str, list[str]] = {}
"""Topic -> frames held in its open coalescing window (absent: no window open)."""
COALESCE_SECONDS = 0.0


def send_to_topic(topic: str, frame: str) -> None:
    if COALESCE_SECONDS <= 0:
        broadcast(members.get(topic, ()), frame)
        return
    window = held.get(topic)
    if window is not None:
        window.append(frame)
        return
    broadcast(members.get(topic, ()), frame)  # first after a quiet window: at once
    held[topic] = []
    asyncio.get_running_loop().call_later(COALESCE_SECONDS, close_window, topic)


def close_window(topic: str) -> None:
    frames = held.pop(topic, [])
    if not frames:
        return  # quiet: the next frame goes out at once
    batch = f'{{"type":"batch","topic":{json.dumps(topic)},"frames":[{",".join(frames)}]}}'
    broadcast(members.get(topic, ()), batch)
    held[topic] = []
    asyncio.get_running_loop().call_later(COALESCE_SECONDS, close_window, topic)


async def stats_loop(every: float) -> None:
    while True:
        await asyncio.sleep(every)
        for topic, room in list(members.items()):
            data = {"viewers": len(room), "likes": likes.get(topic, 0)}
            send_to_topic(topic, EVENT_PREFIX + json.dumps(
                {"event": "stats", "data": data}, separators=(",", ":")) + "}")


async def handler(ws: ServerConnection) -> None:
    joined: list[str] = []
    try:
        async for message in ws:
            request = json.loads(message)
            kind = request.get("type")
            if kind == "publish":
                payload = json.dumps(request["payload"], separators=(",", ":"))
                send_to_topic(str(request.get("topic")), EVENT_PREFIX + payload + "}")
            elif kind == "like":
                topic = str(request.get("topic"))
                likes[topic] = likes.get(topic, 0) + int(request["payload"].get("count", 1))
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


async def main(host: str, port: int, stats_seconds: float) -> None:
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    stats = asyncio.create_task(stats_loop(stats_seconds)) if stats_seconds > 0 else None
    async with serve(handler, host, port, compression=None, backlog=4096):
        await stop
    if stats is not None:
        stats.cancel()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop")
    parser.add_argument("--coalesce-ms", type=float, default=0.0,
                        help="batch each topic's frames within this window (0: off)")
    parser.add_argument("--stats-seconds", type=float, default=0.0,
                        help="send each topic a stats event this often (0: never)")
    args = parser.parse_args()
    COALESCE_SECONDS = args.coalesce_ms / 1000
    raise_nofile_limit()
    run_loop(main(args.host, args.port, args.stats_seconds), args.loop)
