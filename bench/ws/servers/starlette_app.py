"""Peer (b): a bare Starlette WebSocket endpoint on uvicorn with a plain broadcast loop.

The naive loop most code starts with: the publisher's handler awaits `send_text` on every
joined socket in turn (one await per recipient). Run under both uvicorn WebSocket
implementations (`--ws websockets` legacy, `--ws websockets-sansio`):

    uvicorn bench.ws.servers.starlette_app:app --ws websockets-sansio --port 8765
"""

from __future__ import annotations

import json

from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from bench.ws.servers.common import EVENT_PREFIX, raise_nofile_limit, reply_frame
from bench.ws.wire import WS_PATH

members: set[WebSocket] = set()


async def endpoint(ws: WebSocket) -> None:
    await ws.accept()
    try:
        while True:
            request = json.loads(await ws.receive_text())
            kind = request.get("type")
            if kind == "publish":
                frame = EVENT_PREFIX + json.dumps(request["payload"], separators=(",", ":")) + "}"
                for peer in list(members):
                    try:
                        await peer.send_text(frame)
                    except Exception:  # a gone peer must not stop the loop
                        members.discard(peer)
            elif kind == "join":
                members.add(ws)
                await ws.send_text(reply_frame(request))
    except WebSocketDisconnect:
        pass
    finally:
        members.discard(ws)


raise_nofile_limit()
app = Starlette(routes=[WebSocketRoute(WS_PATH, endpoint)])
