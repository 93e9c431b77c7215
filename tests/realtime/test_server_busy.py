"""Overload: an action the database cannot take now is refused at once, the socket stays."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from app.accounts.principal import Principal
from app.config import Settings
from app.db import create_engine
from app.models import Message
from app.realtime.admission import Admission, ServerBusy
from app.realtime.topics import ActionContext, TopicHandler
from app.server import uvicorn_config
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


@pytest.fixture
async def one_action_live(realtime_settings: Settings) -> AsyncIterator[LiveServer]:
    settings = realtime_settings.model_copy(update={
        "realtime_max_db_actions": 1, "realtime_admission_wait_seconds": 0,
    })
    server, task, host = await start_server(settings)
    try:
        yield LiveServer(app_of(server), f"http://{host}", f"ws://{host}/ws", settings, server)
    finally:
        await stop_server(server, task)
        engine = create_engine(settings.effective_database_url)
        await wipe_database(engine)
        await engine.dispose()


class Held:
    """A test topic whose one action holds its database session until released."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def _join(self, _db: Any, _principal: Principal, _topic_id: str) -> None:
        return None

    async def _hold(self, _ctx: ActionContext) -> dict[str, Any]:
        self.entered.set()
        await self.release.wait()
        return {"held": True}

    def handler(self) -> TopicHandler:
        return TopicHandler(prefix="held", authorize_join=self._join,
                            actions={"hold": self._hold})


async def test_past_the_limit_an_action_gets_server_busy_and_the_socket_stays(
    one_action_live: LiveServer,
) -> None:
    live = one_action_live
    held = Held()
    live.app.state.hub.registry.register(held.handler())
    try:
        await _refused_then_served(live, held)
    finally:
        held.release.set()  # a failed assertion must not leave the server waiting on it


async def _refused_then_served(live: LiveServer, held: Held) -> None:
    async with httpx.AsyncClient(base_url=live.base_url) as http:
        deal = await create_negotiation(http)
    topic = f"negotiation:{deal.negotiation_id}"
    async with ws_connect(live, deal.buyer.token) as bws, \
            ws_connect(live, deal.supplier.token) as sws:
        holder, sender = Client(bws), Client(sws)
        await holder.request("join", "held:1")
        joined, _ = await sender.request("join", topic)
        assert joined["type"] == "joined"

        hold_ref = await holder.send("hold", "held:1")
        await held.entered.wait()
        refused, _ = await sender.request("message.send", topic, body="now?",
                                          client_msg_id="b-1")
        assert refused["type"] == "error", refused
        assert refused["topic"] == topic
        assert refused["payload"]["code"] == "server_busy"
        assert refused["payload"]["retry_after_ms"] > 0
        assert await count_rows(live.app, Message, Message.client_msg_id == "b-1",
                                Message.negotiation_id == deal.negotiation_id) == 0

        # Same socket, still joined: pings answer, and once the slot is free, the retry works.
        pong, _ = await sender.request("ping")
        assert pong["payload"] == {"pong": True}
        held.release.set()
        done, _ = await holder.recv_until(lambda f: f.get("ref") == hold_ref)
        assert done["payload"] == {"held": True}
        sent, _ = await sender.request("message.send", topic, body="now?", client_msg_id="b-1")
        assert sent["type"] == "reply", sent
        assert await count_rows(live.app, Message, Message.client_msg_id == "b-1",
                                Message.negotiation_id == deal.negotiation_id) == 1


def test_the_keepalive_timeout_is_a_setting() -> None:
    settings = Settings(realtime_ws_ping_interval_seconds=15, realtime_ws_ping_timeout_seconds=90)
    config = uvicorn_config(settings, host="127.0.0.1", port=0)
    assert (config.ws_ping_interval, config.ws_ping_timeout) == (15, 90)


async def test_one_action_more_waits_for_a_place_then_gets_it() -> None:
    admission = Admission(1, wait_seconds=30)
    first_in, first_out = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with admission.admit():
            first_in.set()
            await first_out.wait()

    task = asyncio.create_task(first())
    await first_in.wait()
    second = asyncio.create_task(_enter(admission))
    await asyncio.sleep(0)  # let it start waiting: it cannot be admitted yet
    assert not second.done()
    first_out.set()
    assert await second == "admitted"
    await task


async def test_with_no_place_coming_free_the_wait_ends_in_server_busy() -> None:
    admission = Admission(1, wait_seconds=0.01)
    async with admission.admit():
        with pytest.raises(ServerBusy):
            await _enter(admission)
    assert admission.in_flight == 0


async def _enter(admission: Admission) -> str:
    async with admission.admit():
        return "admitted"
