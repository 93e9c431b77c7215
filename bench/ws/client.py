"""One benchmark WebSocket client: an asyncio Protocol driving the `websockets` sans-I/O
`ClientProtocol` (the library's own handshake and frame parser, without the per-connection
task, queue and futures of its asyncio client), so one process can hold thousands of
connections and parse ~10^5 frames/s.

Every text frame goes to the `Sink` first (benchmark stamps, the hot path); frames without a
stamp go to the adapter's session (handshake replies, pings, errors).

With `fast=True`, once the client has joined, incoming frames are split by a ~20-line parser
instead of the library's generator-based one (~1.1 us instead of ~3.2 us per frame measured
here). Server-to-client frames are unmasked and, from these servers, never fragmented or
compressed, so the hand-written path only handles whole frames; pings are still answered and
everything the client sends (handshake, joins, pongs, publishes) is still built by
`websockets`. The load generator competes with the server for the same two cores, so every
microsecond it saves goes to the server under test.
"""

from __future__ import annotations

import asyncio
from typing import Protocol, cast

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.typing import Origin
from websockets.uri import parse_uri

from bench.ws.adapters import Adapter, AdapterError, Role


class Sink(Protocol):
    def on_stamp(self, step: int, sent_ns: int, received_ns: int, size: int) -> None: ...

    def on_closed(self, client: WSClient) -> None: ...


class NullSink:
    """For the publisher: it may receive its own events (TradeHall) and must read them."""

    def on_stamp(self, step: int, sent_ns: int, received_ns: int, size: int) -> None:
        pass

    def on_closed(self, client: WSClient) -> None:
        pass


