"""A real uvicorn server in the test's event loop, and WebSocket clients for it."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection, connect

from app.config import Settings
from app.db import create_engine
from app.main import create_app
from tests.conftest import TEST_SECRET, wipe_database
from tests.databases import redis_server_url
from tests.factories import PASSWORD, unique_email


@dataclass
class LiveServer:
    app: FastAPI
    base_url: str
    ws_url: str
    settings: Settings
    server: uvicorn.Server | None = None


def free_socket() -> socket.socket:
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto
    # says TCP, and without it a reply written right after an event waits ~40 ms for an ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(params=["memory", "redis"])
def broker_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def realtime_settings(settings: Settings, broker_kind: str) -> Settings:
    redis_url = redis_server_url() if broker_kind == "redis" else None
    return settings.model_copy(update={
        "redis_url": redis_url,
        "redis_prefix": f"tradehall-test-{uuid.uuid4().hex[:8]}:",
        "realtime_diagnostics": True,
    })


async def start_server(settings: Settings) -> tuple[uvicorn.Server, asyncio.Task[None], str]:
    sock = free_socket()
    port = sock.getsockname()[1]
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        ws="websockets-sansio",
        ws_max_size=settings.realtime_max_frame_bytes,
        ws_per_message_deflate=False,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    return server, task, f"127.0.0.1:{port}"


def app_of(server: uvicorn.Server) -> FastAPI:
    app = server.config.app
    if not isinstance(app, FastAPI):
        raise TypeError("the live server runs a FastAPI app")
    return app


async def stop_server(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    server.should_exit = True
    await asyncio.wait_for(task, timeout=30)


@pytest.fixture
async def live(realtime_settings: Settings) -> AsyncIterator[LiveServer]:
    server, task, host = await start_server(realtime_settings)
    try:
        yield LiveServer(app_of(server), f"http://{host}", f"ws://{host}/ws", realtime_settings)
    finally:
        await stop_server(server, task)
        engine = create_engine(realtime_settings.effective_database_url)
        await wipe_database(engine)
        await engine.dispose()


@pytest.fixture
async def http(live: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live.base_url) as client:
        yield client


async def new_user(http: httpx.AsyncClient, kind: str = "buyer") -> str:
    """Register a user through the API and return a bearer token."""
    email = unique_email(f"rt-{kind}")
    r = await http.post("/api/v1/auth/register", json={
        "email": email, "password": PASSWORD, "full_name": f"RT {email.split('@')[0]}",
        "organization": {"name": f"Org {email}", "kind": kind, "country": "CN"},
    })
    assert r.status_code == 201, r.text
    r = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    return str(r.json()["access_token"])


class Client:
    """A thin protocol client: send frames, await replies by ref, collect events."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self._ref = 0

    async def send(self, kind: str, topic: str | None = None, **payload: Any) -> str:
        self._ref += 1
        ref = str(self._ref)
        await self.ws.send(json.dumps({"type": kind, "topic": topic, "ref": ref,
                                       "payload": payload}))
        return ref

    async def recv(self, timeout: float = 10) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), timeout=timeout)
        data: dict[str, Any] = json.loads(raw)
        return data

    async def recv_until(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 10
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Read frames until one matches; returns it and the frames read before it."""
        seen: list[dict[str, Any]] = []
        while True:
            f = await self.recv(timeout)
            if predicate(f):
                return f, seen
            seen.append(f)

    async def request(self, kind: str, topic: str | None = None, **payload: Any
                      ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        ref = await self.send(kind, topic, **payload)
        return await self.recv_until(lambda f: f.get("ref") == ref)

    async def events(self, topic: str, count: int, timeout: float = 10) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while len(out) < count:
            f = await self.recv(timeout)
            if f["type"] == "event" and f["topic"] == topic:
                out.append(f)
        return out


def ws_connect(live: LiveServer, token: str | None, origin: str | None = None,
               **kwargs: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return connect(live.ws_url, additional_headers=headers,
                   origin=origin, open_timeout=10, **kwargs)  # type: ignore[arg-type]


__all__ = ["TEST_SECRET", "Client", "LiveServer", "new_user", "ws_connect"]
