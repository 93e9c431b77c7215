"""One chat line resent many times at once on PostgreSQL: separate requests, sessions and
connections (skipped without a PostgreSQL server, like every concurrency test)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.livestreams import repository
from app.models import LivestreamChatMessage
from tests.factories import count_rows
from tests.livestreams.helpers import EventLog, live_show_setup, send_chat
from tests.negotiations.conftest import pg_app, pg_client, postgres_url

__all__ = ["pg_app", "pg_client", "postgres_url"]

RETRIES = 10


async def test_ten_concurrent_sends_of_one_line_store_and_broadcast_it_once(
    pg_client: httpx.AsyncClient, pg_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = await live_show_setup(pg_client)
    # Every request reads the gate before any of them inserts, so that all ten race to the
    # INSERT: the unique index, not the gate, has to keep the line single.
    everyone_read_the_gate = asyncio.Barrier(RETRIES)
    real_gate, real_stored_line = repository.chat_gate, repository.stored_line
    lost_the_race = []

    async def gate(*args: Any) -> Any:
        found = await real_gate(*args)
        await everyone_read_the_gate.wait()
        return found

    async def stored_line(*args: Any) -> Any:
        lost_the_race.append(args)
        return await real_stored_line(*args)

    monkeypatch.setattr(repository, "chat_gate", gate)
    monkeypatch.setattr(repository, "stored_line", stored_line)
    with EventLog(pg_app) as log:
        async with asyncio.timeout(60):  # a bound on a hang, not a timing assertion
            responses = await asyncio.gather(*[
                send_chat(pg_client, s.buyer, s.show_id, "Reefer containers available?",
                          "resent-line")
                for _ in range(RETRIES)
            ])

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (RETRIES - 1) + [201], [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert all(r.json() == responses[0].json() for r in responses)
    assert len(lost_the_race) == RETRIES - 1
    assert await count_rows(pg_app, LivestreamChatMessage) == 1
    assert [e.data for e in log.on(f"livestream:{s.show_id}", "chat.message")] == [
        responses[0].json()]
