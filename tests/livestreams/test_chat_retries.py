"""A chat line sent again with its client_msg_id (a lost reply, a reconnect) is stored once,
shown once, and answered with the stored line; over HTTP and over the room's socket."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.livestreams import chat, repository
from app.models import LivestreamChatMessage
from app.realtime.topics import PENDING_EVENTS_KEY
from tests.factories import count_rows
from tests.livestreams.helpers import (
    API,
    EventLog,
    LiveShow,
    create_show,
    end_show,
    live_show_setup,
    principal_of,
    replay,
    send_chat,
    start_show,
)
from tests.livestreams.test_topic import Viewer, event, http, live, room  # noqa: F401
from tests.negotiations.test_send_cost import statements
from tests.realtime.conftest import LiveServer, ws_connect


def lines_sent(log: EventLog, show: LiveShow) -> list[dict[str, Any]]:
    return [e.data for e in log.on(f"livestream:{show.show_id}", "chat.message")]


async def slow_mode(client: httpx.AsyncClient, show: LiveShow, seconds: int) -> None:
    response = await client.put(f"{API}/livestreams/{show.show_id}/slow-mode",
                                json={"seconds": seconds}, headers=show.host.headers)
    assert response.status_code == 200, response.text


# --- over HTTP -----------------------------------------------------------------------------


async def test_a_resent_line_is_stored_and_shown_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    with EventLog(app) as log:
        first = await send_chat(client, s.buyer, s.show_id, "20 t CIF Valencia?", "c-1")
        again = await send_chat(client, s.buyer, s.show_id, "20 t CIF Valencia?", "c-1")
    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert await count_rows(app, LivestreamChatMessage) == 1
    assert lines_sent(log, s) == [first.json()]
    assert await replay(client, s.buyer, s.show_id) == [first.json()]


async def test_lines_without_an_id_are_never_taken_for_retries(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    for _ in range(2):
        assert (await send_chat(client, s.buyer, s.show_id, "+1")).status_code == 201
    assert await count_rows(app, LivestreamChatMessage) == 2


async def test_another_user_with_the_same_id_gets_their_own_line(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    with EventLog(app) as log:
        buyer = await send_chat(client, s.buyer, s.show_id, "Samples?", "1")
        host = await send_chat(client, s.host, s.show_id, "Yes, 2 kg free", "1")
    assert (buyer.status_code, host.status_code) == (201, 201)
    assert buyer.json()["id"] != host.json()["id"]
    assert host.json()["body"] == "Yes, 2 kg free"
    assert lines_sent(log, s) == [buyer.json(), host.json()]


async def test_the_same_id_in_another_show_is_a_new_line(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    other = await create_show(client, s.host, s.booth_id, title="Second stream")
    await start_show(client, s.host, int(other["id"]))
    here = await send_chat(client, s.buyer, s.show_id, "Hello", "same")
    there = await send_chat(client, s.buyer, int(other["id"]), "Hello", "same")
    assert (here.status_code, there.status_code) == (201, 201)
    assert here.json()["id"] != there.json()["id"]
    assert await count_rows(app, LivestreamChatMessage) == 2


async def test_slow_mode_a_mute_or_the_end_do_not_refuse_a_retry_of_an_accepted_line(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    await slow_mode(client, s, 600)
    with EventLog(app) as log:
        first = await send_chat(client, s.buyer, s.show_id, "MOQ?", "m-1")
        assert first.status_code == 201, first.text
        slowed = await send_chat(client, s.buyer, s.show_id, "MOQ?", "m-2")
        assert slowed.status_code == 429
        assert slowed.json()["error"]["code"] == "chat_slow_mode"
        retry = await send_chat(client, s.buyer, s.show_id, "MOQ?", "m-1")
        assert (retry.status_code, retry.json()) == (200, first.json())

        muted = await client.post(f"{API}/livestreams/{s.show_id}/mutes",
                                  json={"user_id": s.buyer.user_id, "minutes": 10},
                                  headers=s.host.headers)
        assert muted.status_code == 201, muted.text
        retry = await send_chat(client, s.buyer, s.show_id, "MOQ?", "m-1")
        assert (retry.status_code, retry.json()) == (200, first.json())
        refused = await send_chat(client, s.buyer, s.show_id, "MOQ?", "m-3")
        assert refused.json()["error"]["code"] == "chat_muted"

        await end_show(client, s.host, s.show_id)
        retry = await send_chat(client, s.buyer, s.show_id, "MOQ?", "m-1")
        assert (retry.status_code, retry.json()) == (200, first.json())
    assert lines_sent(log, s) == [first.json()]
    assert await count_rows(app, LivestreamChatMessage) == 1


async def test_a_retry_answers_the_stored_line_whatever_body_it_carries(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """The id names the line: the client's resend is the same line, not an edit of it."""
    s = await live_show_setup(client)
    first = await send_chat(client, s.buyer, s.show_id, "Price per kg?", "b-1")
    for body in ("Price per ton?", ""):
        retry = await send_chat(client, s.buyer, s.show_id, body, "b-1")
        assert (retry.status_code, retry.json()) == (200, first.json())
    assert await count_rows(app, LivestreamChatMessage) == 1


