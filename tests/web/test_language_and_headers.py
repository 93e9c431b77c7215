"""The language switch, Chinese pages, safe redirects and the security headers on pages."""

from __future__ import annotations

import httpx
import pytest

from app.web.context import LANG_COOKIE
from tests.web.helpers import get_page, post_form, register_via_form, text_of


async def test_switching_to_chinese_sets_the_cookie_and_the_next_page_is_chinese(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/lang/zh?next=/login")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.cookies[LANG_COOKIE] == "zh"

    page = await get_page(client, "/login")
    assert '<html lang="zh-Hans">' in page.text
    text = text_of(page.text)
    assert "登录" in text
    assert "欢迎回到 TradeHall。" in text
    assert "Welcome back to TradeHall." not in text


async def test_a_signed_in_user_sees_the_navigation_in_chinese(client: httpx.AsyncClient) -> None:
    await register_via_form(client)
    await client.get("/lang/zh?next=/")
    text = text_of((await get_page(client, "/settings/organization")).text)
    assert "退出登录" in text  # Sign out
    assert "组织" in text  # Organization
    assert "成员" in text  # Members
    assert "所有者" in text  # Owner


async def test_the_browser_language_is_used_until_one_is_chosen(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "永不落幕的展会" in text_of(page.text)
    await client.get("/lang/en?next=/")
    page = await client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "The trade fair that never closes" in text_of(page.text)


@pytest.mark.parametrize(
    "next_url",
    ["//evil.example", "//evil.example/path", "https://evil.example/", "/\t/evil.example",
     "/\\evil.example", "javascript:alert(1)"],
)
async def test_the_language_switch_is_not_an_open_redirect(
    client: httpx.AsyncClient, next_url: str
) -> None:
    response = await client.get("/lang/zh", params={"next": next_url})
    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_the_language_switch_keeps_the_query_of_the_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/lang/zh", params={"next": "/invitations/accept?token=abc"})
    assert response.headers["location"] == "/invitations/accept?token=abc"
    page = await get_page(client, "/login?next=/settings/profile")
    assert "/lang/en?next=/login%3Fnext%3D/settings/profile" in page.text


async def test_an_unknown_language_is_404(client: httpx.AsyncClient) -> None:
    response = await get_page(client, "/lang/xx")
    assert response.status_code == 404


async def test_error_pages_speak_the_chosen_language(client: httpx.AsyncClient) -> None:
    await client.get("/lang/zh?next=/")
    await get_page(client, "/register")
    refused = await post_form(client, "/register", {"email": "a@example.com"})
    assert refused.status_code == 403
    text = text_of(refused.text)
    assert "表单已过期，或并非来自 TradeHall 页面。请刷新页面后重试。" in text
    missing = await get_page(client, "/no-such-page")
    assert missing.status_code == 404
    assert "找不到该页面" in text_of(missing.text)


@pytest.mark.parametrize("path", ["/", "/login", "/register", "/no-such-page"])
async def test_pages_carry_the_security_headers(client: httpx.AsyncClient, path: str) -> None:
    response = await get_page(client, path)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


async def test_pages_have_no_inline_scripts_or_styles(client: httpx.AsyncClient) -> None:
    """The CSP blocks inline code, so a page that relied on it would silently break."""
    await register_via_form(client)
    for path in ("/", "/settings/profile", "/settings/organization", "/settings/invitations",
                 "/dev/outbox"):
        page = (await get_page(client, path)).text
        assert " style=" not in page, path
        assert "<style" not in page, path
        for script in page.split("<script")[1:]:
            assert script.split(">", 1)[0].strip().startswith('type="module" src="/static/'), path
