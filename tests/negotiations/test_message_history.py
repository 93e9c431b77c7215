"""Paging back through a negotiation's history: `GET /negotiations/{id}/messages?before_seq=`."""

from __future__ import annotations

import httpx

from tests.factories import Deal, create_negotiation, register


async def _thread(client: httpx.AsyncClient, messages: int) -> Deal:
    """A negotiation with `messages` messages in all (seq 1 is the opening one)."""
    deal = await create_negotiation(client, message="message 1")
    for n in range(2, messages + 1):
        who = deal.supplier if n % 2 else deal.buyer
        r = await client.post(f"/api/v1/negotiations/{deal.negotiation_id}/messages",
                              json={"body": f"message {n}"}, headers=who.headers)
        assert r.status_code == 201, r.text
    return deal


async def test_pages_back_from_before_seq_to_the_first_message(client: httpx.AsyncClient) -> None:
    deal = await _thread(client, 7)
    url = f"/api/v1/negotiations/{deal.negotiation_id}/messages"
    seen: list[list[int]] = []
    cursor: str | None = "8"  # one past the last message: the newest page first
    while cursor is not None:
        r = await client.get(url, params={"before_seq": cursor, "limit": 3},
                             headers=deal.buyer.headers)
        assert r.status_code == 200, r.text
        seen.append([m["seq"] for m in r.json()["items"]])
        cursor = r.json()["next_cursor"]
    # Each page in order, each the one just below the previous; nothing skipped or repeated.
    assert seen == [[5, 6, 7], [2, 3, 4], [1]]


async def test_a_page_that_reaches_the_first_message_has_no_cursor(
    client: httpx.AsyncClient
) -> None:
    deal = await _thread(client, 4)
    r = await client.get(f"/api/v1/negotiations/{deal.negotiation_id}/messages",
                         params={"before_seq": 4, "limit": 3}, headers=deal.supplier.headers)
    body = r.json()
    assert [m["body"] for m in body["items"]] == ["message 1", "message 2", "message 3"]
    assert body["next_cursor"] is None
    empty = await client.get(f"/api/v1/negotiations/{deal.negotiation_id}/messages",
                             params={"before_seq": 1}, headers=deal.supplier.headers)
    assert empty.json() == {"items": [], "next_cursor": None}


async def test_bad_before_seq_is_422(client: httpx.AsyncClient) -> None:
    deal = await _thread(client, 2)
    url = f"/api/v1/negotiations/{deal.negotiation_id}/messages"
    for params in ({"before_seq": 0}, {"before_seq": -3}, {"before_seq": "ten"},
                   {"before_seq": 2**31}, {"before_seq": 2, "after_seq": 1}):
        r = await client.get(url, params=params, headers=deal.buyer.headers)
        assert r.status_code == 422, (params, r.text)
        assert r.json()["error"]["code"] == "validation_error"


async def test_another_org_cannot_page_back(client: httpx.AsyncClient) -> None:
    deal = await _thread(client, 3)
    outsider = await register(client, kind="buyer")
    r = await client.get(f"/api/v1/negotiations/{deal.negotiation_id}/messages",
                         params={"before_seq": 3}, headers=outsider.headers)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "negotiation_not_found"
