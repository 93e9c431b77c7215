"""The registry of topic handlers: a topic prefix → who may join, what actions exist.

Domains register a handler for their prefix (``negotiation``, ``livestream``, ...), so the
transport stays free of domain knowledge.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.errors import NotFound
from app.realtime import log as topic_log

# Events recorded in a unit of work, published by the hub once it commits.
PENDING_EVENTS_KEY = "realtime.pending"


class TopicNotFound(NotFound):
    code = "topic_not_found"
    message = "No such topic."


@dataclass
class PendingEvent:
    topic: str
    event: str
    data: dict[str, Any]
    seq: int | None


@dataclass
class ActionContext:
    """What an action handler gets: the caller, the topic, the frame, and a unit of work.

    Events recorded with ``emit`` are published only after the action's transaction commits.
    """

    session: AsyncSession
    principal: Principal
    topic: str
    topic_id: str
    payload: dict[str, Any]
    client_msg_id: str | None
    durable: bool
    # What the handler's authorize_action returned (e.g. the negotiation it read), so the
    # action does not read it again.
    authorized: object = None

    async def emit(self, event: str, data: dict[str, Any]) -> int | None:
        """Record an event on this topic. Durable topics store it and return its seq."""
        return await emit(
            self.session,
            topic=self.topic,
            event=event,
            data=data,
            durable=self.durable,
            sender_user_id=self.principal.user_id,
            client_msg_id=self.client_msg_id,
        )


async def emit(
    session: AsyncSession,
    *,
    topic: str,
    event: str,
    data: dict[str, Any],
    durable: bool,
    sender_user_id: int | None = None,
    client_msg_id: str | None = None,
    deduplicated: bool = False,
) -> int | None:
    """Record an event on a topic within the session's unit of work.

    Durable events are stored with the topic's next seq right away (and the seq returned);
    every event is published by the hub only after the unit of work commits, so nothing is
    ever seen live that is not also in the log. ``deduplicated``: see ``topic_log.append``.
    """
    pending: list[PendingEvent] = session.info.setdefault(PENDING_EVENTS_KEY, [])
    if not durable:
        pending.append(PendingEvent(topic, event, data, None))
        return None

    stored, created = await topic_log.append(
        session,
        topic=topic,
        event=event,
        payload=data,
        sender_user_id=sender_user_id,
        client_msg_id=client_msg_id,
        deduplicated=deduplicated,
    )
    if created:  # a deduplicated retry was published the first time already
        pending.append(PendingEvent(topic, event, data, stored.seq))
    return stored.seq


async def emit_to_many(
    session: AsyncSession, *, topics: Collection[str], event: str, data: dict[str, Any]
) -> None:
    """Record one durable event on each of many topics (a notification to many users) in a
    few statements (``topic_log.append_to_many``); published after commit like ``emit``."""
    if not topics:
        return
    pending: list[PendingEvent] = session.info.setdefault(PENDING_EVENTS_KEY, [])
    seqs = await topic_log.append_to_many(session, topics, event, data)
    pending.extend(PendingEvent(topic, event, data, seq) for topic, seq in seqs.items())


JoinAuthorizer = Callable[[AsyncSession, Principal, str], Awaitable[None]]
Action = Callable[[ActionContext], Awaitable[dict[str, Any]]]
# Events for the joiner only, sent right after ``joined`` (not published: a live state
# computed for this caller, such as the matchmaking slot clock): [(event, data), ...].
AfterJoin = Callable[[AsyncSession, Principal, str], Awaitable[list[tuple[str, dict[str, Any]]]]]
# What the topic does when a socket leaves it (or disconnects): no database session.
AfterLeave = Callable[[Principal, str], Awaitable[None]]
# An action that needs no database: (principal, topic id, payload) → a reply payload, or
# None for no reply at all; sync or async. Raise an AppError to refuse it.
LocalReply = dict[str, Any] | None
LocalAction = Callable[[Principal, str, dict[str, Any]], LocalReply | Awaitable[LocalReply]]


@dataclass
class TopicHandler:
    prefix: str
    authorize_join: JoinAuthorizer
    durable: bool = False
    presence: bool = False
    actions: dict[str, Action] = field(default_factory=dict)
    # Actions run without a database session and without admission control (still rate
    # limited per connection and only for sockets that joined), for what happens many times
    # a second per user and is counted in memory, such as a livestream's likes.
    local_actions: Mapping[str, LocalAction] = field(default_factory=dict)
    # Authorization of each action beyond join; default: any member of the topic may act.
    # What it returns is passed to the action as ``ActionContext.authorized``.
    authorize_action: Callable[[AsyncSession, Principal, str, str], Awaitable[object]] | None = None
    after_join: AfterJoin | None = None
    after_leave: AfterLeave | None = None
    # Ephemeral topics only: frames reaching this node within this many seconds of the one
    # before are held and delivered together as one ``batch`` frame (docs/realtime.md,
    # "Batching"), so a busy room costs one delivery per socket per window, not per event.
    coalesce_seconds: float | None = None

    def __post_init__(self) -> None:
        if self.coalesce_seconds is not None and (self.durable or self.coalesce_seconds <= 0):
            raise ValueError("only ephemeral topics coalesce, over a positive window")
        both = set(self.actions) & set(self.local_actions)
        if both:
            raise ValueError(f"actions {sorted(both)} are both local and database actions")


class TopicRegistry:
    def __init__(self) -> None:
        self._handlers: dict[str, TopicHandler] = {}

    def register(self, handler: TopicHandler) -> None:
        if handler.prefix in self._handlers:
            raise ValueError(f"topic prefix {handler.prefix!r} registered twice")
        self._handlers[handler.prefix] = handler

    def resolve(self, topic: str) -> tuple[TopicHandler, str]:
        prefix, _, topic_id = topic.partition(":")
        handler = self._handlers.get(prefix)
        if handler is None:
            raise TopicNotFound()
        return handler, topic_id

    def prefixes(self) -> list[str]:
        return sorted(self._handlers)
