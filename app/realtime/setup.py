"""Build the realtime side of the app: registry of topics, broker, presence, hub."""

from __future__ import annotations

import uuid

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.accounts import topics as account_topics
from app.config import Settings
from app.livestreams import topics as livestream_topics
from app.livestreams.room import Rooms
from app.matchmaking import topics as matchmaking_topics
from app.negotiations import topics as negotiation_topics
from app.realtime import diagnostics
from app.realtime.audience import MemoryAudience
from app.realtime.broker import create_broker
from app.realtime.hub import Hub
from app.realtime.presence import MemoryPresence, Presence, RedisPresence
from app.realtime.topics import TopicRegistry


def build_registry(settings: Settings, livestream_rooms: Rooms | None = None) -> TopicRegistry:
    """``livestream_rooms``: this node's live rooms, shared with its room driver (app.main);
    without it the rooms count in this process only."""
    registry = TopicRegistry()
    account_topics.register(registry)
    negotiation_topics.register(registry)
    matchmaking_topics.register(registry, settings)
    livestream_topics.register(registry, livestream_rooms or Rooms(MemoryAudience()))
    if settings.diagnostics_enabled:
        diagnostics.register(registry)
    return registry


def build_hub(
    settings: Settings,
    redis: Redis | None,
    sessionmaker: async_sessionmaker[AsyncSession],
    livestream_rooms: Rooms | None = None,
) -> Hub:
    node_id = uuid.uuid4().hex[:12]
    presence: Presence = (
        RedisPresence(redis, settings.redis_prefix, node_id) if redis is not None
        else MemoryPresence()
    )
    return Hub(
        broker=create_broker(redis, settings.redis_prefix),
        presence=presence,
        sessionmaker=sessionmaker,
        registry=build_registry(settings, livestream_rooms),
    )
