"""The hub keeps each durable topic in order even when publishes arrive out of order."""

from __future__ import annotations

import asyncio
import json

from fastapi import FastAPI

from app.realtime import log as topic_log
from app.realtime.broker import MemoryBroker
from app.realtime.hub import Hub
from app.realtime.presence import MemoryPresence
from app.realtime.protocol import event_frame
from app.realtime.topics import TopicRegistry


class Recorder:
    """Stands in for a connection: records what the hub delivers."""

    def __init__(self, expected: int) -> None:
        self.seqs: list[int] = []
        self.texts: list[str] = []
        self.expected = expected
        self.complete = asyncio.Event()

    def deliver(self, _topic: str, seq: int, text: str) -> None:
        self.seqs.append(seq)
        self.texts.append(json.loads(text)["payload"]["data"]["text"])
        if len(self.seqs) >= self.expected:
            self.complete.set()


async def test_out_of_order_publishes_are_delivered_in_order_with_gaps_read_back(
    app: FastAPI,
) -> None:
    hub = Hub(MemoryBroker(), MemoryPresence(), app.state.sessionmaker, TopicRegistry())
    await hub.start()
    try:
        topic = "diag:ordering"
        recorder = Recorder(expected=4)
        await hub.subscribe(topic, recorder, durable=True)  # type: ignore[arg-type]
        async with app.state.sessionmaker() as db:
            for i in range(1, 5):
                await topic_log.append(db, topic=topic, event="message", payload={"text": f"m{i}"},
                                       sender_user_id=None, client_msg_id=None)
            await db.commit()

        def publish(seq: int) -> None:
            text = event_frame(topic, "message", {"text": f"m{seq}"}, seq)
            hub._on_message(topic, f"{seq}\n{text}")

        # Seq 3 arrives first (its writer published before 1's and 2's), then 2, 4, 1.
        publish(3)
        publish(2)
        publish(4)
        publish(1)
        # The gap is read back from the log by a background task.
        await asyncio.wait_for(recorder.complete.wait(), timeout=10)
        assert recorder.seqs == [1, 2, 3, 4]
        assert recorder.texts == ["m1", "m2", "m3", "m4"]
        publish(4)  # a duplicate is dropped
        assert recorder.seqs == [1, 2, 3, 4]
    finally:
        await hub.stop()
