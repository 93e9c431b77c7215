"""Engine and session handling for SQLite (embedded) and PostgreSQL (scale-out)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry
from starlette.requests import HTTPConnection

SQLITE_BUSY_TIMEOUT_MS = 5000
# The pool (SQLAlchemy's defaults, named because realtime admission is sized from them:
# app/realtime/admission.py). pool_pre_ping stays on: one empty round trip per checkout
# buys a transparent reconnect after a PostgreSQL restart or failover, instead of one
# failed request per stale pooled connection.
POOL_SIZE = 5
POOL_MAX_OVERFLOW = 10


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _configure_sqlite_connection(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers proceed while one writer commits; foreign keys are off by default in
    # SQLite; the busy timeout turns brief write contention into a wait instead of an error.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
        return engine
    kwargs.setdefault("pool_size", POOL_SIZE)
    kwargs.setdefault("max_overflow", POOL_MAX_OVERFLOW)
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after the request's commit while the
    # response is serialised (no lazy reloads, which async sessions cannot do implicitly).
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def run_after_commit(state: Any, session: AsyncSession) -> None:
    """What must follow a unit of work's commit, and only once it is durable: publishing the
    realtime events it recorded, invalidating cached search answers (``app.state.after_commit``,
    set by the app's lifespan). Every unit of work runs it: requests and WebSocket actions."""
    for hook in getattr(state, "after_commit", ()):
        await hook(session)


async def session_scope(conn: HTTPConnection) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: commit once at the end, or roll back on any error.

    Used with ``Depends(..., scope="function")`` so the commit happens *before* the response
    is sent: a failed commit becomes an error response, never a 200 for unwritten data.
    Application code only flushes.
    """
    sessionmaker: async_sessionmaker[AsyncSession] = conn.app.state.sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()
            await run_after_commit(conn.app.state, session)
