"""The durable topic log: every event of a durable topic, numbered per topic.

An event is written (and committed with the change that caused it) before it is published
or acknowledged; a client that rejoins with ``last_seq`` is replayed from here.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.kit.dialect_insert import insert_for
from app.models import TopicEvent, TopicSequence
from app.models.base import utcnow

# Topics per statement when one event goes to many topics: 500 rows bind at most 3,500
# values, far below the bound-parameter limits of SQLite and asyncpg (32,766 / 32,767).
MANY_TOPICS_PER_STATEMENT = 500


async def find_by_client_msg_id(
    session: AsyncSession, topic: str, sender_user_id: int | None, client_msg_id: str
) -> TopicEvent | None:
    return await session.scalar(
        select(TopicEvent).where(
            TopicEvent.topic == topic,
            TopicEvent.sender_user_id == sender_user_id,
            TopicEvent.client_msg_id == client_msg_id,
        )
    )


async def _next_seq(session: AsyncSession, topic: str) -> int:
    # One upsert, not an insert-if-missing and an increment: a statement per event less.
    # The conflicting row is locked until commit, so a topic's events are numbered in order.
    insert = insert_for(session)
    stmt = insert(TopicSequence).values(topic=topic, last_seq=1)
    seq = await session.scalar(
        stmt.on_conflict_do_update(
            index_elements=[TopicSequence.topic],
            set_={"last_seq": TopicSequence.last_seq + 1},
        ).returning(TopicSequence.last_seq)
    )
    if seq is None:  # impossible: an upsert with RETURNING always returns its row
        raise RuntimeError(f"no sequence row for topic {topic!r}")
    return int(seq)


async def append(
    session: AsyncSession,
    *,
    topic: str,
    event: str,
    payload: dict[str, Any],
    sender_user_id: int | None,
    client_msg_id: str | None,
    deduplicated: bool = False,
) -> tuple[TopicEvent, bool]:
    """Store an event with the topic's next seq. Returns (event, created).

    A retry with a client_msg_id already stored returns the stored event (created=False).
    Two retries racing each other both pass the lookup; the unique index then refuses the
    second insert, and the caller resolves it with ``find_by_client_msg_id`` after rollback.
    ``deduplicated``: the caller has already found this client_msg_id new under a lock (a
    chat message, under its negotiation's row lock), so the lookup is skipped; the unique
    index still refuses a duplicate.
    """
    if client_msg_id is not None and not deduplicated:
        existing = await find_by_client_msg_id(session, topic, sender_user_id, client_msg_id)
        if existing is not None:
            return existing, False
    stored = TopicEvent(
        topic=topic,
        seq=await _next_seq(session, topic),
        event=event,
        payload=payload,
        sender_user_id=sender_user_id,
        client_msg_id=client_msg_id,
    )
    session.add(stored)
    await session.flush()
    return stored, True


async def _next_seqs(session: AsyncSession, topics: list[str]) -> dict[str, int]:
    """The next seq of each topic, in one upsert. Rows are locked in the order given, so
    callers pass topics sorted: two such calls then wait for each other, never deadlock."""
    insert = insert_for(session)
    stmt = insert(TopicSequence).on_conflict_do_update(
        index_elements=[TopicSequence.topic],
        set_={"last_seq": TopicSequence.last_seq + 1},
    ).returning(TopicSequence.topic, TopicSequence.last_seq)
    # Executed with a list of parameters, not .values([...]): SQLAlchemy compiles the
    # one-row statement once (cached) and sends the rows as one multi-row statement; a
    # 500-row .values() would be compiled afresh each time, which cost more than the SQL.
    rows = await session.execute(stmt, [{"topic": t, "last_seq": 1} for t in topics])
    return {str(topic): int(seq) for topic, seq in rows}


async def append_to_many(
    session: AsyncSession, topics: Collection[str], event: str, payload: dict[str, Any]
) -> dict[str, int]:
    """Store one event on each of many topics (one notification for each follower of a
    show); returns each topic's new seq.

    Two statements per ``MANY_TOPICS_PER_STATEMENT`` topics, not two per topic: a show with
    thousands of followers starts in one short transaction, and the sequence rows it locks
    are held for milliseconds, not seconds. No client_msg_id: these are the server's own.
    """
    ordered = sorted(set(topics))
    seqs: dict[str, int] = {}
    now = utcnow()
    insert = insert_for(session)
    for start in range(0, len(ordered), MANY_TOPICS_PER_STATEMENT):
        chunk = ordered[start:start + MANY_TOPICS_PER_STATEMENT]
        chunk_seqs = await _next_seqs(session, chunk)
        await session.execute(insert(TopicEvent.__table__), [
            {"topic": topic, "seq": chunk_seqs[topic], "event": event, "payload": payload,
             "sender_user_id": None, "client_msg_id": None, "created_at": now}
            for topic in chunk
        ])
        seqs.update(chunk_seqs)
    return seqs


async def history(
    session: AsyncSession, topic: str, after_seq: int, limit: int, before_seq: int | None = None
) -> list[TopicEvent]:
    query = (
        select(TopicEvent)
        .where(TopicEvent.topic == topic, TopicEvent.seq > after_seq)
        .order_by(TopicEvent.seq)
        .limit(limit)
    )
    if before_seq is not None:
        query = query.where(TopicEvent.seq < before_seq)
    return list(await session.scalars(query))


async def last_seq(session: AsyncSession, topic: str) -> int:
    value = await session.scalar(
        select(TopicSequence.last_seq).where(TopicSequence.topic == topic)
    )
    return int(value or 0)


async def first_retained_seq(session: AsyncSession, topic: str) -> int | None:
    value = await session.scalar(select(func.min(TopicEvent.seq)).where(TopicEvent.topic == topic))
    return None if value is None else int(value)


async def prune(session: AsyncSession, older_than: datetime) -> int:
    """Drop events past retention. Sequence counters stay, so numbers are never reused."""
    result = await session.execute(delete(TopicEvent).where(TopicEvent.created_at < older_than))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
