"""Opening negotiations, messages, read marks: who may, who may not."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEntry, Message, Negotiation, OutboxEmail, TopicEvent
from tests.factories import (
    add_colleague,
    count_rows,
    create_negotiation,
    create_product,
    register,
)


async def test_buyer_opens_a_negotiation_and_the_supplier_sees_it(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    deal = await create_negotiation(client)
    n = deal.negotiation
    assert n["subject_title"] == deal.product["name"]
    assert n["buyer"]["id"] == deal.buyer.organization_id
    assert n["supplier"]["id"] == deal.supplier.organization_id
    assert n["your_side"] == "buyer"
    assert n["last_message_seq"] == 1
    assert n["unread_count"] == 0  # the buyer wrote the only message

    listed = await client.get("/api/v1/negotiations", headers=deal.supplier.headers)
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["id"] == deal.negotiation_id
    assert item["your_side"] == "supplier"
    assert item["unread_count"] == 1

    # The supplier's members are told: live on user:{id} and by email.
    events = (await db.scalars(select(TopicEvent).where(
        TopicEvent.topic == f"user:{deal.supplier.user_id}"))).all()
    assert [e.payload["kind"] for e in events] == ["negotiation.opened"]
    emails = (await db.scalars(select(OutboxEmail).where(
        OutboxEmail.to_address == deal.supplier.email))).all()
    assert len(emails) == 1
    audit = (await db.scalars(select(AuditEntry).where(
        AuditEntry.action == "negotiation.opened"))).all()
    assert len(audit) == 1


async def test_opening_again_returns_the_same_negotiation(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    deal = await create_negotiation(client)
    again = await client.post(
        "/api/v1/negotiations",
        json={"subject_type": "product", "subject_id": deal.product["id"], "message": "Hello?"},
        headers=deal.buyer.headers,
    )
    assert again.status_code == 200, again.text
    assert again.json()["id"] == deal.negotiation_id
    assert again.json()["last_message_seq"] == 2
    assert await count_rows(app, Negotiation) == 1


async def test_suppliers_cannot_open_negotiations(client: httpx.AsyncClient) -> None:
    supplier = await register(client, kind="supplier")
    other = await register(client, kind="supplier")
    product = await create_product(client, other)
    r = await client.post(
        "/api/v1/negotiations",
        json={"subject_type": "product", "subject_id": product["id"], "message": "Hi"},
        headers=supplier.headers,
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "buyer_required"


async def test_unknown_subject_is_404(client: httpx.AsyncClient) -> None:
    buyer = await register(client, kind="buyer")
    for subject_type in ("product", "booth"):
        r = await client.post(
            "/api/v1/negotiations",
            json={"subject_type": subject_type, "subject_id": 999999, "message": "Hi"},
            headers=buyer.headers,
        )
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "subject_not_found"


async def test_a_third_org_gets_404_everywhere(client: httpx.AsyncClient) -> None:
    deal = await create_negotiation(client)
    outsider = await register(client, kind="buyer")
    nid = deal.negotiation_id
    calls = [
        client.get(f"/api/v1/negotiations/{nid}", headers=outsider.headers),
        client.get(f"/api/v1/negotiations/{nid}/messages", headers=outsider.headers),
        client.post(f"/api/v1/negotiations/{nid}/messages", json={"body": "hi"},
                    headers=outsider.headers),
        client.post(f"/api/v1/negotiations/{nid}/read", json={"seq": 1},
                    headers=outsider.headers),
        client.get(f"/api/v1/negotiations/{nid}/offers", headers=outsider.headers),
    ]
    for call in calls:
        r = await call
        assert r.status_code == 404, r.text
        assert r.json()["error"]["code"] == "negotiation_not_found"
    listed = await client.get("/api/v1/negotiations", headers=outsider.headers)
    assert listed.json()["items"] == []
    anonymous = await client.get(f"/api/v1/negotiations/{nid}")
    assert anonymous.status_code == 401


async def test_colleagues_of_both_sides_take_part(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    deal = await create_negotiation(client)
    colleague = await add_colleague(client, db, deal.supplier)
    r = await client.post(
        f"/api/v1/negotiations/{deal.negotiation_id}/messages",
        json={"body": "My colleague is away; I can quote today."}, headers=colleague.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["seq"] == 2
    assert r.json()["sender_org_id"] == deal.supplier.organization_id


async def test_messages_are_numbered_and_paged_after_seq(client: httpx.AsyncClient) -> None:
    deal = await create_negotiation(client)
    for i in range(4):
        who = deal.supplier if i % 2 else deal.buyer
        r = await client.post(f"/api/v1/negotiations/{deal.negotiation_id}/messages",
                              json={"body": f"message {i}"}, headers=who.headers)
        assert r.status_code == 201
    page = await client.get(
        f"/api/v1/negotiations/{deal.negotiation_id}/messages?after_seq=1&limit=2",
        headers=deal.supplier.headers,
    )
    body = page.json()
    assert [m["seq"] for m in body["items"]] == [2, 3]
    assert body["next_cursor"] == "3"
    rest = await client.get(
        f"/api/v1/negotiations/{deal.negotiation_id}/messages?after_seq=3",
        headers=deal.supplier.headers,
    )
    assert [m["body"] for m in rest.json()["items"]] == ["message 2", "message 3"]
    assert rest.json()["next_cursor"] is None


async def test_retried_client_msg_id_is_stored_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    deal = await create_negotiation(client)
    url = f"/api/v1/negotiations/{deal.negotiation_id}/messages"
    body = {"body": "Price for 2 containers?", "client_msg_id": "c-1"}
    first = await client.post(url, json=body, headers=deal.buyer.headers)
    retry = await client.post(url, json=body, headers=deal.buyer.headers)
    assert first.status_code == 201
    assert retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]
    assert await count_rows(app, Message, Message.client_msg_id == "c-1") == 1


async def test_read_marks_are_per_org_and_only_move_forward(client: httpx.AsyncClient) -> None:
    deal = await create_negotiation(client)
    nid = deal.negotiation_id
    await client.post(f"/api/v1/negotiations/{nid}/messages", json={"body": "second"},
                      headers=deal.buyer.headers)
    r = await client.post(f"/api/v1/negotiations/{nid}/read", json={"seq": 2},
                          headers=deal.supplier.headers)
    assert r.json()["last_read_seq"] == 2
    back = await client.post(f"/api/v1/negotiations/{nid}/read", json={"seq": 1},
                             headers=deal.supplier.headers)
    assert back.json()["last_read_seq"] == 2
    beyond = await client.post(f"/api/v1/negotiations/{nid}/read", json={"seq": 99},
                               headers=deal.supplier.headers)
    assert beyond.json()["last_read_seq"] == 2  # capped at the last message
    seen = await client.get(f"/api/v1/negotiations/{nid}", headers=deal.supplier.headers)
    assert seen.json()["unread_count"] == 0
    buyer_view = await client.get(f"/api/v1/negotiations/{nid}", headers=deal.buyer.headers)
    assert buyer_view.json()["other_side_read_seq"] == 2


# --- quick replies ----------------------------------------------------------------------------


async def test_a_quick_reply_is_stored_by_key_with_its_english_text(
    client: httpx.AsyncClient,
) -> None:
    deal = await create_negotiation(client)
    listed = await client.get("/api/v1/negotiations/quick-replies", headers=deal.buyer.headers)
    assert listed.status_code == 200
    texts = {q["key"]: q["text"] for q in listed.json()}
    assert texts["shelf_life"] == "What is the shelf life?"
    assert len(texts) >= 10

    url = f"/api/v1/negotiations/{deal.negotiation_id}/messages"
    sent = await client.post(url, json={"quick_reply": "shelf_life"}, headers=deal.buyer.headers)
    assert sent.status_code == 201, sent.text
    message = sent.json()
    assert message["kind"] == "text"
    assert message["data"] == {"quick_reply": "shelf_life"}
    assert message["body"] == "What is the shelf life?"
    read = await client.get(f"{url}?after_seq=1", headers=deal.supplier.headers)
    assert [m["data"] for m in read.json()["items"]] == [{"quick_reply": "shelf_life"}]


async def test_an_unknown_quick_reply_or_both_fields_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    deal = await create_negotiation(client)
    url = f"/api/v1/negotiations/{deal.negotiation_id}/messages"
    before = await count_rows(app, Message)

    unknown = await client.post(url, json={"quick_reply": "free_shipping_forever"},
                                headers=deal.buyer.headers)
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "unknown_quick_reply"

    both = await client.post(url, json={"body": "Hi", "quick_reply": "shelf_life"},
                             headers=deal.buyer.headers)
    assert both.status_code == 422
    assert both.json()["error"]["code"] == "validation_error"

    neither = await client.post(url, json={}, headers=deal.buyer.headers)
    assert neither.status_code == 422
    assert await count_rows(app, Message) == before


async def test_outsiders_cannot_send_quick_replies(client: httpx.AsyncClient) -> None:
    deal = await create_negotiation(client)
    outsider = await register(client, kind="buyer")
    r = await client.post(f"/api/v1/negotiations/{deal.negotiation_id}/messages",
                          json={"quick_reply": "shelf_life"}, headers=outsider.headers)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "negotiation_not_found"
