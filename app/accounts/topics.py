"""``user:<id>``: a user's own notifications (durable). Only that user may join."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.realtime import log as topic_log
from app.realtime.topics import TopicHandler, TopicNotFound, TopicRegistry


def topic_of(user_id: int) -> str:
    return f"user:{user_id}"


async def notifications_position(session: AsyncSession, user_id: int) -> int:
    """The last seq of the user's notifications: a page reads it *before* the state it
    renders and joins with it as last_seq, so nothing stored in between is missed."""
    return await topic_log.last_seq(session, topic_of(user_id))


async def _only_self(_session: AsyncSession, principal: Principal, topic_id: str) -> None:
    if topic_id != str(principal.user_id):
        raise TopicNotFound()  # someone else's notifications do not exist for you


def register(registry: TopicRegistry) -> None:
    registry.register(TopicHandler(prefix="user", authorize_join=_only_self, durable=True))
