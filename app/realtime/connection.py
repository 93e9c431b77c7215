"""One client socket: a bounded send queue drained by one writer task, rate limits, topics.

Fan-out calls ``deliver``/``send`` synchronously: no task and no ``await`` per recipient.
A connection whose queue is full is cut off rather than allowed to grow memory.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import structlog
from starlette.websockets import WebSocket

from app.accounts.principal import Principal

log = structlog.get_logger(__name__)

CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_POLICY_VIOLATION = 1008
CLOSE_TOO_BIG = 1009
CLOSE_INTERNAL_ERROR = 1011
CLOSE_TRY_AGAIN_LATER = 1013
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
    def __init__(self, websocket: WebSocket, principal: Principal, limits: Limits) -> None:
        self.websocket = websocket
        self.principal = principal
        self.limits = limits
        self.topics: dict[str, TopicState] = {}
        self.bucket = TokenBucket(limits.rate_per_second, limits.burst)
        self.strikes = 0
        self._queue: deque[str] = deque()
        self._writer_busy = False
        self._stalled: tuple[Coroutine[Any, Any, None], Any] | None = None
        self._ready = asyncio.Event()
        self._space = asyncio.Event()
        self._space.set()
        self.done = asyncio.Event()
        self.close_code: int | None = None
        self.close_reason = ""
        self.cut_off = False

    @property
    def open(self) -> bool:
        return not self.done.is_set()

    # --- sending --------------------------------------------------------------------------
    #
    # Fast path: while nothing is queued, a frame is written synchronously by driving the ASGI
    # send coroutine by hand. uvicorn's send only suspends when the socket's write buffer is
    # full (backpressure); until then it completes in one step, so fan-out to a thousand
    # sockets costs no task switch and no await per recipient. The first time a send does
    # suspend, the writer task takes over: it finishes that send and drains the queue, and
    # new frames queue behind it (in order) until it is done.

    def send(self, text: str) -> None:
        """Write or queue a frame without waiting. A full queue cuts the connection off."""
        if self.done.is_set():
            return
        if self._writer_busy or self._queue:
            self._enqueue(text)
            return
        coro = self.websocket.send({"type": "websocket.send", "text": text})
        try:
            waiting_for = coro.send(None)
        except StopIteration:
            return  # written
        except Exception:
            self.finish(CLOSE_GOING_AWAY, "")
            return
        self._writer_busy = True
        self._stalled = (coro, waiting_for)
        self._ready.set()

    def _enqueue(self, text: str) -> None:
        if len(self._queue) >= self.limits.max_queue:
            self.cut_off = True
            self.finish(CLOSE_TRY_AGAIN_LATER, "slow consumer")
            log.info("ws_slow_consumer_cut_off", user_id=self.principal.user_id)
            return
        self._queue.append(text)
        self._writer_busy = True
        self._ready.set()
        if len(self._queue) >= self.limits.max_queue:
            self._space.clear()

    async def send_paced(self, text: str) -> None:
        """Queue a frame, waiting for room: for replays, which must not overflow the queue."""
        while self.open and len(self._queue) >= self.limits.max_queue // 2:
            self._space.clear()
            await self._space.wait()
        self.send(text)

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

    async def writer(self) -> None:
        """Finish a send that hit backpressure, then drain the queue; then back to fast path."""
        try:
            while True:
                if self._stalled is not None:
                    coro, waiting_for = self._stalled
                    self._stalled = None
                    await _resume(coro, waiting_for)
                while self._queue:
                    text = self._queue.popleft()
                    if len(self._queue) < self.limits.max_queue // 2:
                        self._space.set()
                    await self.websocket.send_text(text)
                self._writer_busy = False
                if self.done.is_set():
                    return
                self._ready.clear()
                await self._ready.wait()
        except Exception:  # the socket went away under us
            self.finish(CLOSE_GOING_AWAY, "")

    def finish(self, code: int, reason: str) -> None:
        if self.done.is_set():
            return
        self.close_code = code
        self.close_reason = reason
        self.done.set()
        self._ready.set()
        self._space.set()

    def queued(self) -> int:
        return len(self._queue)


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
