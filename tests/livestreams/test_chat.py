"""A show's chat: posting a line (the room's hot path) and reading the chat back."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.livestreams import chat
from app.models import Livestream, LivestreamChatMessage
from tests.factories import apply_for_booth, count_rows, open_expo, register
from tests.livestreams.helpers import (
    API,
    EventLog,
    end_show,
    insert_show,
    live_show_setup,
    principal_of,
    replay,
    send_chat,
)
from tests.negotiations.test_send_cost import statements


async def test_a_line_is_stored_and_sent_to_the_room(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    with EventLog(app) as log:
        response = await send_chat(client, s.buyer, s.show_id, "  How much for 20 t?  ")
        hosted = await send_chat(client, s.host, s.show_id, "6.45 USD/kg from 5 t")
    assert response.status_code == 201, response.text
    line = response.json()
    assert line["body"] == "How much for 20 t?"
    assert line["user_id"] == s.buyer.user_id
    assert line["organization_id"] == s.buyer.organization_id
    assert line["name"] == "Test Buyer"
    assert line["is_host"] is False
    assert hosted.json()["is_host"] is True
    sent = log.on(f"livestream:{s.show_id}", "chat.message")
    assert [e.data for e in sent] == [line, hosted.json()]
    assert await replay(client, None, s.show_id) == [line, hosted.json()]


@pytest.mark.parametrize(("body", "why"), [
    ("", "empty"),
    ("   \t ", "blank after trimming"),
    ("x" * 501, "over 500 characters"),
    ("bell\x07", "a control character"),
    ("two\nlines", "a line break inside"),
    ("nul\x00", "NUL"),
])
async def test_a_bad_line_is_422_and_stored_nowhere(
    client: httpx.AsyncClient, app: FastAPI, body: str, why: str
) -> None:
    s = await live_show_setup(client)
    response = await send_chat(client, s.buyer, s.show_id, body)
    assert response.status_code == 422, why
    assert response.json()["error"]["code"] == "invalid_body"
    assert await count_rows(app, LivestreamChatMessage) == 0


async def test_500_characters_are_fine(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client)
    response = await send_chat(client, s.buyer, s.show_id, "鱼" * 500)
    assert response.status_code == 201


async def test_only_a_live_show_takes_lines(client: httpx.AsyncClient, app: FastAPI) -> None:
    s = await live_show_setup(client, live=False)
    scheduled = await send_chat(client, s.buyer, s.show_id)
    assert scheduled.status_code == 409
    assert scheduled.json()["error"]["code"] == "livestream_not_live"
    await client.post(f"{API}/livestreams/{s.show_id}/start", headers=s.host.headers)
    await end_show(client, s.host, s.show_id)
    ended = await send_chat(client, s.buyer, s.show_id)
    assert ended.status_code == 409
    assert ended.json()["error"]["code"] == "livestream_not_live"
    assert await count_rows(app, LivestreamChatMessage) == 0


async def test_who_cannot_see_the_show_cannot_chat_or_read(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    booth = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    show_id = await insert_show(app, booth, status="live")
    buyer = await register(client, kind="buyer")
    response = await send_chat(client, buyer, show_id)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "livestream_not_found"
    read = await client.get(f"{API}/livestreams/{show_id}/chat", headers=buyer.headers)
    assert read.status_code == 404
    anonymous = await client.post(f"{API}/livestreams/{show_id}/chat", json={"body": "hi"})
    assert anonymous.status_code == 401
    assert await count_rows(app, LivestreamChatMessage) == 0


async def test_the_replay_pages_forward_and_back(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client)
    ids = []
    for i in range(5):
        response = await send_chat(client, s.buyer if i % 2 else s.host, s.show_id, f"line {i}")
        ids.append(response.json()["id"])
    url = f"{API}/livestreams/{s.show_id}/chat"
    latest = (await client.get(url, params={"limit": 2})).json()
    assert [m["id"] for m in latest["items"]] == ids[3:]
    older = (await client.get(url, params={"limit": 2, "before_id": latest["next_cursor"]})
             ).json()
    assert [m["id"] for m in older["items"]] == ids[1:3]
    first = (await client.get(url, params={"after_id": 0, "limit": 3})).json()
    assert [m["body"] for m in first["items"]] == ["line 0", "line 1", "line 2"]
    rest = (await client.get(url, params={"after_id": first["next_cursor"], "limit": 3})).json()
    assert [m["id"] for m in rest["items"]] == ids[3:]
    assert rest["next_cursor"] is None
    both = await client.get(url, params={"after_id": 1, "before_id": 3})
    assert both.status_code == 422


async def test_posting_reads_once_and_inserts_once(
    client: httpx.AsyncClient, app: FastAPI, db: AsyncSession
) -> None:
    """The hot path: one SELECT (status, settings, the caller's mute and latest line, the
    line stored with this client_msg_id) and the INSERT … RETURNING; no ORM object is
    loaded. A retry of it costs the SELECT alone."""
    s = await live_show_setup(client)
    await client.put(f"{API}/livestreams/{s.show_id}/slow-mode", json={"seconds": 5},
                     headers=s.host.headers)
    principal = await principal_of(db, s.buyer)
    with statements(app.state.engine) as seen:
        line = await chat.post_message(db, principal, s.show_id, "Is MSC certified?",
                                       client_msg_id="line-1")
    await db.commit()
    assert len(seen) == 2, seen
    assert seen[0].startswith("SELECT livestreams.status")
    assert seen[1].startswith("INSERT INTO livestream_chat_messages")
    assert "RETURNING" in seen[1]
    assert not [o for o in db.identity_map.values()
                if isinstance(o, Livestream | LivestreamChatMessage)]
    assert [m["id"] for m in await replay(client, s.buyer, s.show_id)] == [line.id]

    with statements(app.state.engine) as seen:
        retried = await chat.post_message(db, principal, s.show_id, "Is MSC certified?",
                                          client_msg_id="line-1")
    await db.commit()
    assert retried == line
    assert len(seen) == 1, seen
    assert seen[0].startswith("SELECT livestreams.status")
