"""One event on many durable topics at once (a notification to every follower of a show):
numbered per topic like any other event, in a few statements whatever the number."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import TopicEvent
from app.realtime import log as topic_log
from app.realtime.topics import PENDING_EVENTS_KEY, PendingEvent, emit_to_many
from tests.negotiations.test_send_cost import statements, verbs


async def test_each_topic_gets_its_own_next_seq_and_the_event(db: AsyncSession) -> None:
    for text in ("one", "two"):
        await topic_log.append(db, topic="user:many-1", event="notification",
                               payload={"text": text}, sender_user_id=None, client_msg_id=None)
    seqs = await topic_log.append_to_many(
        db, ["user:many-2", "user:many-1", "user:many-3", "user:many-2"], "notification",
        {"kind": "livestream.live"},
    )
    await db.commit()

    assert seqs == {"user:many-1": 3, "user:many-2": 1, "user:many-3": 1}  # twice named: once
    for topic, seq in seqs.items():
        stored = await topic_log.history(db, topic, after_seq=0, limit=10)
        assert stored[-1].seq == seq
        assert stored[-1].event == "notification"
        assert stored[-1].payload == {"kind": "livestream.live"}
        assert stored[-1].sender_user_id is None
    assert await topic_log.last_seq(db, "user:many-1") == 3
    # The next single event continues the numbering.
    after, _ = await topic_log.append(db, topic="user:many-3", event="notification",
                                      payload={}, sender_user_id=None, client_msg_id=None)
    assert after.seq == 2


async def test_many_topics_cost_two_statements_per_chunk(
    db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(topic_log, "MANY_TOPICS_PER_STATEMENT", 2)
    topics = [f"user:chunk-{n}" for n in range(5)]
    engine = db.bind
    with statements(engine) as seen:  # type: ignore[arg-type]
        seqs = await topic_log.append_to_many(db, topics, "notification", {})
    await db.commit()

    # (The app's background drivers share the engine: only this work's statements count.)
    assert [v for v in verbs(seen) if "topic_" in v] == [
        "INSERT topic_sequences", "INSERT topic_events"] * 3
    assert seqs == dict.fromkeys(topics, 1)
    assert len(await topic_log.history(db, "user:chunk-4", after_seq=0, limit=10)) == 1


async def test_emit_to_many_publishes_each_topic_after_commit_with_its_seq(
    db: AsyncSession,
) -> None:
    await emit_to_many(db, topics=[], event="notification", data={})
    assert db.info.get(PENDING_EVENTS_KEY, []) == []  # no one: nothing written or sent

    await emit_to_many(db, topics=["user:pub-2", "user:pub-1"], event="notification",
                       data={"kind": "x"})
    pending: list[PendingEvent] = db.info[PENDING_EVENTS_KEY]
    assert sorted((p.topic, p.seq) for p in pending) == [("user:pub-1", 1), ("user:pub-2", 1)]
    assert all(p.event == "notification" and p.data == {"kind": "x"} for p in pending)
    # Written by Core statements: no ORM object is kept for each of thousands of rows.
    assert not [o for o in db.identity_map.values() if isinstance(o, TopicEvent)]
