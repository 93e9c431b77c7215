"""Starting a show with many followers: the transaction that writes their notifications.

    .venv/bin/python -m bench.notify.run                         # 100, 1,000, 10,000 followers
    .venv/bin/python -m bench.notify.run --followers 10 --repeats 1   # a quick check

A fresh database (`--database-url`, PostgreSQL by default; dropped at the end), migrated to
head. For each follower count and each repeat, both ways of writing one durable
``notification`` per follower run in their own transaction, alternately, on the same
topics (so both continue real sequences):

- ``per_row``: the way before (stop 11): ``topics.emit`` once per follower, an upsert of
  the topic's sequence and an insert of the event each, 2 statements per follower;
- ``bulk``: ``app.outbox.notify.notify_users``, which now writes them with
  ``topics.emit_to_many``: 2 statements per 500 followers.

Measured per transaction: wall time from the first statement to the end of COMMIT (the
time the followers' sequence rows stay locked, so also how long any other notification to
one of them waits), and the statements sent. Medians over `--repeats`. Publishing after the
commit is not included (the hub does it outside the transaction either way).
Prints a Markdown table; writes JSON (`--out`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.db import create_engine, create_sessionmaker
from app.models import TopicEvent
from app.outbox.notify import notify_users
from app.realtime.topics import emit
from bench.negotiation.seed import fresh_database
from bench.ws.run import conditions

DEFAULT_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/tradehall_bench_notify"
PAYLOAD = {"kind": "livestream.live", "livestream_id": 1, "event_id": 1, "booth_id": 1,
           "title": "Fuqing seafood live", "title_zh": "福清海鲜直播"}

Contacts = Sequence[tuple[int, str]]


async def per_row(session: AsyncSession, contacts: Contacts) -> None:
    """The baseline: one durable event per follower, as notify_users did before."""
    for user_id, _ in contacts:
        await emit(session, topic=f"user:{user_id}", event="notification", data=PAYLOAD,
                   durable=True)


async def bulk(session: AsyncSession, contacts: Contacts) -> None:
    await notify_users(session, contacts, PAYLOAD)


WAYS: dict[str, Callable[[AsyncSession, Contacts], Awaitable[None]]] = {
    "per_row": per_row, "bulk": bulk,
}


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[int]]:
    count = [0]

    def record(*_: Any) -> None:
        count[0] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield count
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def one_transaction(
    engine: AsyncEngine, way: str, contacts: Contacts
) -> tuple[float, int]:
    """(seconds from the first statement to the end of COMMIT, statements)."""
    sessions = create_sessionmaker(engine)
    async with sessions() as session:
        await session.connection()  # the pool's checkout is not the notification's cost
        with counted(engine) as count:
            started = time.perf_counter()
            await WAYS[way](session, contacts)
            await session.commit()
            elapsed = time.perf_counter() - started
    return elapsed, count[0]


async def events_stored(engine: AsyncEngine) -> int:
    async with create_sessionmaker(engine)() as session:
        return int(await session.scalar(select(func.count()).select_from(TopicEvent)) or 0)


async def measure(url: str, followers: list[int], repeats: int) -> list[dict[str, Any]]:
    engine = create_engine(url)
    rows = []
    try:
        for size in followers:
            contacts = [(n, f"follower{n}@example.com") for n in range(1, size + 1)]
            timings: dict[str, list[float]] = {way: [] for way in WAYS}
            statements: dict[str, int] = {}
            before = await events_stored(engine)
            for repeat in range(repeats):
                # Alternate which goes first, so neither always meets a warmer cache.
                order = list(WAYS) if repeat % 2 == 0 else list(reversed(WAYS))
                for way in order:
                    seconds, statements[way] = await one_transaction(engine, way, contacts)
                    timings[way].append(seconds)
            rows.append({
                "followers": size,
                "repeats": repeats,
                **{f"{way}_median_ms": round(statistics.median(t) * 1000, 2)
                   for way, t in timings.items()},
                **{f"{way}_statements": statements[way] for way in WAYS},
                # Checked, not assumed: one stored event per follower per transaction.
                "events_written": await events_stored(engine) - before,
                "speedup": round(statistics.median(timings["per_row"])
                                 / statistics.median(timings["bulk"]), 1),
            })
    finally:
        await engine.dispose()
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| followers | per row: median | statements | bulk: median | statements | ratio |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['followers']:,} | {r['per_row_median_ms']:,} ms | {r['per_row_statements']:,} "
        f"| {r['bulk_median_ms']:,} ms | {r['bulk_statements']:,} | {r['speedup']}× |"
        for r in rows
    ]
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> None:
    followers = [int(n) for n in args.followers.split(",")]
    async with fresh_database(args.database_url) as url:
        rows = await measure(url, followers, args.repeats)
    print(table(rows))  # noqa: T201 - the benchmark's report
    if args.out:
        Path(args.out).write_text(json.dumps(
            {"conditions": conditions(), "database": args.database_url.split("://")[0],
             "rows": rows}, indent=2))


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--followers", default="100,1000,10000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", default="")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
