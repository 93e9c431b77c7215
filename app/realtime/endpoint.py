"""The ``/ws`` endpoint: authenticate, check Origin, then read frames and act on them."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from typing import Any
from urllib.parse import urlsplit

import structlog
from fastapi import APIRouter, WebSocket
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.websockets import WebSocketDisconnect

from app.accounts import service as accounts
from app.accounts.principal import Principal
from app.api.deps import SESSION_COOKIE
from app.config import Settings
from app.db import POOL_MAX_OVERFLOW, POOL_SIZE, run_after_commit
from app.errors import AppError
from app.kit.validation import has_control_characters
from app.middleware import raw_send
from app.realtime import log as topic_log
from app.realtime.admission import RETRY_AFTER_MS, Admission, ServerBusy
from app.realtime.connection import (
    CLOSE_GOING_AWAY,
    CLOSE_INTERNAL_ERROR,
    CLOSE_POLICY_VIOLATION,
    CLOSE_TOO_BIG,
    Connection,
    Limits,
    TopicState,
)
from app.realtime.hub import Hub
from app.realtime.protocol import (
    JOIN,
    LEAVE,
    PING,
    ClientFrame,
    ProtocolError,
    error_frame,
    event_frame,
    frame,
    parse_client_frame,
)
from app.realtime.topics import Action, ActionContext, LocalAction, TopicHandler

log = structlog.get_logger(__name__)
router = APIRouter()

REPLAY_BATCH = 500
MAX_CLIENT_MSG_ID = 64


def origin_allowed(websocket: WebSocket, settings: Settings) -> bool:
    """Browsers always send Origin; a foreign one means cross-site WebSocket hijacking."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: API clients authenticate with bearer tokens
    if origin in settings.allowed_origins:
        return True
    return urlsplit(origin).netloc == websocket.headers.get("host", "")


async def authenticate(websocket: WebSocket, hub: Hub) -> Principal | None:
    header = websocket.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    async with hub.sessionmaker() as session:
        if scheme.lower() == "bearer" and token.strip():
            return await accounts.resolve_principal(session, token.strip(), kind="api")
        cookie = websocket.cookies.get(SESSION_COOKIE)
        if cookie:
            return await accounts.resolve_principal(session, cookie, kind="session")
    return None


def limits_from(settings: Settings) -> Limits:
    return Limits(
        max_queue=settings.realtime_send_queue,
        rate_per_second=settings.realtime_rate_per_second,
        burst=settings.realtime_rate_burst,
        max_strikes=settings.realtime_max_strikes,
        idle_timeout=settings.realtime_idle_timeout_seconds,
        max_frame_bytes=settings.realtime_max_frame_bytes,
    )


def admission_of(websocket: WebSocket) -> Admission:
    """The process's admission of actions (one per app), created on first use."""
    state = websocket.app.state
    admission: Admission | None = getattr(state, "realtime_admission", None)
    if admission is None:
        settings: Settings = state.settings
        admission = Admission(
            settings.realtime_max_db_actions or POOL_SIZE + POOL_MAX_OVERFLOW,
            settings.realtime_admission_wait_seconds,
        )
        state.realtime_admission = admission
    return admission


@router.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket) -> None:
    settings: Settings = websocket.app.state.settings
    hub: Hub = websocket.app.state.hub
    # Refusals happen before accept, so the browser sees an HTTP 403 and nothing else.
    if not origin_allowed(websocket, settings):
        log.info("ws_refused", reason="origin", origin=websocket.headers.get("origin"))
        await websocket.close(code=CLOSE_POLICY_VIOLATION)
        return
    principal = await authenticate(websocket, hub)
    if principal is None:
        log.info("ws_refused", reason="not_authenticated")
        await websocket.close(code=CLOSE_POLICY_VIOLATION)
        return
    await websocket.accept()
    conn = Connection(websocket, principal, limits_from(settings), raw_send(websocket.scope))
    hub.connections.add(conn)
    session = Session(conn, hub, admission_of(websocket))
    reader = asyncio.create_task(session.read_loop(), name="ws-reader")
    try:
        await conn.done.wait()
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await reader
        await session.leave_all()
        hub.connections.discard(conn)
        if not conn.cut_off:
            # A consumer that does not read would block the flush and the close handshake:
            # it is just dropped. Anyone else gets what was queued, then the close code.
            await conn.flush(timeout=5)
            if conn.close_code is not None and conn.close_code != CLOSE_GOING_AWAY:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(
                        websocket.close(conn.close_code, conn.close_reason), timeout=5
                    )
        await conn.stop_writing()


def _topic(f: ClientFrame) -> str:
    # parse_client_frame guarantees a topic on every frame but ping.
    if f.topic is None:
        raise ProtocolError("invalid_topic", "This frame needs a topic.", f.ref)
    return f.topic


