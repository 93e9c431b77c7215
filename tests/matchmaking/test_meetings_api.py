"""The organizer's hand edits of meetings: add, move, swap, lock, delete — each checked
against the scheduler's rules, each told to both parties."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import MatchmakingSession, TopicEvent
from tests.factories import register
from tests.matchmaking.helpers import register_buyer, register_supplier, scheduled_board, setup


def code_of(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])


async def test_hand_added_meetings_keep_every_rule(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    b = await scheduled_board(client, db)
    first = await b.add(b.buyer(0), b.supplier(0), 0)
    assert first.status_code == 201, first.text
    made = first.json()
    assert (made["table_number"], made["locked"], made["source"]) == (1, True, "organizer")
    assert made["reasons"]  # scored like any other pair
    cases: list[tuple[tuple[int, int, int], int, str]] = [
        ((b.buyer(1), b.supplier(0), 0), 409, "participant_busy"),
        ((b.buyer(1), b.supplier(1), 0), 409, "slot_full"),
        ((b.buyer(0), b.supplier(1), 3), 409, "participant_unavailable"),
        ((b.buyer(0), b.supplier(0), 1), 409, "pair_already_meets"),
        ((b.buyer(1), b.supplier(1), 99), 422, "invalid_slot"),
        ((b.supplier(1), b.buyer(1), 2), 422, "wrong_side"),
    ]
    for (buyer, supplier, slot), status, code in cases:
        response = await b.add(buyer, supplier, slot)
        assert response.status_code == status, (code, response.text)
        assert code_of(response) == code
    assert (await b.add(b.buyer(1), b.supplier(1), 1)).status_code == 201
    assert (await b.add(b.buyer(1), b.supplier(2), 2)).status_code == 201
    over = await b.add(b.buyer(1), b.supplier(0), 3)
    assert over.status_code == 409
    assert code_of(over) == "max_meetings_reached"


async def test_only_the_organizer_edits_meetings(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    b = await scheduled_board(client, db)
    made = (await b.add(b.buyer(0), b.supplier(0), 0)).json()
    buyer = b.s.buyers[0][0]
    other_organizer = await register(client, kind="organizer")
    for account in (buyer, other_organizer):
        add = await b.add(b.buyer(1), b.supplier(1), 1, account)
        assert add.status_code == 403, add.text
        patch = await client.patch(f"{b.s.url}/meetings/{made['id']}", json={"locked": False},
                                   headers=account.headers)
        assert patch.status_code == 403
        delete = await client.delete(f"{b.s.url}/meetings/{made['id']}",
                                     headers=account.headers)
        assert delete.status_code == 403
    elsewhere = await setup(client)
    await db.execute(update(MatchmakingSession).where(MatchmakingSession.id == elsewhere.id)
                     .values(status="scheduled"))
    await db.commit()
    wrong = await client.patch(f"{elsewhere.url}/meetings/{made['id']}",
                               json={"locked": False}, headers=elsewhere.organizer.headers)
    assert wrong.status_code == 404
    assert code_of(wrong) == "meeting_not_found"


async def test_moves_and_swaps_raise_the_sequence_and_tell_both_parties(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    b = await scheduled_board(client, db)
    first = (await b.add(b.buyer(0), b.supplier(0), 0)).json()
    second = (await b.add(b.buyer(1), b.supplier(1), 1)).json()
    swapped = await client.post(f"{b.s.url}/meetings/swap",
                                json={"first_id": first["id"], "second_id": second["id"]},
                                headers=b.s.organizer.headers)
    assert swapped.status_code == 200, swapped.text
    after = {m["id"]: m for m in swapped.json()}
    assert (after[first["id"]]["slot_index"], after[second["id"]]["slot_index"]) == (1, 0)
    assert after[first["id"]]["sequence"] == 1
    assert after[first["id"]]["table_number"] == 1
    supplier = b.s.suppliers[0][0]
    kinds = [e.payload["kind"] for e in await db.scalars(select(TopicEvent).where(
        TopicEvent.topic == f"user:{supplier.user_id}"))]
    assert "meeting.changed" in kinds
    unavailable = await client.patch(f"{b.s.url}/meetings/{first['id']}",
                                     json={"slot_index": 4}, headers=b.s.organizer.headers)
    assert unavailable.status_code == 409
    assert code_of(unavailable) == "participant_unavailable"
    moved = await client.patch(f"{b.s.url}/meetings/{second['id']}",
                               json={"slot_index": 5, "locked": False},
                               headers=b.s.organizer.headers)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["slot_index"], moved.json()["sequence"]) == (5, 2)
    assert moved.json()["locked"] is False
    assert moved.json()["starts_at"] == "2031-05-12T11:30:00+08:00"


async def test_deleting_a_meeting_tells_both_parties(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    b = await scheduled_board(client, db)
    made = (await b.add(b.buyer(0), b.supplier(0), 0)).json()
    response = await client.delete(f"{b.s.url}/meetings/{made['id']}",
                                   headers=b.s.organizer.headers)
    assert response.status_code == 204
    for account, _ in (b.s.buyers[0], b.s.suppliers[0]):
        kinds = [e.payload["kind"] for e in await db.scalars(select(TopicEvent).where(
            TopicEvent.topic == f"user:{account.user_id}"))]
        assert "meeting.cancelled" in kinds
    assert (await client.get(f"{b.s.url}/meetings", headers=b.s.organizer.headers)
            ).json()["items"] == []


async def test_meetings_are_not_edited_during_registration(client: httpx.AsyncClient) -> None:
    s = await setup(client)
    await register_buyer(s)
    await register_supplier(s)
    response = await client.post(
        f"{s.url}/meetings",
        json={"buyer_id": s.buyers[0][1]["id"], "supplier_id": s.suppliers[0][1]["id"],
              "slot_index": 0},
        headers=s.organizer.headers)
    assert response.status_code == 409
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "matchmaking_status_conflict"
    assert "edit_meetings" not in error["details"]["allowed_actions"]
