"""``user:<id>``: a user's own notifications (durable). Only that user may join."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.realtime.topics import TopicHandler, TopicNotFound, TopicRegistry


async def _only_self(_session: AsyncSession, principal: Principal, topic_id: str) -> None:
    if topic_id != str(principal.user_id):
        raise TopicNotFound()  # someone else's notifications do not exist for you


def register(registry: TopicRegistry) -> None:
    registry.register(TopicHandler(prefix="user", authorize_join=_only_self, durable=True))
