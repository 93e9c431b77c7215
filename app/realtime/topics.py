"""The registry of topic handlers: a topic prefix → who may join, what actions exist.

Domains register a handler for their prefix (``negotiation``, ``livestream``, ...), so the
transport stays free of domain knowledge.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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


JoinAuthorizer = Callable[[AsyncSession, Principal, str], Awaitable[None]]
Action = Callable[[ActionContext], Awaitable[dict[str, Any]]]
# Events for the joiner only, sent right after ``joined`` (not published: a live state
# computed for this caller, such as the matchmaking slot clock): [(event, data), ...].
AfterJoin = Callable[[AsyncSession, Principal, str], Awaitable[list[tuple[str, dict[str, Any]]]]]


@dataclass
class TopicHandler:
    prefix: str
    authorize_join: JoinAuthorizer
    durable: bool = False
    presence: bool = False
    actions: dict[str, Action] = field(default_factory=dict)
    # Authorization of each action beyond join; default: any member of the topic may act.
    # What it returns is passed to the action as ``ActionContext.authorized``.
    authorize_action: Callable[[AsyncSession, Principal, str, str], Awaitable[object]] | None = None
    after_join: AfterJoin | None = None


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
