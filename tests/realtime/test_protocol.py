"""The /ws protocol, against a real server, on the in-process broker and on Redis."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from sqlalchemy import func, select
from websockets.exceptions import ConnectionClosed, InvalidStatus

from app.db import create_engine, create_sessionmaker
from app.models import TopicEvent
from tests.realtime.conftest import Client, LiveServer, new_user, ws_connect


async def test_join_and_publish_round_trip(live: LiveServer, http: httpx.AsyncClient) -> None:
    token = await new_user(http)
    async with ws_connect(live, token) as ws:
        c = Client(ws)
        joined, _ = await c.request("join", "diag:room1")
        assert joined["type"] == "joined"
        assert joined["payload"]["last_seq"] == 0
        reply, before = await c.request("publish", "diag:room1", text="hello")
        events = [f for f in before if f["type"] == "event"]
        if not events:
            events = await c.events("diag:room1", 1)
        assert reply["type"] == "reply"
        assert reply["payload"] == {"seq": 1}
        assert events[0]["payload"]["seq"] == 1
        assert events[0]["payload"]["event"] == "message"
        assert events[0]["payload"]["data"]["text"] == "hello"


async def test_ping_gets_pong(live: LiveServer, http: httpx.AsyncClient) -> None:
    token = await new_user(http)
    async with ws_connect(live, token) as ws:
        reply, _ = await Client(ws).request("ping")
        assert reply == {"type": "reply", "topic": None, "ref": "1", "payload": {"pong": True}}


async def test_join_of_someone_elses_topic_is_refused(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    token = await new_user(http)
    other_token = await new_user(http)
    me = (await http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).json()
    other = (await http.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {other_token}"}
    )).json()
    async with ws_connect(live, token) as ws:
        c = Client(ws)
        refused, _ = await c.request("join", f"user:{other['user']['id']}")
        assert refused["type"] == "error"
        assert refused["payload"]["code"] == "topic_not_found"
        allowed, _ = await c.request("join", f"user:{me['user']['id']}")
        assert allowed["type"] == "joined"
        unknown, _ = await c.request("join", "nosuchthing:1")
        assert unknown["payload"]["code"] == "topic_not_found"
        # Acting on a topic one has not joined is refused too.
        action, _ = await c.request("publish", "diag:x", text="hi")
        assert action["payload"]["code"] == "not_joined"


async def test_malformed_frames_get_stable_error_codes(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    token = await new_user(http)
    async with ws_connect(live, token) as ws:
        c = Client(ws)
        await ws.send("not json")
        assert (await c.recv())["payload"]["code"] == "invalid_frame"
        await ws.send(json.dumps({"type": "join", "topic": "Bad Topic!", "ref": "9"}))
        bad_topic = await c.recv()
        assert bad_topic["payload"]["code"] == "invalid_topic"
        assert bad_topic["ref"] == "9"
        await c.request("join", "diag:t")
        bad_text, _ = await c.request("publish", "diag:t", text="")
        assert bad_text["payload"]["code"] == "invalid_text"
        nope, _ = await c.request("explode", "diag:t")
        assert nope["payload"]["code"] == "unknown_action"


async def test_foreign_origin_is_refused_before_accept(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    token = await new_user(http)
    with pytest.raises(InvalidStatus) as refused:
        async with ws_connect(live, token, origin="https://evil.example"):
            pass
    assert refused.value.response.status_code == 403
    async with ws_connect(live, token, origin="http://testserver") as ws:  # an allowed origin
        assert (await Client(ws).request("ping"))[0]["payload"] == {"pong": True}


async def test_no_or_bad_credentials_are_refused(live: LiveServer) -> None:
    for token in (None, "th_not-a-real-token"):
        with pytest.raises(InvalidStatus) as refused:
            async with ws_connect(live, token):
                pass
        assert refused.value.response.status_code == 403


async def test_oversize_frame_closes_with_1009(live: LiveServer, http: httpx.AsyncClient) -> None:
    token = await new_user(http)
    async with ws_connect(live, token, max_size=None) as ws:
        await ws.send("x" * (live.settings.realtime_max_frame_bytes + 1))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), timeout=10)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009


async def test_flood_is_rate_limited_then_closed(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    token = await new_user(http)
    limits = live.settings
    async with ws_connect(live, token) as ws:
        c = Client(ws)
        total = limits.realtime_rate_burst + limits.realtime_max_strikes + 10
        codes: list[str] = []

        async def flood_and_read() -> None:
            for _ in range(total):
                await c.send("ping")
            while True:
                f = await c.recv()
                if f["type"] == "error":
                    codes.append(f["payload"]["code"])

        with pytest.raises(ConnectionClosed) as closed:
            await flood_and_read()
        assert "rate_limited" in codes
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1008


async def test_replay_after_reconnect_delivers_exactly_the_missed_events_in_order(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    reader_token = await new_user(http)
    writer_token = await new_user(http)
    topic = "diag:replay"
    async with ws_connect(live, writer_token) as writer_ws:
        writer = Client(writer_ws)
        await writer.request("join", topic)
        async with ws_connect(live, reader_token) as reader_ws:
            reader = Client(reader_ws)
            await reader.request("join", topic)
            for i in range(3):
                await writer.request("publish", topic, text=f"before {i}")
            seen = await reader.events(topic, 3)
            last_seq = seen[-1]["payload"]["seq"]
            assert [e["payload"]["seq"] for e in seen] == [1, 2, 3]
        # The reader is away while five more events are stored.
        for i in range(5):
            await writer.request("publish", topic, text=f"missed {i}")
        async with ws_connect(live, reader_token) as reader_ws:
            reader = Client(reader_ws)
            ref = await reader.send("join", topic, last_seq=last_seq)
            joined, _ = await reader.recv_until(lambda f: f.get("ref") == ref)
            assert joined["payload"]["reset"] is False
            replayed = await reader.events(topic, 5)
            assert [e["payload"]["seq"] for e in replayed] == [4, 5, 6, 7, 8]
            assert [e["payload"]["data"]["text"] for e in replayed] == [
                f"missed {i}" for i in range(5)
            ]
            # Live events follow without a gap or a duplicate.
            await writer.request("publish", topic, text="live")
            live_event = (await reader.events(topic, 1))[0]
            assert live_event["payload"]["seq"] == 9


async def test_join_while_events_flow_has_no_gap_and_no_duplicate(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    writer_token = await new_user(http)
    reader_token = await new_user(http)
    topic = "diag:switchover"
    async with ws_connect(live, writer_token) as writer_ws:
        writer = Client(writer_ws)
        await writer.request("join", topic)
        for i in range(20):
            await writer.request("publish", topic, text=f"m{i}")

        async def keep_publishing() -> None:
            for i in range(20, 60):
                await writer.request("publish", topic, text=f"m{i}")

        async with ws_connect(live, reader_token) as reader_ws:
            reader = Client(reader_ws)
            publishing = asyncio.create_task(keep_publishing())
            await reader.send("join", topic, last_seq=5)
            events = await reader.events(topic, 55)
            await publishing
        assert [e["payload"]["seq"] for e in events] == list(range(6, 61))


async def test_retried_client_msg_id_is_stored_once(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    token = await new_user(http)
    topic = "diag:dedupe"
    async with ws_connect(live, token) as ws:
        c = Client(ws)
        await c.request("join", topic)
        first, _ = await c.request("publish", topic, text="once", client_msg_id="abc-1")
        retry, _ = await c.request("publish", topic, text="once", client_msg_id="abc-1")
        assert first["payload"]["seq"] == retry["payload"]["seq"] == 1
        # Two concurrent retries from a second socket of the same user: still one row.
        async with ws_connect(live, token) as ws2:
            c2 = Client(ws2)
            await c2.request("join", topic)
            replies = await asyncio.gather(
                c.request("publish", topic, text="twice", client_msg_id="abc-2"),
                c2.request("publish", topic, text="twice", client_msg_id="abc-2"),
            )
            assert {r[0]["payload"]["seq"] for r in replies} == {2}
    engine = create_engine(live.settings.effective_database_url)
    try:
        async with create_sessionmaker(engine)() as db:
            count = await db.scalar(
                select(func.count()).select_from(TopicEvent).where(TopicEvent.topic == topic)
            )
    finally:
        await engine.dispose()
    assert count == 2


async def test_last_seq_older_than_retention_gets_explicit_reset(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    from datetime import timedelta

    from app.models.base import utcnow
    from app.realtime import log as topic_log

    token = await new_user(http)
    topic = "diag:retention"
    async with ws_connect(live, token) as ws:
        c = Client(ws)
        await c.request("join", topic)
        for i in range(4):
            await c.request("publish", topic, text=f"old {i}")
    engine = create_engine(live.settings.effective_database_url)
    try:
        async with create_sessionmaker(engine)() as db:
            # Everything so far falls out of retention; one newer event remains.
            await topic_log.prune(db, utcnow() + timedelta(seconds=1))
            await db.commit()
    finally:
        await engine.dispose()
    async with ws_connect(live, token) as ws:
        c = Client(ws)
        await c.request("join", topic)
        await c.request("publish", topic, text="new")
    async with ws_connect(live, token) as ws:
        c = Client(ws)
        joined, _ = await c.request("join", topic, last_seq=1)
        assert joined["payload"]["reset"] is True
        assert joined["payload"]["replay_from"] == 4
        replayed = await c.events(topic, 1)
        assert replayed[0]["payload"]["seq"] == 5


async def test_presence_lists_users_and_broadcasts_diffs(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    alice = await new_user(http)
    bob = await new_user(http)
    topic = "pulse:lobby"
    async with ws_connect(live, alice) as a_ws:
        a = Client(a_ws)
        joined, _ = await a.request("join", topic)
        assert len(joined["payload"]["presence"]) == 1
        async with ws_connect(live, bob) as b_ws:
            b = Client(b_ws)
            b_joined, _ = await b.request("join", topic)
            assert len(b_joined["payload"]["presence"]) == 2
            diff, _ = await a.recv_until(
                lambda f: f["type"] == "presence" and bool(f["payload"]["joins"])
            )
            bob_id = diff["payload"]["joins"][0]["user_id"]
            # A second tab of the same user is not a new presence.
            async with ws_connect(live, bob) as b2_ws:
                await Client(b2_ws).request("join", topic)
            await b.request("leave", topic)
        left, _ = await a.recv_until(
            lambda f: f["type"] == "presence" and bool(f["payload"]["leaves"])
        )
        assert left["payload"]["leaves"][0]["user_id"] == bob_id


async def test_ephemeral_topic_events_are_not_stored(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    token = await new_user(http)
    async with ws_connect(live, token) as ws:
        c = Client(ws)
        await c.request("join", "pulse:e")
        reply, before = await c.request("publish", "pulse:e", text="typing")
        assert reply["payload"] == {"ok": True}
        # The event may arrive before or after the reply (the broker decides).
        event = next((f for f in before if f["type"] == "event"), None) or (
            await c.events("pulse:e", 1)
        )[0]
        assert "seq" not in event["payload"]
    engine = create_engine(live.settings.effective_database_url)
    try:
        async with create_sessionmaker(engine)() as db:
            assert await db.scalar(select(func.count()).select_from(TopicEvent)) == 0
    finally:
        await engine.dispose()
