"""Moderating a show's chat: deleting lines, muting users, slow mode; and who may."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.livestreams import chat, moderation
from app.livestreams.errors import ChatMuted, ChatSlowMode
from app.models import LivestreamChatMessage, LivestreamMute
from app.models.base import utcnow
from tests.factories import count_rows, register
from tests.livestreams.helpers import (
    API,
    EventLog,
    audit_actions,
    create_show,
    live_show_setup,
    principal_of,
    replay,
    send_chat,
    start_show,
    walk,
)


async def test_a_deleted_line_is_gone_live_and_from_the_replay(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    kept = (await send_chat(client, s.buyer, s.show_id, "Nice shrimp")).json()
    spam = (await send_chat(client, s.buyer, s.show_id, "Buy followers here")).json()
    url = f"{API}/livestreams/{s.show_id}/chat/{spam['id']}"
    with EventLog(app) as log:
        response = await client.delete(url, headers=s.host.headers)
    assert response.status_code == 204
    assert [e.data for e in log.on(f"livestream:{s.show_id}", "chat.deleted")] == [
        {"id": spam["id"]}
    ]
    assert await replay(client, s.buyer, s.show_id) == [kept]
    assert await replay(client, None, s.show_id, after_id=0) == [kept]
    # The row stays for the record; deleting it again changes nothing.
    assert await count_rows(app, LivestreamChatMessage) == 2
    with EventLog(app) as again:
        assert (await client.delete(url, headers=s.host.headers)).status_code == 204
    assert again.on(f"livestream:{s.show_id}") == []
    assert (await audit_actions(app, s.show_id)).count("livestream.chat_deleted") == 1


async def test_the_organizer_moderates(client: httpx.AsyncClient, app: FastAPI) -> None:
    s = await live_show_setup(client)
    line = (await send_chat(client, s.buyer, s.show_id, "off topic")).json()
    deleted = await client.delete(f"{API}/livestreams/{s.show_id}/chat/{line['id']}",
                                  headers=s.organizer.headers)
    assert deleted.status_code == 204
    muted = await client.post(f"{API}/livestreams/{s.show_id}/mutes",
                              json={"user_id": s.buyer.user_id, "minutes": 5},
                              headers=s.organizer.headers)
    assert muted.status_code == 201
    slow = await client.put(f"{API}/livestreams/{s.show_id}/slow-mode", json={"seconds": 10},
                            headers=s.organizer.headers)
    assert slow.status_code == 200
    assert slow.json() == {"slow_mode_seconds": 10}
    assert await replay(client, s.buyer, s.show_id) == []


async def test_viewers_and_other_suppliers_do_not_moderate(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    line = (await send_chat(client, s.buyer, s.show_id, "hello")).json()
    other_supplier = await register(client, kind="supplier")
    base = f"{API}/livestreams/{s.show_id}"
    attempts = [
        ("DELETE", f"{base}/chat/{line['id']}", None),
        ("POST", f"{base}/mutes", {"user_id": s.buyer.user_id, "minutes": 5}),
        ("DELETE", f"{base}/mutes/{s.buyer.user_id}", None),
        ("GET", f"{base}/mutes", None),
        ("PUT", f"{base}/slow-mode", {"seconds": 30}),
    ]
    for method, url, body in attempts:
        for account in (s.buyer, other_supplier):
            response = await client.request(method, url, json=body, headers=account.headers)
            assert response.status_code == 403, (method, url, response.text)
            assert response.json()["error"]["code"] == "livestream_moderator_required"
        assert (await client.request(method, url, json=body)).status_code == 401
    assert len(await replay(client, s.buyer, s.show_id)) == 1
    assert await count_rows(app, LivestreamMute) == 0
    show = (await client.get(base)).json()
    assert show["slow_mode_seconds"] == 0


async def test_a_line_of_another_show_is_not_found(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client)
    other = await create_show(client, s.host, s.booth_id)
    await start_show(client, s.host, other["id"])
    line = (await send_chat(client, s.buyer, other["id"], "elsewhere")).json()
    response = await client.delete(f"{API}/livestreams/{s.show_id}/chat/{line['id']}",
                                   headers=s.host.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "chat_message_not_found"
    assert len(await replay(client, s.buyer, other["id"])) == 1


async def test_a_muted_user_is_refused_until_the_mute_ends(
    client: httpx.AsyncClient, app: FastAPI, db: AsyncSession
) -> None:
    s = await live_show_setup(client)
    response = await client.post(f"{API}/livestreams/{s.show_id}/mutes",
                                 json={"user_id": s.buyer.user_id, "minutes": 10},
                                 headers=s.host.headers)
    assert response.status_code == 201, response.text
    mute = response.json()
    assert mute["user_id"] == s.buyer.user_id
    assert mute["name"] == "Test Buyer"
    until = datetime.fromisoformat(mute["until"])

    refused = await send_chat(client, s.buyer, s.show_id, "let me talk")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "chat_muted"
    assert datetime.fromisoformat(refused.json()["error"]["details"]["until"]) == until
    assert await count_rows(app, LivestreamChatMessage) == 0
    # Others still talk.
    assert (await send_chat(client, s.host, s.show_id, "welcome")).status_code == 201

    principal = await principal_of(db, s.buyer)
    with pytest.raises(ChatMuted):
        await chat.post_message(db, principal, s.show_id, "still?",
                                now=until - timedelta(seconds=1))
    line = await chat.post_message(db, principal, s.show_id, "I'm back",
                                   now=until + timedelta(seconds=1))
    await db.commit()
    assert line.body == "I'm back"
    assert "livestream.user_muted" in await audit_actions(app, s.show_id)


async def test_an_unmuted_user_talks_again(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client)
    base = f"{API}/livestreams/{s.show_id}"
    await client.post(f"{base}/mutes", json={"user_id": s.buyer.user_id, "minutes": 60},
                      headers=s.host.headers)
    listed = (await client.get(f"{base}/mutes", headers=s.organizer.headers)).json()
    assert [m["user_id"] for m in listed["items"]] == [s.buyer.user_id]
    assert (await send_chat(client, s.buyer, s.show_id)).status_code == 403
    unmuted = await client.delete(f"{base}/mutes/{s.buyer.user_id}", headers=s.host.headers)
    assert unmuted.status_code == 204
    assert (await send_chat(client, s.buyer, s.show_id)).status_code == 201
    assert (await client.get(f"{base}/mutes", headers=s.host.headers)).json()["items"] == []


async def test_a_new_mute_replaces_the_old_one(client: httpx.AsyncClient, app: FastAPI) -> None:
    s = await live_show_setup(client)
    url = f"{API}/livestreams/{s.show_id}/mutes"
    long = await client.post(url, json={"user_id": s.buyer.user_id, "minutes": 600},
                             headers=s.host.headers)
    short = await client.post(url, json={"user_id": s.buyer.user_id, "minutes": 1},
                              headers=s.host.headers)
    assert short.json()["until"] < long.json()["until"]
    assert await count_rows(app, LivestreamMute) == 1
    listed = (await client.get(url, headers=s.host.headers)).json()["items"]
    assert [m["until"] for m in listed] == [short.json()["until"]]


async def test_walking_the_mutes_lists_each_running_mute_once_soonest_to_end_first(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    s = await live_show_setup(client)
    url = f"{API}/livestreams/{s.show_id}/mutes"
    buyers = [s.buyer, *[await register(client, kind="buyer") for _ in range(5)]]
    for buyer, minutes in zip(buyers[:3], (60, 10, 40), strict=True):
        muted = await client.post(url, json={"user_id": buyer.user_id, "minutes": minutes},
                                  headers=s.host.headers)
        assert muted.status_code == 201, muted.text
    # Two mutes that end at the same moment (the cursor tells them apart by user), and one
    # that is over.
    host = await principal_of(db, s.host)
    now = utcnow()
    tied = sorted(b.user_id for b in buyers[3:5])
    for user_id in tied:
        await moderation.mute(db, host, s.show_id, user_id, 25, now=now)
    await moderation.mute(db, host, s.show_id, buyers[5].user_id, 60,
                          now=now - timedelta(hours=2))
    await db.commit()
    expected = [buyers[1].user_id, *tied, buyers[2].user_id, buyers[0].user_id]
    for limit in (1, 2):
        walked = [m["user_id"] for m in await walk(client, url, limit, s.organizer.headers)]
        assert walked == expected
    for cursor in ("garbage", "e30"):
        response = await client.get(url, params={"cursor": cursor}, headers=s.host.headers)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid_cursor"
    for limit in (0, 101):
        response = await client.get(url, params={"limit": limit}, headers=s.host.headers)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "validation_error"


async def test_hosts_and_the_organizer_cannot_be_muted(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    s = await live_show_setup(client)
    url = f"{API}/livestreams/{s.show_id}/mutes"
    for target, by in ((s.host, s.organizer), (s.organizer, s.host)):
        response = await client.post(url, json={"user_id": target.user_id, "minutes": 5},
                                     headers=by.headers)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "cannot_mute_moderator"
    unknown = await client.post(url, json={"user_id": 999_999, "minutes": 5},
                                headers=s.host.headers)
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "unknown_user"
    for minutes in (0, 10081):
        bad = await client.post(url, json={"user_id": s.buyer.user_id, "minutes": minutes},
                                headers=s.host.headers)
        assert bad.status_code == 422
    assert await count_rows(app, LivestreamMute) == 0


async def test_slow_mode_spaces_a_viewers_lines(
    client: httpx.AsyncClient, app: FastAPI, db: AsyncSession
) -> None:
    s = await live_show_setup(client)
    with EventLog(app) as log:
        response = await client.put(f"{API}/livestreams/{s.show_id}/slow-mode",
                                    json={"seconds": 30}, headers=s.host.headers)
    assert response.status_code == 200
    assert [e.data for e in log.on(f"livestream:{s.show_id}", "settings")] == [
        {"slow_mode_seconds": 30}
    ]
    first = await send_chat(client, s.buyer, s.show_id, "first")
    assert first.status_code == 201
    second = await send_chat(client, s.buyer, s.show_id, "second")
    assert second.status_code == 429
    error = second.json()["error"]
    assert error["code"] == "chat_slow_mode"
    assert 1 <= error["details"]["retry_after_seconds"] <= 30
    assert second.headers["Retry-After"] == str(error["details"]["retry_after_seconds"])
    # The host is not slowed down.
    for body in ("one", "two"):
        assert (await send_chat(client, s.host, s.show_id, body)).status_code == 201

    sent_at = datetime.fromisoformat(first.json()["sent_at"])
    principal = await principal_of(db, s.buyer)
    with pytest.raises(ChatSlowMode) as slowed:
        await chat.post_message(db, principal, s.show_id, "too soon",
                                now=sent_at + timedelta(seconds=29, milliseconds=500))
    assert slowed.value.details == {"retry_after_seconds": 1}
    later = await chat.post_message(db, principal, s.show_id, "in time",
                                    now=sent_at + timedelta(seconds=30))
    await db.commit()
    assert later.body == "in time"
    assert [m["body"] for m in await replay(client, s.buyer, s.show_id)] == [
        "first", "one", "two", "in time"
    ]


async def test_slow_mode_off_lets_lines_through(client: httpx.AsyncClient) -> None:
    s = await live_show_setup(client)
    url = f"{API}/livestreams/{s.show_id}/slow-mode"
    await client.put(url, json={"seconds": 60}, headers=s.host.headers)
    await send_chat(client, s.buyer, s.show_id, "first")
    assert (await client.put(url, json={"seconds": 0}, headers=s.host.headers)).json() == {
        "slow_mode_seconds": 0
    }
    assert (await send_chat(client, s.buyer, s.show_id, "second")).status_code == 201
    bad = await client.put(url, json={"seconds": 601}, headers=s.host.headers)
    assert bad.status_code == 422
