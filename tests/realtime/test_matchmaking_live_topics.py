"""The live day over a real server: the slot clock on ``matchmaking:{id}``, the meeting room
``meeting:{id}`` (who may join and act, chat, product cards), WebRTC signalling relayed to
the other party only, and broadcasts. Time is set on the live clock, never waited for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select

from app.db import create_engine, create_sessionmaker
from app.models import Membership, TopicEvent
from tests.factories import create_product, register
from tests.matchmaking.live_helpers import SLOT0, SetClock, live_session, set_clock
from tests.realtime.conftest import Client, LiveServer, ws_connect


@pytest.fixture
def clock() -> Iterator[SetClock]:
    yield from set_clock()


def _event(name: str) -> Any:
    return lambda f: f["type"] == "event" and f["payload"]["event"] == name


def _clock_in(slot: int) -> Any:
    return lambda f: _event("clock")(f) and f["payload"]["data"]["slot_index"] == slot


async def _until_pong(c: Client) -> list[dict[str, Any]]:
    """Every frame delivered before a ping's reply: what the server had sent by then."""
    _, seen = await c.request("ping")
    return seen


async def test_the_clock_at_join_and_meeting_start_at_the_slot_boundary(
    live: LiveServer, http: httpx.AsyncClient, clock: SetClock
) -> None:
    ls = await live_session(http)
    topic = f"matchmaking:{ls.s.id}"
    clock.at(SLOT0 - timedelta(minutes=3))
    async with ws_connect(live, ls.buyer.token) as bws, \
            ws_connect(live, ls.other_buyer.token) as ows:
        buyer, other = Client(bws), Client(ows)
        joined, _ = await buyer.request("join", topic)
        assert joined["type"] == "joined"
        first, _ = await buyer.recv_until(_event("clock"))
        assert first["payload"]["data"] == {
            "now": clock.now.isoformat(), "session_status": "live",
            "slot_index": None, "starts_at": None, "ends_at": None,
            "next_slot_index": 0, "next_starts_at": SLOT0.isoformat(), "grace_seconds": 300,
        }
        assert "seq" not in first["payload"]
        await other.request("join", topic)
        await other.recv_until(_event("clock"))
        await live.app.state.matchmaking_live.tick()

        clock.at(SLOT0)
        await live.app.state.matchmaking_live.tick()
        tick, _ = await buyer.recv_until(_clock_in(0))
        assert tick["payload"]["data"]["starts_at"] == SLOT0.isoformat()
        assert tick["payload"]["data"]["ends_at"] == (SLOT0 + timedelta(minutes=30)).isoformat()
        start, _ = await buyer.recv_until(_event("meeting.start"))
        assert start["payload"]["data"]["meeting_id"] == ls.meeting_id
        await other.recv_until(_clock_in(0))
        assert not [f for f in await _until_pong(other)
                    if f["type"] == "event" and f["payload"]["event"] == "meeting.start"]

    # Joining while the meeting runs: told where to go at once.
    async with ws_connect(live, ls.supplier.token) as sws:
        supplier = Client(sws)
        await supplier.request("join", topic)
        now, _ = await supplier.recv_until(_event("clock"))
        assert now["payload"]["data"]["slot_index"] == 0
        late, _ = await supplier.recv_until(_event("meeting.start"))
        assert late["payload"]["data"]["meeting_id"] == ls.meeting_id


async def test_a_third_party_is_refused_at_join_and_at_action(
    live: LiveServer, http: httpx.AsyncClient, clock: SetClock
) -> None:
    ls = await live_session(http)
    room = f"meeting:{ls.meeting_id}"
    outsider = await register(http, kind="buyer")
    for account in (outsider, ls.other_buyer, ls.s.organizer):
        async with ws_connect(live, account.token) as ws:
            c = Client(ws)
            for name in (room, f"meeting-rtc:{ls.meeting_id}.buyer",
                         f"meeting-rtc:{ls.meeting_id}.supplier", "meeting:999999"):
                refused, _ = await c.request("join", name)
                assert refused["payload"]["code"] == "topic_not_found", (account, name)
            acted, _ = await c.request("chat.send", room, body="let me in")
            assert acted["payload"]["code"] == "not_joined"
    async with ws_connect(live, ls.supplier.token) as ws:
        c = Client(ws)
        wrong_inbox, _ = await c.request("join", f"meeting-rtc:{ls.meeting_id}.buyer")
        assert wrong_inbox["payload"]["code"] == "topic_not_found"
        joined, _ = await c.request("join", room)
        assert joined["type"] == "joined"
        engine = create_engine(live.settings.effective_database_url)
        try:
            async with create_sessionmaker(engine)() as db:
                await db.execute(delete(Membership).where(
                    Membership.user_id == ls.supplier.user_id))
                await db.commit()
        finally:
            await engine.dispose()
        refused, _ = await c.request("chat.send", room, body="still here?")
        assert refused["payload"]["code"] == "topic_not_found"


