"""One client socket: a bounded send queue drained by a writer task, rate limits, topics.

Fan-out calls ``deliver``/``send`` synchronously: no task and no ``await`` per recipient.
A connection whose queue is full is cut off rather than allowed to grow memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, cast

import structlog
from starlette.types import Message, Send
from starlette.websockets import WebSocket

from app.accounts.principal import Principal
from app.realtime.direct_write import FrameWriter, direct_writer

log = structlog.get_logger(__name__)

CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_POLICY_VIOLATION = 1008
CLOSE_TOO_BIG = 1009
CLOSE_INTERNAL_ERROR = 1011
CLOSE_TRY_AGAIN_LATER = 1013
# An ASGI send that is an ``async def`` (uvicorn's and Starlette's are): the fast path steps
# the coroutine it returns by hand.
CoroutineSend = Callable[[Message], Coroutine[Any, Any, None]]
# How many frames a join may buffer while it replays history (beyond that: resync).
MAX_PENDING_DURING_REPLAY = 10_000


@dataclass
class TopicState:
    durable: bool
    replaying: bool = True
    last_seq: int = 0
    pending: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    max_queue: int
    rate_per_second: float
    burst: int
    max_strikes: int
    idle_timeout: float
    max_frame_bytes: int


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Connection:
    def __init__(
        self,
        websocket: WebSocket,
        principal: Principal,
        limits: Limits,
        send: Send | None = None,
    ) -> None:
        self.websocket = websocket
        # Frames go to the server's own ASGI send when we have it (see app.middleware), and
        # on the fast path straight to uvicorn's connection when it is one we know.
        self._send = cast(CoroutineSend, send or websocket.send)
        self._write_now: FrameWriter | None = direct_writer(send) if send else None
        self.principal = principal
        self.limits = limits
        self.topics: dict[str, TopicState] = {}
        self.bucket = TokenBucket(limits.rate_per_second, limits.burst)
        self.strikes = 0
        # The queue, the writer task and the replay's wait exist only once a send has hit
        # backpressure: most sockets never do, and each would cost every idle connection.
        self._queue: deque[str] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._space: asyncio.Event | None = None
        self.done = asyncio.Event()
        self.closed = False  # done.is_set(), as an attribute: read once per delivery
        self.close_code: int | None = None
        self.close_reason = ""
        self.cut_off = False

    @property
    def open(self) -> bool:
        return not self.closed

    @property
    def writes_directly(self) -> bool:
        """True when fan-out writes into uvicorn's connection without an ASGI send."""
        return self._write_now is not None

    @property
    def behind(self) -> bool:
        """True while frames wait behind a send that met backpressure."""
        return self._writer is not None

    # --- sending --------------------------------------------------------------------------
    #
    # Fast path: while nothing waits, a frame is written synchronously, straight into
    # uvicorn's connection (app.realtime.direct_write) or by driving the ASGI send coroutine
    # by hand: uvicorn's send only suspends when the socket's write buffer is full
    # (backpressure), and until then completes in one step. So fan-out to a thousand sockets
    # costs no task switch and no await per recipient. The first time a send does suspend, a
    # writer task takes over: it finishes that send and drains the queue that new frames join
    # meanwhile (in order), then ends, and the fast path resumes.

    def send(self, text: str) -> None:
        """Write or queue a frame without waiting. A full queue cuts the connection off."""
        if self.closed:
            return
        if self._writer is not None:
            self._enqueue(text)
            return
        if self._write_now is not None and self._write_now(text.encode()):
            return
        coro = self._send(_text_message(text))
        try:
            waiting_for = coro.send(None)
        except StopIteration:
            return  # written
        except Exception:
            self.finish(CLOSE_GOING_AWAY, "")
            return
        self._writer = asyncio.create_task(self._write_behind(coro, waiting_for),
                                           name="ws-writer")

    def _enqueue(self, text: str) -> None:
        queue = self._queue
        if queue is None:
            queue = self._queue = deque()
        if len(queue) >= self.limits.max_queue:
            self.cut_off = True
            self.finish(CLOSE_TRY_AGAIN_LATER, "slow consumer")
            log.info("ws_slow_consumer_cut_off", user_id=self.principal.user_id)
            return
        queue.append(text)

    async def _write_behind(self, coro: Coroutine[Any, Any, None], waiting_for: Any) -> None:
        """Finish the send that met backpressure, then drain the queue; then end."""
        try:
            await _resume(coro, waiting_for)
            queue = self._queue
            while queue:
                text = queue.popleft()
                if self._space is not None and len(queue) < self.limits.max_queue // 2:
                    self._space.set()
                await self._send(_text_message(text))
        except Exception:  # the socket went away under us
            self.finish(CLOSE_GOING_AWAY, "")
        finally:
            # No await since the queue was found empty: nothing can have joined it.
            self._writer = None
            if self._space is not None:
                self._space.set()

    async def send_paced(self, text: str) -> None:
        """Queue a frame, waiting for room: for replays, which must not overflow the queue."""
        while self.open and self.queued() >= self.limits.max_queue // 2:
            if self._space is None:
                self._space = asyncio.Event()
            self._space.clear()
            await self._space.wait()
        self.send(text)

    async def flush(self, timeout: float) -> None:
        """Wait, at most ``timeout`` seconds, for the frames queued behind backpressure."""
        if self._writer is not None:
            await asyncio.wait({self._writer}, timeout=timeout)

    async def stop_writing(self) -> None:
        """Drop whatever is still queued (the socket is being abandoned)."""
        writer = self._writer
        if writer is not None:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await writer

    def deliver(self, topic: str, seq: int, text: str) -> None:
        """A fanned-out frame for a topic: held during replay, deduplicated by seq."""
        state = self.topics.get(topic)
        if state is None:
            return
        if seq == 0:  # not sequenced (ephemeral events, presence)
            if not state.replaying:
                self.send(text)
            return
        if state.replaying:
            if len(state.pending) >= MAX_PENDING_DURING_REPLAY:
                self.finish(CLOSE_TRY_AGAIN_LATER, "too far behind; rejoin with last_seq")
                return
            state.pending.append((seq, text))
            return
        if seq <= state.last_seq:
            return
        state.last_seq = seq
        self.send(text)

    def finish_replay(self, topic: str) -> None:
        state = self.topics.get(topic)
        if state is None:
            return
        for seq, text in state.pending:
            if seq > state.last_seq:
                state.last_seq = seq
                self.send(text)
        state.pending.clear()
        state.replaying = False

    def finish(self, code: int, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        self.close_code = code
        self.close_reason = reason
        self.done.set()
        if self._space is not None:
            self._space.set()

    def queued(self) -> int:
        return len(self._queue) if self._queue else 0


def _text_message(text: str) -> Message:
    return {"type": "websocket.send", "text": text}


async def _resume(coro: Coroutine[Any, Any, None], waiting_for: Any) -> None:
    """Drive a send coroutine that suspended during the fast path to completion.

    It yielded the future it waits on (uvicorn's "writable" event); wait for that future,
    then step the coroutine again, as a Task would.
    """
    try:
        while True:
            if waiting_for is not None:
                await waiting_for
            waiting_for = coro.send(None)
    except StopIteration:
        return
