"""What one chat message costs the database, counted: SQL statements per send.

Counts are exact, so a statement added to the hot path fails here and has to be argued
for (docs/benchmarks.md, "Negotiation chat"). BEGIN/COMMIT and the pool's pre-ping are not
cursor executions and are not counted.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.db import create_engine
from app.models import AuditEntry, Message, TopicEvent
from tests.conftest import wipe_database
from tests.factories import count_rows, create_negotiation
from tests.realtime.conftest import (
    Client,
    LiveServer,
    app_of,
    start_server,
    stop_server,
    ws_connect,
)


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def verbs(seen: list[str]) -> list[str]:
    """'SELECT negotiations', 'INSERT messages', ...: enough to read a regression."""
    out = []
    for sql in seen:
        words = sql.replace("(", " ").split()
        verb = words[0]
        table = words[words.index("FROM") + 1] if verb == "SELECT" else (
            words[2] if verb in ("INSERT", "DELETE") else words[1])
        out.append(f"{verb} {table}")
    return out


# One message to the other side (one member) with a client_msg_id, after authorization:
SEND = [
    "UPDATE negotiations",        # next seq: takes the row lock that serializes retries
    "SELECT messages",            # the client_msg_id lookup, under that lock
    "INSERT messages",
    "INSERT negotiation_read_states",  # the sender's org has read it (upsert ... RETURNING)
    "INSERT topic_sequences",     # negotiation topic: seq upsert ... RETURNING
    "INSERT topic_events",        # message.created (no second client_msg_id lookup)
    "SELECT users",               # the other side's members
    "INSERT topic_sequences",     # user:{id} notification, per member
    "INSERT topic_events",
]


async def test_an_http_message_costs_the_counted_statements(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    deal = await create_negotiation(client)
    with statements(app.state.engine) as seen:
        r = await client.post(f"/api/v1/negotiations/{deal.negotiation_id}/messages",
                              json={"body": "hello", "client_msg_id": "c1"},
                              headers=deal.buyer.headers)
    assert r.status_code == 201, r.text
    assert verbs(seen) == [
        "SELECT auth_tokens",     # the bearer token (with its user)
        "SELECT memberships",     # the principal's organization
        "SELECT negotiations",    # visible: one of the two parties
        *SEND,
    ], seen
    assert len(seen) == 12


@pytest.fixture
async def live(settings: Settings) -> AsyncIterator[LiveServer]:
    server, task, host = await start_server(settings)
    try:
        yield LiveServer(app_of(server), f"http://{host}", f"ws://{host}/ws", settings, server)
    finally:
        await stop_server(server, task)
        engine = create_engine(settings.effective_database_url)
        await wipe_database(engine)
        await engine.dispose()


async def test_a_websocket_message_costs_the_counted_statements(live: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live.base_url) as http:
        deal = await create_negotiation(http)
    topic = f"negotiation:{deal.negotiation_id}"
    async with ws_connect(live, deal.buyer.token) as ws:
        c = Client(ws)
        await c.request("join", topic)
        with statements(live.app.state.engine) as seen:
            reply, _ = await c.request("message.send", topic, body="hello", client_msg_id="w1")
        assert reply["type"] == "reply", reply
        # The principal was read at connect; the action re-checks membership with the
        # negotiation in one statement.
        assert verbs(seen) == ["SELECT negotiations", *SEND], seen
        assert len(seen) == 10

        retry, _ = await c.request("message.send", topic, body="hello", client_msg_id="w1")
        assert retry["payload"]["duplicate"] is True
        assert retry["payload"]["message"]["seq"] == reply["payload"]["message"]["seq"]
        after, _ = await c.request("message.send", topic, body="next", client_msg_id="w2")
        # The retry gave its seq back: no gap.
        assert after["payload"]["message"]["seq"] == reply["payload"]["message"]["seq"] + 1
    app = live.app
    assert await count_rows(app, Message, Message.client_msg_id == "w1") == 1
    assert await count_rows(app, TopicEvent, TopicEvent.client_msg_id == "w1") == 1


async def test_a_plain_message_is_not_audited_separately(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    deal = await create_negotiation(client)
    r = await client.post(f"/api/v1/negotiations/{deal.negotiation_id}/messages",
                          json={"body": "hello"}, headers=deal.supplier.headers)
    assert r.status_code == 201
    # The message row is the record: who (user and org), when, what.
    assert await count_rows(app, Message, Message.id == r.json()["id"]) == 1
    assert await count_rows(app, AuditEntry, AuditEntry.action == "message.posted") == 0


async def test_racing_retries_on_postgresql_store_one_message_and_one_event(
    pg_app: FastAPI, pg_client: httpx.AsyncClient
) -> None:
    # Separate requests, sessions and connections at once: the row lock taken with the seq
    # serializes them, the first stores, the rest find it and give their seq back.
    deal = await create_negotiation(pg_client)
    url = f"/api/v1/negotiations/{deal.negotiation_id}/messages"
    body = {"body": "Price?", "client_msg_id": "race-1"}
    responses = await asyncio.gather(*[
        pg_client.post(url, json=body, headers=deal.buyer.headers) for _ in range(12)
    ])
    assert sorted(r.status_code for r in responses) == [200] * 11 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert await count_rows(pg_app, Message, Message.client_msg_id == "race-1") == 1
    assert await count_rows(pg_app, TopicEvent, TopicEvent.client_msg_id == "race-1") == 1
    nxt = await pg_client.post(url, json={"body": "And?"}, headers=deal.buyer.headers)
    assert nxt.json()["seq"] == responses[0].json()["seq"] + 1
