"""Agendas: a participant's own meetings in its own time zone, and as an iCalendar file."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from icalendar import Calendar
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import register
from tests.matchmaking.helpers import scheduled_board


async def test_a_participant_reads_its_agenda_in_its_own_zone(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    b = await scheduled_board(client, db)
    first = (await b.add(b.buyer(0), b.supplier(0), 0)).json()
    await b.add(b.buyer(1), b.supplier(1), 1)
    buyer = b.s.buyers[0][0]
    response = await client.get(f"{b.s.url}/agenda", headers=buyer.headers)
    assert response.status_code == 200, response.text
    agenda = response.json()
    assert agenda["time_zone"] == "Asia/Shanghai"
    assert [i["meeting_id"] for i in agenda["items"]] == [first["id"]]
    item = agenda["items"][0]
    assert item["starts_at"] == "2031-05-12T09:00:00+08:00"
    assert item["partner"]["participant_id"] == b.supplier(0)
    assert item["place"] == "Table 1"
    assert item["reasons"]
    assert all(r["text"] for r in item["reasons"])
    # The other buyer registered without a zone: its user's (UTC).
    other = await client.get(f"{b.s.url}/agenda", headers=b.s.buyers[1][0].headers)
    assert other.json()["items"][0]["starts_at"] == "2031-05-12T01:30:00Z"


async def test_nobody_else_reads_an_agenda(client: httpx.AsyncClient, db: AsyncSession) -> None:
    b = await scheduled_board(client, db)
    await b.add(b.buyer(0), b.supplier(0), 0)
    stranger = await register(client, kind="buyer")
    for account in (stranger, b.s.organizer):
        for path in ("agenda", "agenda.ics"):
            response = await client.get(f"{b.s.url}/{path}", headers=account.headers)
            assert response.status_code == 403, path
            assert response.json()["error"]["code"] == "registration_required"
    missing = await client.get("/api/v1/matchmaking-sessions/999999/agenda",
                               headers=stranger.headers)
    assert missing.status_code == 404


async def test_the_agenda_exports_as_a_valid_calendar(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    b = await scheduled_board(client, db)
    first = (await b.add(b.buyer(0), b.supplier(0), 0)).json()
    supplier = b.s.suppliers[0][0]
    response = await client.get(f"{b.s.url}/agenda.ics", headers=supplier.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    raw = response.content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded
    calendar = Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    uid = str(event["UID"])
    assert uid == f"meeting-{first['id']}@testserver"
    assert event.decoded("DTSTART") == datetime(2031, 5, 12, 1, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2031, 5, 12, 1, 30, tzinfo=UTC)
    assert b"DTSTART:20310512T010000Z" in raw
    assert event.decoded("SEQUENCE") == 0
    assert str(event["SUMMARY"]).startswith("Meeting with ")
    # Moving the meeting keeps its UID and raises its SEQUENCE.
    moved = await client.patch(f"{b.s.url}/meetings/{first['id']}", json={"slot_index": 1},
                               headers=b.s.organizer.headers)
    assert moved.status_code == 200, moved.text
    again = Calendar.from_ical(
        (await client.get(f"{b.s.url}/agenda.ics", headers=supplier.headers)).content)
    event = again.walk("VEVENT")[0]
    assert str(event["UID"]) == uid
    assert event.decoded("SEQUENCE") == 1
    assert event.decoded("DTSTART") == datetime(2031, 5, 12, 1, 30, tzinfo=UTC)


async def test_calendar_text_is_escaped(client: httpx.AsyncClient, db: AsyncSession) -> None:
    b = await scheduled_board(client, db)
    await b.add(b.buyer(0), b.supplier(0), 0)
    supplier = b.s.suppliers[0][0]
    renamed = await client.patch(
        f"/api/v1/organizations/{b.s.buyers[0][0].organization_id}",
        json={"name": "Mar, Pesca; y Compañía \\ Valencia"},
        headers=b.s.buyers[0][0].headers)
    assert renamed.status_code == 200, renamed.text
    raw = (await client.get(f"{b.s.url}/agenda.ics", headers=supplier.headers)).content
    unfolded = raw.replace(b"\r\n ", b"")
    assert "Mar\\, Pesca\\; y Compañía \\\\ Valencia".encode() in unfolded
    event = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Meeting with Mar, Pesca; y Compañía \\ Valencia"