class WSClient(asyncio.Protocol):
    def __init__(
        self, host: str, port: int, adapter: Adapter, role: Role, sink: Sink, clock: Clock,
        *, fast: bool = False,
    ) -> None:
        origin = adapter.origin()
        self.proto = ClientProtocol(
            parse_uri(f"ws://{host}:{port}{adapter.path()}"),
            origin=Origin(origin) if origin else None,
            max_size=2**20,
        )
        self.adapter = adapter
        self.read_stamp = adapter.read_stamp
        self.session = adapter.new_session(role)
        self.sink = sink
        self.clock = clock
        self.transport: asyncio.Transport | None = None
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed = False
        self.close_code: int | None = None
        """The code of the server's close frame, if it sent one (e.g. 1011, 1013)."""
        self.close_reason = ""
        self.fast = fast
        self._fast_on = False
        self._pending = b""

    # asyncio.Protocol -------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's TCPTransport is not an asyncio.Transport subclass, but has its methods.
        self.transport = cast(asyncio.Transport, transport)
        request = self.proto.connect()
        for name, value in self.adapter.headers():
            request.headers[name] = value
        self.proto.send_request(request)
        self._flush()

    def data_received(self, data: bytes) -> None:
        now = self.clock()
        if self._fast_on:
            self._fast_received(data, now)
            return
        proto = self.proto
        proto.receive_data(data)
        for event in proto.events_received():
            if isinstance(event, Frame):
                if event.opcode is Opcode.TEXT:
                    body = event.data
                    self._on_text(body if isinstance(body, bytes) else bytes(body), now)
            elif isinstance(event, Response):
                self._on_response(event)
        if proto.close_rcvd is not None and self.close_code is None:
            self.close_code, self.close_reason = proto.close_rcvd.code, proto.close_rcvd.reason
        self._flush()

    def eof_received(self) -> bool | None:
        self.proto.receive_eof()
        self._flush()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(f"connection lost before ready: {exc!r}"))
        self.sink.on_closed(self)

    # ------------------------------------------------------------------------------------
    def send_text(self, text: str) -> None:
        self.proto.send_text(text.encode())
        self._flush()

    def keepalive(self) -> None:
        if not self.closed and self.session.ready:
            for frame in self.session.keepalive():
                self.proto.send_text(frame.encode())
            self._flush()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def _on_response(self, response: Response) -> None:
        if self.proto.handshake_exc is not None:
            self._fail(f"handshake failed: HTTP {response.status_code}: {self.proto.handshake_exc}")
            return
        for frame in self.session.on_open():
            self.proto.send_text(frame.encode())
        self._check_ready()

    def _on_text(self, data: bytes, now: int) -> None:
        stamp = self.read_stamp(data)
        if stamp is not None:
            self.sink.on_stamp(stamp[0], stamp[1], now, len(data))
            return
        try:
            replies = self.session.on_control(data)
        except AdapterError as exc:
            self._fail(str(exc))
            return
        for frame in replies:
            self.proto.send_text(frame.encode())
        self._check_ready()

    def _check_ready(self) -> None:
        if self.session.ready and not self.ready.done():
            self.ready.set_result(None)
        if self.fast and self.session.ready and not self.proto.reader.buffer:
            self._fast_on = True  # the library's parser holds no partial frame: switch

    def _fast_received(self, data: bytes, now: int) -> None:
        buf = self._pending + data if self._pending else data
        size = len(buf)
        i = 0
        while size - i >= 2:
            first = buf[i]
            length = buf[i + 1] & 0x7F
            if buf[i + 1] & 0x80:
                self._fail("masked frame from the server")
                return
            head = 2
            if length == 126:
                if size - i < 4:
                    break
                length = int.from_bytes(buf[i + 2 : i + 4], "big")
                head = 4
            elif length == 127:
                if size - i < 10:
                    break
                length = int.from_bytes(buf[i + 2 : i + 10], "big")
                head = 10
            end = i + head + length
            if end > size:
                break
            if first == 0x81:  # FIN + text
                self._on_text(buf[i + head : end], now)
            elif first == 0x89:  # ping
                self.proto.send_pong(buf[i + head : end])
            elif first == 0x88:  # close: the benchmark does not need a clean close
                reason = buf[i + head : end]
                self.close_code = int.from_bytes(reason[:2], "big") if len(reason) >= 2 else 1005
                self.close_reason = bytes(reason[2:]).decode(errors="replace")
                self.abort()
                return
            elif first != 0x8A:  # fragmented, binary or reserved: not produced by these servers
                self._fail(f"unexpected frame header 0x{first:02x}")
                return
            i = end
        self._pending = buf[i:] if i < size else b""
        self._flush()

    def _fail(self, reason: str) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(reason))
        self.abort()

    def _flush(self) -> None:
        transport = self.transport
        if transport is None:
            return
        for chunk in self.proto.data_to_send():
            if chunk:
                transport.write(chunk)
            elif transport.can_write_eof():
                transport.write_eof()


class Clock(Protocol):
    def __call__(self) -> int: ...


async def keepalive_loop(clients: list[WSClient], every: float) -> None:
    """Send each client's keepalive frames once per `every` seconds, spread in 0.5 s slices so
    thousands of pings do not land on the server at once. Runs until cancelled."""
    slices = max(1, int(every / 0.5))
    tick = 0
    while True:
        await asyncio.sleep(every / slices)
        for client in clients[tick % slices :: slices]:
            client.keepalive()
        tick += 1


async def close_all(clients: list[WSClient], pinger: asyncio.Task[None] | None) -> None:
    """Stop the keepalive pings and drop every connection (no closing handshake: a server
    under test must cope with vanished clients anyway)."""
    if pinger is not None:
        pinger.cancel()
    for client in clients:
        client.abort()
    await asyncio.sleep(0)


async def open_client(
    host: str, port: int, adapter: Adapter, role: Role, sink: Sink, clock: Clock, timeout: float,
    *, fast: bool = False,
) -> WSClient:
    """Connect, handshake and complete the adapter's join; raise on failure or timeout."""
    loop = asyncio.get_running_loop()
    holder: list[WSClient] = []

    def factory() -> WSClient:
        client = WSClient(host, port, adapter, role, sink, clock, fast=fast)
        holder.append(client)
        return client

    try:
        async with asyncio.timeout(timeout):
            await loop.create_connection(factory, host, port)
            await holder[0].ready
    except BaseException:
        if holder:
            if not holder[0].ready.done():
                holder[0].ready.cancel()
            holder[0].abort()
        raise
    return holder[0]
