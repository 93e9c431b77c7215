"""The realtime diagnostic page: who may open it, where it exists, and what it loads."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from app.main import create_app
from tests.conftest import wipe_database
from tests.web.helpers import get_page, register_via_form, text_of

PAGE = "/realtime/diagnostics"
MODULE_TAG = '<script type="module" src="/static/js/diagnostics.js"></script>'
PROD_SECRET = "a-production-secret-that-is-long-enough-0123456789"

ProdClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


async def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(
    client: httpx.AsyncClient,
) -> None:
    response = await get_page(client, f"{PAGE}?room=fair-2")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/realtime/diagnostics%3Froom%3Dfair-2"


async def test_a_signed_in_user_gets_the_page_with_its_module(client: httpx.AsyncClient) -> None:
    await register_via_form(client, time_zone="Asia/Shanghai")
    response = await get_page(client, PAGE)
    assert response.status_code == 200
    html = response.text
    assert MODULE_TAG in html
    # The room defaults to the lobby; the viewer's zone is handed to the script.
    assert 'data-room="lobby"' in html
    assert 'data-zone="Asia/Shanghai"' in html
    assert "diag:lobby" in html
    assert "pulse:lobby" in html
    page = text_of(html)
    assert "Realtime diagnostics" in page
    assert "Drop connection" in page


async def test_the_page_keeps_to_the_content_security_policy(client: httpx.AsyncClient) -> None:
    """script-src and style-src are 'self': no inline script, style block or style attribute."""
    await register_via_form(client)
    html = (await get_page(client, PAGE)).text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the page loads no script at all"
    assert all(re.search(r'\bsrc="/static/js/[\w-]+\.js"', tag) for tag in scripts), scripts
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers either


async def test_the_script_and_the_client_module_are_served(client: httpx.AsyncClient) -> None:
    for name in ("diagnostics.js", "realtime.js"):
        response = await client.get(f"/static/js/{name}")
        assert response.status_code == 200
        assert "javascript" in response.headers["content-type"]


async def test_the_chosen_room_is_opened(client: httpx.AsyncClient) -> None:
    await register_via_form(client)
    html = (await get_page(client, f"{PAGE}?room=shrimp.buyers_2")).text
    assert 'data-room="shrimp.buyers_2"' in html
    assert 'value="shrimp.buyers_2"' in html  # the room field shows it


async def test_a_room_name_the_protocol_refuses_is_explained_not_joined(
    client: httpx.AsyncClient,
) -> None:
    await register_via_form(client)
    response = await get_page(client, PAGE, params={"room": "two words"})
    assert response.status_code == 422
    assert MODULE_TAG not in response.text
    assert "data-room=" not in response.text
    page = text_of(response.text)
    assert "This room name cannot be used." in page
    assert "letters, digits, dots, dashes or underscores" in page


async def test_the_page_speaks_chinese(client: httpx.AsyncClient) -> None:
    await register_via_form(client)
    await client.get("/lang/zh")
    html = (await get_page(client, PAGE)).text
    page = text_of(html)
    assert "实时连接诊断" in page
    assert 'data-state-open="已连接"' in html  # strings for the script are translated too


async def test_the_development_strip_links_to_the_page(client: httpx.AsyncClient) -> None:
    home = await get_page(client, "/")
    assert f'href="{PAGE}"' in home.text


@pytest.fixture
def prod_client(database_url: str, tmp_path: Path) -> ProdClient:
    """A production app, with the diagnostic topics switched on or left at their default."""

    @asynccontextmanager
    async def open_client(
        realtime_diagnostics: bool | None = None,
    ) -> AsyncIterator[httpx.AsyncClient]:
        settings = Settings(
            environment="prod",
            database_url=database_url,
            secret_key=PROD_SECRET,
            data_dir=tmp_path,
            base_url="https://fair.example",
            allowed_origins=["https://fair.example"],
            realtime_diagnostics=realtime_diagnostics,
        )
        application = create_app(settings)
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(
                transport=transport, base_url="https://fair.example"
            ) as c:
                try:
                    yield c
                finally:
                    await wipe_database(application.state.engine)

    return open_client


async def test_production_without_diagnostics_has_no_such_page(prod_client: ProdClient) -> None:
    async with prod_client() as client:
        anonymous = await get_page(client, PAGE)
        assert anonymous.status_code == 404  # not a redirect to sign in: it does not exist
        await register_via_form(client)
        signed_in = await get_page(client, PAGE)
        assert signed_in.status_code == 404
        home = await get_page(client, "/")
        assert PAGE not in home.text


async def test_production_can_opt_in_to_diagnostics(prod_client: ProdClient) -> None:
    async with prod_client(realtime_diagnostics=True) as client:
        await register_via_form(client)
        response = await get_page(client, PAGE)
        assert response.status_code == 200
        assert MODULE_TAG in response.text
