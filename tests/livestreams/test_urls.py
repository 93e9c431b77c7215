"""Playback and recording URLs: only absolute http(s) URLs with a host reach a page."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from app.errors import InvalidInput
from app.livestreams.urls import check_url
from app.models import Livestream
from tests.factories import approved_booth, count_rows, open_expo
from tests.livestreams.helpers import API, live_show_setup, show_body

BAD_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "file:///etc/passwd",
    "example.com/x",
    "//example.com/live.m3u8",
    "/live/index.m3u8",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "http://",
    "https:///path-without-host",
    "https://user:pw@host/",
    "https://token@host/live.m3u8",
    "ftp://example.com/live.m3u8",
    "https://example.com/live show.m3u8",
    "https://example.com:99999/live.m3u8",
    "https://example.com/" + "x" * 2000,
    "",
]

GOOD_URLS = [
    "https://stream.example.com/live/index.m3u8",
    "http://10.0.0.5:8080/hls/show.m3u8?token=abc&x=1",
    "HTTPS://CDN.Example.com/vod/1.mp4#t=10",
    "https://直播.example.cn/live.m3u8",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_the_rule_refuses(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_url(url, "playback_url")
    assert refused.value.code == "invalid_url"
    assert refused.value.details[0]["loc"] == ["body", "playback_url"]


@pytest.mark.parametrize("url", GOOD_URLS)
def test_the_rule_takes(url: str) -> None:
    assert check_url(url, "recording_url") == url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "file:///etc/passwd", "example.com/x",
    "data:text/plain,hi", "http://", "https://user:pw@host/",
])
async def test_scheduling_with_a_bad_url_is_422_and_writes_nothing(
    client: httpx.AsyncClient, app: FastAPI, url: str
) -> None:
    expo = await open_expo(client)
    host, booth = await approved_booth(client, expo)
    for field in ("playback_url", "recording_url"):
        response = await client.post(
            f"{API}/booths/{booth['id']}/livestreams", json=show_body(**{field: url}),
            headers=host.headers,
        )
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "invalid_url"
        assert error["details"][0]["loc"] == ["body", field]
    assert await count_rows(app, Livestream) == 0


async def test_editing_to_a_bad_url_is_422_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    s = await live_show_setup(client, live=False)
    url = f"{API}/livestreams/{s.show_id}"
    for field in ("playback_url", "recording_url"):
        response = await client.patch(
            url, json={"title": "Changed", field: "javascript:alert(1)"}, headers=s.host.headers
        )
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid_url"
    show = (await client.get(url)).json()
    assert show["title"] == s.show["title"]
    assert show["playback_url"] == s.show["playback_url"]
    assert show["recording_url"] is None
