"""A client that sends nothing for the idle timeout is disconnected."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from app.config import Settings
from tests.realtime.conftest import (
    LiveServer,
    app_of,
    new_user,
    start_server,
    stop_server,
    ws_connect,
)


@pytest.fixture
async def short_idle_live(realtime_settings: Settings) -> AsyncIterator[LiveServer]:
    settings = realtime_settings.model_copy(update={"realtime_idle_timeout_seconds": 0.2})
    server, task, host = await start_server(settings)
    try:
        yield LiveServer(app_of(server), f"http://{host}", f"ws://{host}/ws", settings, server)
    finally:
        await stop_server(server, task)


async def test_a_silent_client_is_disconnected_after_the_idle_timeout(
    short_idle_live: LiveServer,
) -> None:
    live = short_idle_live
    async with httpx.AsyncClient(base_url=live.base_url) as http:
        token = await new_user(http)
    # No WebSocket pings from the client either: it is silent at every level.
    async with ws_connect(live, token, ping_interval=None) as ws:
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), timeout=30)
    hub = live.app.state.hub
    async with asyncio.timeout(10):
        while hub.connections:
            await asyncio.sleep(0.01)  # polling a condition, bounded by the timeout above
