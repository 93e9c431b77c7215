"""Coalescing topics: the first frame after a quiet window goes at once, the next ones within
the window go together as one ``batch`` frame, in order — from the broker (one node, or two
nodes on one Redis) and from ``deliver_local`` alike."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from redis.asyncio import Redis

from app.realtime.broker import create_broker
from app.realtime.hub import Hub
from app.realtime.presence import MemoryPresence
from app.realtime.protocol import event_frame
from app.realtime.topics import TopicRegistry
from tests.databases import redis_server_url

TOPIC = "pulse:room"
LONG = 30.0  # a window that never ends during a test: what it holds is released on purpose


class Recorder:
    """Stands in for a connection: keeps each frame the hub hands it, decoded."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []

    def deliver(self, _topic: str, seq: int, text: str) -> None:
        assert seq == 0
        self.frames.append(json.loads(text))


def texts(f: dict[str, Any]) -> list[str]:
    """The texts a delivered frame carries: one for an event, each inner one for a batch."""
    inner = f["frames"] if f["type"] == "batch" else [f]
    return [i["payload"]["data"]["text"] for i in inner]


async def until(condition: Callable[[], bool]) -> None:
    """Let other tasks (the Redis reader, the loop's timers) run until ``condition()`` holds."""
    async with asyncio.timeout(10):
        while not condition():
            await asyncio.sleep(0.005)


class Nodes:
    """Where frames are published (``sender``) and the node whose subscribers get them
    (``receiver``): the same hub in memory, two hubs on one Redis otherwise."""

    def __init__(self, sender: Hub, receiver: Hub) -> None:
        self.sender = sender
        self.receiver = receiver

    async def publish(self, text: str) -> None:
        await self.sender.publish_frame(TOPIC, text)

    async def join(self, window: float | None = LONG) -> Recorder:
        recorder = Recorder()
        await self.receiver.subscribe(TOPIC, recorder, durable=False,  # type: ignore[arg-type]
                                      coalesce_seconds=window)
        return recorder

    def held(self) -> int:
        return len(self.receiver.channels[TOPIC].held)


def frame_of(text: str) -> str:
    return event_frame(TOPIC, "message", {"text": text}, None)


def new_hub(redis: Redis | None, prefix: str) -> Hub:
    return Hub(create_broker(redis, prefix), MemoryPresence(),
               None,  # type: ignore[arg-type] # no durable topic here: no database
               TopicRegistry())


@pytest.fixture(params=["memory", "redis"])
async def nodes(request: pytest.FixtureRequest) -> AsyncIterator[Nodes]:
    if request.param == "memory":
        hub = new_hub(None, "")
        await hub.start()
        try:
            yield Nodes(hub, hub)
        finally:
            await hub.stop()
        return
    redis = Redis.from_url(redis_server_url())
    prefix = f"tradehall-test-{uuid.uuid4().hex[:8]}:"
    a, b = new_hub(redis, prefix), new_hub(redis, prefix)
    await a.start()
    await b.start()
    try:
        yield Nodes(a, b)
    finally:
        await a.stop()
        await b.stop()
        await redis.aclose()


async def test_frames_within_the_window_arrive_as_one_batch_in_order(nodes: Nodes) -> None:
    viewer = await nodes.join()
    await nodes.publish(frame_of("m1"))
    await until(lambda: len(viewer.frames) == 1)
    assert viewer.frames[0]["type"] == "event"  # the first one went at once, alone
    for text in ("m2", "m3", "m4"):
        await nodes.publish(frame_of(text))
    await until(lambda: nodes.held() == 3)
    assert len(viewer.frames) == 1  # held for the window

    nodes.receiver.flush_held(TOPIC)
    assert len(viewer.frames) == 2
    batch = viewer.frames[1]
    assert batch["type"] == "batch"
    assert batch["topic"] == TOPIC
    assert [f["type"] for f in batch["frames"]] == ["event"] * 3
    assert texts(batch) == ["m2", "m3", "m4"]


async def test_the_window_ends_by_itself_and_a_lone_frame_after_it_goes_at_once(
    nodes: Nodes,
) -> None:
    viewer = await nodes.join(window=0.05)
    await nodes.publish(frame_of("m1"))
    await nodes.publish(frame_of("m2"))
    await nodes.publish(frame_of("m3"))
    # Whatever the timing, everything arrives, in order, without a flush from anyone.
    await until(lambda: sum(len(texts(f)) for f in viewer.frames) == 3)
    assert [t for f in viewer.frames for t in texts(f)] == ["m1", "m2", "m3"]

    channel = nodes.receiver.channels[TOPIC]
    await until(lambda: channel.window is None)  # a window passed with nothing in it
    delivered = len(viewer.frames)
    await nodes.publish(frame_of("alone"))
    await until(lambda: len(viewer.frames) == delivered + 1)
    assert viewer.frames[-1]["type"] == "event"
    assert texts(viewer.frames[-1]) == ["alone"]


async def test_local_frames_coalesce_in_order_with_broker_frames(nodes: Nodes) -> None:
    viewer = await nodes.join()
    other = await nodes.join()
    hub = nodes.receiver
    assert hub.deliver_local(TOPIC, frame_of("local 1")) == 2  # went at once
    await nodes.publish(frame_of("broker 2"))
    await until(lambda: nodes.held() == 1)
    hub.deliver_local(TOPIC, frame_of("local 3"))
    await nodes.publish(frame_of("broker 4"))
    await until(lambda: nodes.held() == 3)

    hub.flush_held(TOPIC)
    for recorder in (viewer, other):
        assert [f["type"] for f in recorder.frames] == ["event", "batch"]
        assert texts(recorder.frames[1]) == ["broker 2", "local 3", "broker 4"]
    # One text for everyone: the batch was encoded once.
    assert viewer.frames == other.frames


async def test_a_frame_for_some_subscribers_only_goes_after_what_was_held(nodes: Nodes) -> None:
    viewer = await nodes.join()
    await nodes.publish(frame_of("m1"))
    await until(lambda: len(viewer.frames) == 1)
    await nodes.publish(frame_of("m2"))
    await until(lambda: nodes.held() == 1)

    sent = nodes.receiver.deliver_local(TOPIC, frame_of("only you"), lambda _conn: True)
    assert sent == 1
    assert [texts(f) for f in viewer.frames] == [["m1"], ["m2"], ["only you"]]


async def test_the_last_unsubscribe_cancels_the_pending_flush(nodes: Nodes) -> None:
    viewer = await nodes.join()
    await nodes.publish(frame_of("m1"))
    await until(lambda: len(viewer.frames) == 1)
    await nodes.publish(frame_of("m2"))
    await until(lambda: nodes.held() == 1)
    window = nodes.receiver.channels[TOPIC].window
    assert window is not None

    await nodes.receiver.unsubscribe(TOPIC, viewer)  # type: ignore[arg-type]
    assert window.cancelled()
    assert TOPIC not in nodes.receiver.channels
    assert len(viewer.frames) == 1  # what was held is dropped with the topic


async def test_topics_that_do_not_coalesce_deliver_every_frame_alone(nodes: Nodes) -> None:
    viewer = await nodes.join(window=None)
    for text in ("m1", "m2", "m3"):
        await nodes.publish(frame_of(text))
    await until(lambda: len(viewer.frames) == 3)
    assert [f["type"] for f in viewer.frames] == ["event"] * 3
