"""create_app(): the one place where the API, pages, realtime and static files are mounted."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from redis.asyncio import Redis

from app import PROJECT_ROOT
from app.analytics import service as analytics
from app.api import health
from app.api.router import include_api
from app.config import Settings
from app.db import create_engine, create_sessionmaker
from app.error_handlers import install_error_handlers
from app.kit.ratelimit import Counter, MemoryCounter, RedisCounter
from app.livestreams.room import Rooms
from app.livestreams.room_driver import RoomDriver
from app.logging import configure_logging
from app.matchmaking import live as matchmaking_live
from app.matchmaking.jobs import JobRunner
from app.matchmaking.live_driver import LiveDriver
from app.middleware import RequestContextMiddleware, SecurityHeadersMiddleware
from app.realtime import endpoint as realtime_endpoint
from app.realtime.audience import create_audience
from app.realtime.setup import build_hub
from app.search.cache import create_search_cache
from app.web import exhibition_pages, pages, realtime_pages

STATIC_DIR = PROJECT_ROOT / "frontend" / "static"


def _freeze_startup_objects() -> None:
    """Exempt what startup built (modules, models, schemas, translations) from garbage
    collection scans.

    Those ~200,000 objects live as long as the process, yet every full collection walks
    them all: ~90 ms here, a stall that every in-flight request waits out. Measured on
    cached searches (docs/benchmarks.md): p99 ≈ 6 × p50 before, because each request
    allocates enough to trigger full collections regularly. (No collection first: freezing
    is instant, and startup leaves little garbage.)
    """
    gc.freeze()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.effective_database_url)
        redis: Redis | None = (
            Redis.from_url(settings.redis_url) if settings.redis_url else None
        )
        counter: Counter = (
            RedisCounter(redis, settings.redis_prefix) if redis is not None else MemoryCounter()
        )
        sessionmaker = create_sessionmaker(engine)
        # Live rooms: likes and viewers counted on this node, written by its room driver.
        livestream_rooms = Rooms(create_audience(redis, settings.redis_prefix))
        hub = build_hub(settings, redis, sessionmaker, livestream_rooms)
        search_cache = create_search_cache(
            redis, settings.redis_prefix, max_entries=settings.search_cache_entries,
            ttl_seconds=settings.search_cache_ttl_seconds,
        )
        app.state.engine = engine
        app.state.sessionmaker = sessionmaker
        app.state.redis = redis
        app.state.counter = counter
        app.state.hub = hub
        app.state.search_cache = search_cache
        # Run by the request's unit of work after it commits (app.db.session_scope).
        # Matchmaking scheduling jobs start after the commit that queued them.
        schedule_jobs = JobRunner(app.state, settings)
        app.state.matchmaking_jobs = schedule_jobs
        app.state.after_commit = (hub.publish_pending, search_cache.after_commit,
                                  schedule_jobs.after_commit)
        await hub.start()
        await analytics.start(app.state)
        await schedule_jobs.start()
        # The live matchmaking day's slot clock and sweeps, on every node.
        live_driver = LiveDriver(app.state, matchmaking_live.Policy.from_settings(settings),
                                 settings.matchmaking_live_poll_seconds)
        app.state.matchmaking_live = live_driver
        await live_driver.start()
        room_driver = RoomDriver(hub, sessionmaker, livestream_rooms,
                                 settings.livestream_stats_seconds)
        app.state.livestream_room_driver = room_driver
        await room_driver.start()
        _freeze_startup_objects()
        try:
            yield
        finally:
            gc.unfreeze()  # what was frozen becomes collectable again (tests start many apps)
            await room_driver.stop()  # writes the likes clicked since its last tick
            await live_driver.stop()
            await schedule_jobs.stop()  # a job cut short is marked failed, safe to re-run
            await analytics.stop(app.state)  # flushes queued activity records
            await hub.stop()
            if redis is not None:
                await redis.aclose()
            await engine.dispose()

    app = FastAPI(
        title="TradeHall API",
        version="0.1.0",
        description="Online B2B exhibition and trading platform. Errors are always "
        '`{"error": {"code", "message", "details"}}`.',
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(health.router)
    include_api(app)
    app.include_router(pages.router)
    app.include_router(exhibition_pages.router)
    app.include_router(realtime_pages.router)
    app.include_router(realtime_endpoint.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.cookies_secure)
    app.add_middleware(RequestContextMiddleware)
    return app
