"""Fan-out's shortcut: hand a text frame straight to uvicorn's websockets-sansio connection.

An ASGI ``send`` is a coroutine (with, inside uvicorn, a second one waiting for the socket to
be writable) created and stepped once per recipient of every broadcast: about a third of the
Python CPU a delivery costs (``python -m bench.ws.hotpath``: 2.4 µs through the server's ASGI
send, 1.8 µs written directly). With uvicorn's ``websockets-sansio`` implementation (what
``app.server`` runs) the connection is a ``websockets`` sans-I/O protocol object plus an
asyncio transport, and a frame can be written the way ``websockets.broadcast()`` does for
its own server: ``send_text`` on the protocol, its bytes to the transport.

uvicorn's protocol attributes read here are not a public API, so the shortcut is taken only
when the ASGI ``send`` is bound to that class and every attribute is there (checked once per
connection), and only while uvicorn itself would write at once: socket writable, no close
sent, not disconnected, protocol open. In every other case the writer answers False and the
caller sends through ASGI, which waits for the socket or refuses as uvicorn decides.
"""

from __future__ import annotations

from collections.abc import Callable

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import OPEN, Protocol

FrameWriter = Callable[[bytes], bool]
"""Writes one UTF-8 text frame now and returns True, or returns False having done nothing."""

_SERVER_ATTRIBUTES = ("conn", "transport", "writable", "close_sent", "disconnected")


def direct_writer(send: object) -> FrameWriter | None:
    """A writer for the connection behind this ASGI ``send``, or None if it is not uvicorn's
    websockets-sansio one (another server, another implementation, a wrapped send)."""
    server = getattr(send, "__self__", None)
    if not isinstance(server, WebSocketsSansIOProtocol):
        return None
    if not all(hasattr(server, name) for name in _SERVER_ATTRIBUTES):
        return None
    protocol = server.conn
    if not isinstance(protocol, Protocol):
        return None
    writable = server.writable

    def write(data: bytes) -> bool:
        if server.close_sent or server.disconnected or not writable.is_set():
            return False
        if protocol.state is not OPEN:
            return False
        try:
            protocol.send_text(data)
            server.transport.write(b"".join(protocol.data_to_send()))
        except Exception:  # a dying socket: the ASGI path meets it too, and reports it
            return False
        return True

    return write