class Session:
    """The reading side of one connection: parses frames and dispatches them."""

    def __init__(self, conn: Connection, hub: Hub, admission: Admission) -> None:
        self.conn = conn
        self.hub = hub
        self.admission = admission

    async def read_loop(self) -> None:
        conn = self.conn
        try:
            await self._read_frames()
        except WebSocketDisconnect:
            conn.finish(CLOSE_GOING_AWAY, "")
        except Exception:
            log.exception("ws_reader_failed")
            conn.finish(CLOSE_INTERNAL_ERROR, "internal error")
        finally:
            conn.finish(CLOSE_GOING_AWAY, "")

    async def _read_frames(self) -> None:
        conn = self.conn
        while conn.open:
            try:
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for wraps the receive in
                # a task of its own, kept alive by every idle connection.
                async with asyncio.timeout(conn.limits.idle_timeout):
                    message = await conn.websocket.receive()
            except TimeoutError:
                conn.finish(CLOSE_GOING_AWAY, "idle timeout")
                return
            if message["type"] == "websocket.disconnect":
                conn.finish(CLOSE_GOING_AWAY, "")
                return
            text = message.get("text")
            if text is None:
                conn.send(error_frame("invalid_frame", "Send text frames with JSON."))
                continue
            if len(text.encode()) > conn.limits.max_frame_bytes:
                conn.finish(CLOSE_TOO_BIG, "frame too large")
                return
            if not conn.bucket.take():
                conn.strikes += 1
                if conn.strikes >= conn.limits.max_strikes:
                    conn.finish(CLOSE_POLICY_VIOLATION, "rate limit abused")
                    return
                conn.send(error_frame("rate_limited", "Too many frames; slow down."))
                continue
            await self.handle(text)

    async def handle(self, text: str) -> None:
        try:
            client_frame = parse_client_frame(text)
            if client_frame.type == PING:
                self.conn.send(frame("reply", None, client_frame.ref, {"pong": True}))
            elif client_frame.type == JOIN:
                await self.join(client_frame)
            elif client_frame.type == LEAVE:
                await self.leave(client_frame)
            else:
                await self.action(client_frame)
        except ProtocolError as exc:
            self.conn.send(error_frame(exc.code, exc.message, exc.ref, exc.topic, exc.details))
        except AppError as exc:
            self.conn.send(error_frame(exc.code, exc.message, None, None, exc.details))

    def _resolve(self, f: ClientFrame) -> tuple[TopicHandler, str]:
        try:
            return self.hub.registry.resolve(_topic(f))
        except AppError as exc:
            raise ProtocolError(exc.code, exc.message, f.ref, f.topic) from exc

    async def join(self, f: ClientFrame) -> None:
        topic = _topic(f)
        handler, topic_id = self._resolve(f)
        if topic in self.conn.topics:
            raise ProtocolError("already_joined", "You are already in this topic.", f.ref, topic)
        last_seq = f.payload.get("last_seq")
        if last_seq is not None and (not isinstance(last_seq, int) or last_seq < 0):
            raise ProtocolError("invalid_frame", "last_seq must be a non-negative integer.",
                                f.ref, topic)
        async with self.hub.sessionmaker() as db:
            try:
                await handler.authorize_join(db, self.conn.principal, topic_id)
            except AppError as exc:
                raise ProtocolError(exc.code, exc.message, f.ref, topic, exc.details) from exc
        state = TopicState(durable=handler.durable)
        self.conn.topics[topic] = state
        try:
            await self.hub.subscribe(topic, self.conn, handler.durable,
                                     handler.coalesce_seconds)
        except BaseException:
            self.conn.topics.pop(topic, None)
            raise
        presence: list[dict[str, Any]] = []
        if handler.presence:
            user = self.conn.principal.user
            me = {"user_id": user.id, "name": user.full_name}
            if await self.hub.presence.add(topic, user.id, user.full_name):
                await self.hub.announce_presence(topic, [me], [])
            presence = await self.hub.presence.members(topic)
        if handler.durable:
            await self._replay(f, topic, state, last_seq, presence)
        else:
            self.conn.send(frame("joined", topic, f.ref, {"presence": presence}))
        self.conn.finish_replay(topic)
        if handler.after_join is not None:
            async with self.hub.sessionmaker() as db:
                for event, data in await handler.after_join(db, self.conn.principal, topic_id):
                    self.conn.send(event_frame(topic, event, data, None))

    async def _replay(
        self,
        f: ClientFrame,
        topic: str,
        state: TopicState,
        last_seq: int | None,
        presence: list[dict[str, Any]],
    ) -> None:
        async with self.hub.sessionmaker() as db:
            current = await topic_log.last_seq(db, topic)
            first = await topic_log.first_retained_seq(db, topic)
        reset = False
        if last_seq is None:
            start = current  # a fresh join starts live; history comes from the REST API
        elif last_seq > current or (first is not None and last_seq < first - 1) or (
            first is None and last_seq < current
        ):
            # The client's position is unknown here or older than what is kept: say so,
            # and replay what we have so it can rebuild from a known point.
            reset = True
            start = (first - 1) if first is not None else current
        else:
            start = last_seq
        self.conn.send(frame("joined", topic, f.ref, {
            "last_seq": current, "reset": reset, "replay_from": start, "presence": presence,
        }))
        state.last_seq = start
        while state.last_seq < current and self.conn.open:
            async with self.hub.sessionmaker() as db:
                batch = await topic_log.history(db, topic, state.last_seq, REPLAY_BATCH,
                                                before_seq=current + 1)
            if not batch:
                break
            for item in batch:
                await self.conn.send_paced(event_frame(topic, item.event, item.payload, item.seq))
                state.last_seq = item.seq

    async def leave(self, f: ClientFrame) -> None:
        if _topic(f) not in self.conn.topics:
            raise ProtocolError("not_joined", "You are not in this topic.", f.ref, f.topic)
        await self._leave(_topic(f))
        self.conn.send(frame("reply", f.topic, f.ref, {"left": True}))

    async def _leave(self, topic: str) -> None:
        self.conn.topics.pop(topic, None)
        await self.hub.unsubscribe(topic, self.conn)
        handler, topic_id = self.hub.registry.resolve(topic)
        if handler.after_leave is not None:
            await handler.after_leave(self.conn.principal, topic_id)
        if handler.presence:
            user = self.conn.principal.user
            if await self.hub.presence.remove(topic, user.id):
                await self.hub.announce_presence(
                    topic, [], [{"user_id": user.id, "name": user.full_name}]
                )

    async def leave_all(self) -> None:
        for topic in list(self.conn.topics):
            with contextlib.suppress(Exception):
                await self._leave(topic)

    async def action(self, f: ClientFrame) -> None:
        topic = _topic(f)
        handler, topic_id = self._resolve(f)
        if topic not in self.conn.topics:
            raise ProtocolError("not_joined", "Join the topic before acting on it.", f.ref,
                                topic)
        local = handler.local_actions.get(f.type)
        if local is not None:
            await self._act_locally(f, topic, topic_id, local)
            return
        act = handler.actions.get(f.type)
        if act is None:
            raise ProtocolError("unknown_action", f"No action {f.type!r} on this topic.",
                                f.ref, topic)
        client_msg_id = f.payload.get("client_msg_id")
        if client_msg_id is not None and (
            not isinstance(client_msg_id, str) or not 0 < len(client_msg_id) <= MAX_CLIENT_MSG_ID
            or has_control_characters(client_msg_id)  # a NUL would fail in PostgreSQL
        ):
            raise ProtocolError("invalid_frame", "client_msg_id must be a short string "
                                "without control characters.", f.ref, topic)
        try:
            async with self.admission.admit():
                result = await self._act(f, topic, handler, topic_id, act, client_msg_id)
        except (ServerBusy, PoolTimeout):
            # Refused, or no pooled connection in time: nothing was written. The socket
            # stays open; the client retries (the same client_msg_id is stored once).
            log.warning("ws_action_refused", action=f.type, in_flight=self.admission.in_flight)
            self.conn.send(frame("error", topic, f.ref, {
                "code": ServerBusy.code, "message": ServerBusy.message,
                "retry_after_ms": RETRY_AFTER_MS,
            }))
            return
        if result is not None:
            self.conn.send(frame("reply", topic, f.ref, result))

    async def _act_locally(self, f: ClientFrame, topic: str, topic_id: str,
                           act: LocalAction) -> None:
        """An action without a database: no unit of work, no admission (nothing to wait for);
        the rate limit and the join check above still apply."""
        try:
            result = act(self.conn.principal, topic_id, f.payload)
            if inspect.isawaitable(result):
                result = await result
        except AppError as exc:
            raise ProtocolError(exc.code, exc.message, f.ref, topic, exc.details) from exc
        if result is not None:
            self.conn.send(frame("reply", topic, f.ref, result))

    async def _act(
        self, f: ClientFrame, topic: str, handler: TopicHandler, topic_id: str,
        act: Action, client_msg_id: str | None,
    ) -> dict[str, Any] | None:
        """Run one action in its own unit of work; its reply, or None if already answered."""
        principal = self.conn.principal
        async with self.hub.sessionmaker() as db:
            ctx = ActionContext(
                session=db,
                principal=principal,
                topic=topic,
                topic_id=topic_id,
                payload=f.payload,
                client_msg_id=client_msg_id,
                durable=handler.durable,
            )
            try:
                if handler.authorize_action is not None:
                    ctx.authorized = await handler.authorize_action(
                        db, principal, topic_id, f.type
                    )
                result = await act(ctx)
                await db.commit()
            except AppError as exc:
                await db.rollback()
                raise ProtocolError(exc.code, exc.message, f.ref, topic, exc.details) from exc
            except IntegrityError:
                # A concurrent retry with the same client_msg_id stored it first.
                await db.rollback()
                if client_msg_id is None:
                    raise
                existing = await topic_log.find_by_client_msg_id(
                    db, topic, principal.user_id, client_msg_id
                )
                if existing is None:
                    raise
                self.conn.send(frame("reply", topic, f.ref,
                                     {"seq": existing.seq, "duplicate": True}))
                return None
            await run_after_commit(self.conn.websocket.app.state, db)
        return result