async def test_a_retry_does_not_bring_back_a_line_a_moderator_removed(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    first = (await send_chat(client, s.buyer, s.show_id, "spam spam", "d-1")).json()
    deleted = await client.delete(f"{API}/livestreams/{s.show_id}/chat/{first['id']}",
                                  headers=s.host.headers)
    assert deleted.status_code == 204
    with EventLog(app) as log:
        retry = await send_chat(client, s.buyer, s.show_id, "spam spam", "d-1")
    assert retry.status_code == 409
    assert retry.json()["error"]["code"] == "chat_message_deleted"
    assert retry.json()["error"]["details"] == {"id": first["id"]}
    assert log.events == []
    assert await replay(client, s.buyer, s.show_id) == []
    assert await count_rows(app, LivestreamChatMessage) == 1


@pytest.mark.parametrize("client_msg_id", [
    "", "x" * 65, "two words", " padded", "line\n", "ünïcode", "a/b", 42, True, ["c-1"],
])
async def test_a_bad_client_msg_id_is_422_and_stores_nothing(
    client: httpx.AsyncClient, app: FastAPI, client_msg_id: Any
) -> None:
    s = await live_show_setup(client)
    response = await send_chat(client, s.buyer, s.show_id, "Hello", client_msg_id)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "client_msg_id" in str(error["details"])
    assert await count_rows(app, LivestreamChatMessage) == 0


async def test_a_uuid_and_64_characters_are_fine(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client)
    for client_msg_id in ("0b6f6a0e-3c1e-4d7f-9a55-2f1d0c8e9b41", "A_z-9" * 12 + "0123"):
        response = await send_chat(client, s.buyer, s.show_id, "Hi", client_msg_id)
        assert response.status_code == 201, response.text


# --- the service: two retries racing past the gate ------------------------------------------


async def test_a_retry_that_loses_the_race_to_insert_answers_the_winners_line(
    client: httpx.AsyncClient, app: FastAPI, db: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both passed the gate before either stored the line: the unique index lets one INSERT
    through; the other inserts nothing, reads the stored line and broadcasts nothing. (The
    real race on PostgreSQL: test_chat_race.py.)"""
    s = await live_show_setup(client)
    with EventLog(app) as log:
        first = (await send_chat(client, s.buyer, s.show_id, "Lead time?", "r-1")).json()
    real_gate = repository.chat_gate

    async def gate_read_before_the_winner_stored(*args: Any) -> Any:
        gate = await real_gate(*args)
        return gate if gate is None else replace(gate, retried=None)

    monkeypatch.setattr(repository, "chat_gate", gate_read_before_the_winner_stored)
    principal = await principal_of(db, s.buyer)
    with statements(app.state.engine) as seen:
        posted = await chat.post(db, principal, s.show_id, "Lead time?", client_msg_id="r-1")
    assert db.info.get(PENDING_EVENTS_KEY, []) == []  # nothing to broadcast after commit
    await db.commit()
    assert posted.created is False
    assert posted.message.model_dump(mode="json") == first
    assert [sql.split()[0] for sql in seen] == ["SELECT", "INSERT", "SELECT"], seen
    assert lines_sent(log, s) == [first]
    assert await count_rows(app, LivestreamChatMessage) == 1


# --- over the room's socket ----------------------------------------------------------------


async def test_a_line_resent_on_the_socket_is_stored_and_shown_once(
    live: LiveServer, http: httpx.AsyncClient  # noqa: F811
) -> None:
    show = await live_show_setup(http)
    await slow_mode(http, show, 600)
    async with ws_connect(live, show.buyer.token) as ws:
        buyer = Viewer(ws)
        await buyer.join_room(room(show))
        with EventLog(live.app) as log:
            first, _ = await buyer.request("chat.send", room(show), body="Halal certified?",
                                           client_msg_id="ws-1")
            assert first["type"] == "reply", first
            # The reply was lost; the page resends the line with the same id (slow mode
            # would refuse a new line now).
            again, _ = await buyer.request("chat.send", room(show), body="Halal certified?",
                                           client_msg_id="ws-1")
            assert again["type"] == "reply", again
            assert again["payload"] == first["payload"]
            # The same id over HTTP names the same line.
            over_http = await send_chat(http, show.buyer, show.show_id, "Halal certified?",
                                        "ws-1")
            assert over_http.status_code == 200
            assert over_http.json() == first["payload"]["message"]
        assert lines_sent(log, show) == [first["payload"]["message"]]
    assert await count_rows(live.app, LivestreamChatMessage) == 1


async def test_a_bad_client_msg_id_on_the_socket_is_invalid_frame(
    live: LiveServer, http: httpx.AsyncClient  # noqa: F811
) -> None:
    show = await live_show_setup(http)
    async with ws_connect(live, show.buyer.token) as ws:
        buyer = Viewer(ws)
        await buyer.join_room(room(show))
        for client_msg_id in ("two words", "x" * 65, "", 7):
            refused, _ = await buyer.request("chat.send", room(show), body="Hello",
                                             client_msg_id=client_msg_id)
            assert refused["type"] == "error", refused
            assert refused["payload"]["code"] == "invalid_frame", client_msg_id
    assert await count_rows(live.app, LivestreamChatMessage) == 0
