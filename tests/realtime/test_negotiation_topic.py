"""``negotiation:{id}`` over a real server: who may join and act, messages, typing, reads."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import delete, func, select

from app.db import create_engine, create_sessionmaker
from app.models import Membership, Message, TopicEvent
from tests.factories import Account, create_negotiation, register
from tests.realtime.conftest import Client, LiveServer, ws_connect


async def _account(http: httpx.AsyncClient, kind: str) -> Account:
    return await register(http, kind=kind)


async def test_only_the_two_orgs_may_join(live: LiveServer, http: httpx.AsyncClient) -> None:
    deal = await create_negotiation(http)
    outsider = await _account(http, "buyer")
    topic = f"negotiation:{deal.negotiation_id}"
    async with ws_connect(live, outsider.token) as ws:
        c = Client(ws)
        for name in (topic, "negotiation:999999", "negotiation:abc"):
            refused, _ = await c.request("join", name)
            assert refused["type"] == "error"
            assert refused["payload"]["code"] == "topic_not_found"
        action, _ = await c.request("message.send", topic, body="let me in")
        assert action["payload"]["code"] == "not_joined"
    for party in (deal.buyer, deal.supplier):
        async with ws_connect(live, party.token) as ws:
            joined, _ = await Client(ws).request("join", topic)
            assert joined["type"] == "joined"


async def test_a_message_sent_by_one_side_reaches_the_other_live(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    deal = await create_negotiation(http)
    topic = f"negotiation:{deal.negotiation_id}"
    async with ws_connect(live, deal.supplier.token) as sws, \
            ws_connect(live, deal.buyer.token) as bws:
        supplier, buyer = Client(sws), Client(bws)
        await supplier.request("join", topic)
        await buyer.request("join", topic)
        reply, _ = await buyer.request("message.send", topic, body="What is the shelf life?",
                                       client_msg_id="m-1")
        assert reply["type"] == "reply", reply
        assert reply["payload"]["message"]["seq"] == 2
        event, _ = await supplier.recv_until(
            lambda f: f["type"] == "event" and f["payload"]["event"] == "message.created")
        assert event["payload"]["data"]["message"]["body"] == "What is the shelf life?"
        assert event["payload"]["seq"] == reply["payload"]["seq"]

        retry, _ = await buyer.request("message.send", topic, body="What is the shelf life?",
                                       client_msg_id="m-1")
        assert retry["payload"]["duplicate"] is True

        typing, _ = await buyer.request("typing", topic)
        assert typing["payload"] == {"ok": True}
        seen, _ = await supplier.recv_until(
            lambda f: f["type"] == "event" and f["payload"]["event"] == "typing")
        assert "seq" not in seen["payload"]

        read, _ = await supplier.request("read", topic, seq=2)
        assert read["payload"]["last_read_seq"] == 2
        receipt, _ = await buyer.recv_until(
            lambda f: f["type"] == "event" and f["payload"]["event"] == "read")
        assert receipt["payload"]["data"]["organization_id"] == deal.supplier.organization_id

        bad, _ = await buyer.request("message.send", topic, body="")
        assert bad["payload"]["code"] == "invalid_body"

    engine = create_engine(live.settings.effective_database_url)
    try:
        async with create_sessionmaker(engine)() as db:
            messages = await db.scalar(select(func.count()).select_from(Message))
            typing_rows = await db.scalar(select(func.count()).select_from(TopicEvent)
                                          .where(TopicEvent.event == "typing"))
    finally:
        await engine.dispose()
    assert messages == 2
    assert typing_rows == 0


async def test_actions_are_refused_once_membership_ends(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    deal = await create_negotiation(http)
    topic = f"negotiation:{deal.negotiation_id}"
    async with ws_connect(live, deal.supplier.token) as ws:
        c = Client(ws)
        await c.request("join", topic)
        engine = create_engine(live.settings.effective_database_url)
        try:
            async with create_sessionmaker(engine)() as db:
                await db.execute(delete(Membership).where(
                    Membership.user_id == deal.supplier.user_id))
                await db.commit()
        finally:
            await engine.dispose()
        refused, _ = await c.request("message.send", topic, body="still here?")
        assert refused["type"] == "error"
        assert refused["payload"]["code"] == "topic_not_found"


async def test_offer_events_reach_the_thread(live: LiveServer, http: httpx.AsyncClient) -> None:
    from tests.factories import propose_offer

    deal = await create_negotiation(http)
    topic = f"negotiation:{deal.negotiation_id}"
    async with ws_connect(live, deal.buyer.token) as ws:
        c = Client(ws)
        await c.request("join", topic)
        offer = await propose_offer(http, deal)
        event, _ = await c.recv_until(
            lambda f: f["type"] == "event" and f["payload"]["event"] == "offer.proposed")
        assert event["payload"]["data"]["offer"]["id"] == offer["id"]
        assert event["payload"]["data"]["message"]["kind"] == "offer"




async def test_a_quick_reply_is_sent_by_key_over_the_topic(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    deal = await create_negotiation(http)
    topic = f"negotiation:{deal.negotiation_id}"
    async with ws_connect(live, deal.supplier.token) as sws, \
            ws_connect(live, deal.buyer.token) as bws:
        supplier, buyer = Client(sws), Client(bws)
        await supplier.request("join", topic)
        await buyer.request("join", topic)
        reply, _ = await buyer.request("message.send", topic, quick_reply="lead_time")
        assert reply["type"] == "reply", reply
        event, _ = await supplier.recv_until(
            lambda f: f["type"] == "event" and f["payload"]["event"] == "message.created")
        assert event["payload"]["data"]["message"]["data"] == {"quick_reply": "lead_time"}

        unknown, _ = await buyer.request("message.send", topic, quick_reply="nope")
        assert unknown["payload"]["code"] == "unknown_quick_reply"
        both, _ = await buyer.request("message.send", topic, body="hi", quick_reply="lead_time")
        assert both["payload"]["code"] == "validation_error"

    engine = create_engine(live.settings.effective_database_url)
    try:
        async with create_sessionmaker(engine)() as db:
            messages = await db.scalar(select(func.count()).select_from(Message))
    finally:
        await engine.dispose()
    assert messages == 2  # the opening message and the one quick reply


@pytest.mark.parametrize("client_msg_id", ["a\u0000b", "line\u0007", "x" * 65, 7])
async def test_a_client_msg_id_that_cannot_be_stored_is_an_invalid_frame(
    live: LiveServer, http: httpx.AsyncClient, client_msg_id: object
) -> None:
    """Refused before any statement: a NUL would fail in PostgreSQL as a server error."""
    deal = await create_negotiation(http)
    topic = f"negotiation:{deal.negotiation_id}"
    async with ws_connect(live, deal.buyer.token) as ws:
        buyer = Client(ws)
        await buyer.request("join", topic)
        refused, _ = await buyer.request("message.send", topic, body="Shelf life?",
                                         client_msg_id=client_msg_id)
        assert refused["type"] == "error", refused
        assert refused["payload"]["code"] == "invalid_frame"
        ok, _ = await buyer.request("message.send", topic, body="Shelf life?",
                                    client_msg_id="m-2")  # the socket is still open
        assert ok["type"] == "reply", ok