async def test_chat_and_product_cards_reach_the_other_party_and_are_kept(
    live: LiveServer, http: httpx.AsyncClient, clock: SetClock
) -> None:
    ls = await live_session(http)
    room = f"meeting:{ls.meeting_id}"
    product = await create_product(http, ls.supplier, name="Frozen vannamei shrimp 31/40")
    stranger, _ = await register(http, kind="supplier"), None
    foreign = await create_product(http, stranger)
    async with ws_connect(live, ls.buyer.token) as bws, \
            ws_connect(live, ls.supplier.token) as sws:
        buyer, supplier = Client(bws), Client(sws)
        await buyer.request("join", room)
        await supplier.request("join", room)
        sent, _ = await buyer.request("chat.send", room, body="Hello from Valencia")
        assert sent["type"] == "reply", sent
        got, _ = await supplier.recv_until(_event("chat.message"))
        assert got["payload"]["data"]["body"] == "Hello from Valencia"
        assert got["payload"]["data"]["side"] == "buyer"
        assert got["payload"]["seq"] == sent["payload"]["seq"]

        shared, _ = await supplier.request("product.share", room, product_id=product["id"])
        assert shared["type"] == "reply", shared
        card, _ = await buyer.recv_until(_event("product.shared"))
        assert card["payload"]["data"]["product"]["name"] == "Frozen vannamei shrimp 31/40"
        assert card["payload"]["data"]["product"]["url"] == f"/products/{product['id']}"
        other, _ = await supplier.request("product.share", room, product_id=foreign["id"])
        assert other["payload"]["code"] == "product_not_in_catalog"
        empty, _ = await buyer.request("chat.send", room, body="  ")
        assert empty["payload"]["code"] == "invalid_body"

    # A reload replays what was said.
    async with ws_connect(live, ls.buyer.token) as ws:
        c = Client(ws)
        await c.request("join", room, last_seq=0)
        replayed = await c.events(room, 2)
        assert [e["payload"]["event"] for e in replayed] == ["chat.message", "product.shared"]


async def test_signalling_is_relayed_to_the_other_party_only_and_never_stored(
    live: LiveServer, http: httpx.AsyncClient, clock: SetClock
) -> None:
    ls = await live_session(http)
    room, mid = f"meeting:{ls.meeting_id}", ls.meeting_id
    async with ws_connect(live, ls.buyer.token) as bws, \
            ws_connect(live, ls.supplier.token) as sws:
        buyer, supplier = Client(bws), Client(sws)
        for c, side in ((buyer, "buyer"), (supplier, "supplier")):
            assert (await c.request("join", room))[0]["type"] == "joined"
            assert (await c.request("join", f"meeting-rtc:{mid}.{side}"))[0]["type"] == "joined"
        sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n"
        reply, _ = await buyer.request("rtc.offer", room, sdp=sdp, peer="tab-1")
        assert reply["payload"] == {"ok": True}
        offer, _ = await supplier.recv_until(_event("rtc.offer"))
        assert offer["topic"] == f"meeting-rtc:{mid}.supplier"
        assert offer["payload"]["data"]["sdp"] == sdp
        assert offer["payload"]["data"]["from_side"] == "buyer"
        assert offer["payload"]["data"]["peer"] == "tab-1"
        answered, _ = await supplier.request("rtc.answer", room, sdp="v=0\r\n")
        assert answered["type"] == "reply"
        ice, _ = await supplier.request("rtc.ice", room, candidate={
            "candidate": "candidate:1 1 udp 2122260223 192.168.1.4 54321 typ host",
            "sdpMid": "0", "sdpMLineIndex": 0})
        assert ice["type"] == "reply"
        seen = await _until_pong(buyer)
        got = [f["payload"]["event"] for f in seen if f["type"] == "event"]
        assert got == ["rtc.answer", "rtc.ice"]  # its own offer never came back
        assert not [f for f in await _until_pong(supplier)
                    if f["type"] == "event" and f["payload"]["event"].startswith("rtc.")]
        too_big, _ = await buyer.request("rtc.offer", room, sdp="x" * 20_001)
        assert too_big["payload"]["code"] == "invalid_signal"
    engine = create_engine(live.settings.effective_database_url)
    try:
        async with create_sessionmaker(engine)() as db:
            stored = await db.scalar(select(func.count()).select_from(TopicEvent)
                                     .where(TopicEvent.event.like("rtc.%")))
    finally:
        await engine.dispose()
    assert stored == 0


async def test_only_the_organizer_broadcasts_on_the_session_topic(
    live: LiveServer, http: httpx.AsyncClient, clock: SetClock
) -> None:
    ls = await live_session(http)
    topic = f"matchmaking:{ls.s.id}"
    async with ws_connect(live, ls.buyer.token) as bws, \
            ws_connect(live, ls.s.organizer.token) as ows:
        buyer, organizer = Client(bws), Client(ows)
        await buyer.request("join", topic)
        await organizer.request("join", topic)
        refused, _ = await buyer.request("broadcast.send", topic, body="Free samples for all")
        assert refused["type"] == "error"
        assert refused["payload"]["code"] == "organizer_required"
        sent, _ = await organizer.request("broadcast.send", topic, body="Slot 3 starts late")
        assert sent["type"] == "reply", sent
        heard, _ = await buyer.recv_until(_event("broadcast"))
        assert heard["payload"]["data"]["body"] == "Slot 3 starts late"
