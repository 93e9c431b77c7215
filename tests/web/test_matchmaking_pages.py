"""Matchmaking pages: who sees each one, what the forms refuse and say, the scheduler run
from the admin page, reasons in the reader's language and agendas in the reader's zone.

Sessions and registrations are set up through the API (tests/matchmaking/helpers.py); the
pages are driven as a browser would: signed in through /login, forms posted with the CSRF
token read from the page.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Meeting, MeetingRequest, ScheduleJob
from tests.factories import Account, create_event, open_expo, register
from tests.matchmaking.helpers import (
    Setup,
    close_registration,
    register_buyer,
    register_supplier,
    request_meeting,
    session_body,
    setup,
)
from tests.matchmaking.scheduling import run_schedule
from tests.web.helpers import Browser, csrf_from, get_page, post_form, text_of


async def submit(browser: httpx.AsyncClient, page_path: str, action: str,
                 fields: dict[str, str | list[str]]) -> httpx.Response:
    """Open a page, then post one of its forms with the page's CSRF token."""
    page = await get_page(browser, page_path)
    assert page.status_code == 200, page.text
    return await post_form(browser, action, {"csrf_token": csrf_from(page.text), **fields})


async def madrid_buyer(client: httpx.AsyncClient, **extra: str) -> Account:
    return await register(client, kind="buyer", country="ES", time_zone="Europe/Madrid",
                          **extra)


async def scheduled(client: httpx.AsyncClient, app: FastAPI) -> tuple[Setup, Account]:
    """A session with a Madrid buyer and a supplier, registration closed, scheduled."""
    s = await setup(client)
    buyer = await madrid_buyer(client)
    await register_buyer(s, buyer, time_zone="Europe/Madrid")
    await register_supplier(s)
    await close_registration(s)
    await run_schedule(s)
    return s, buyer


# --- the event page ------------------------------------------------------------------------


async def test_event_page_lists_sessions_with_a_register_button(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    s = await setup(client)
    buyer = await madrid_buyer(client)
    page = await get_page(await browser_for(buyer), f"/events/{s.expo.event_id}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Matchmaking" in text
    assert s.session["title"] in text
    assert f'href="/matchmaking/{s.id}/register"' in page.text
    # 09:00 in Fuqing is 03:00 in Madrid (CEST) on 12 May 2031.
    assert "May 12, 2031, 3:00 AM (Europe/Madrid)" in text


async def test_event_page_without_sessions_tells_the_organizer_to_open_one(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    expo = await open_expo(client)
    page = await get_page(await browser_for(expo.organizer), f"/events/{expo.event_id}")
    assert "No matchmaking sessions yet." in text_of(page.text)
    assert f"/organizer/events/{expo.event_id}/matchmaking/new" in page.text
    visitor = await get_page(client, f"/events/{expo.event_id}")
    assert "No matchmaking sessions yet." in text_of(visitor.text)
    assert "/matchmaking/new" not in visitor.text


# --- the organizer's form and admin page ---------------------------------------------------


async def test_organizer_creates_a_session_and_sees_errors_next_to_fields(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    s = await setup(client)
    browser = await browser_for(s.organizer)
    path = f"/organizer/events/{s.expo.event_id}/matchmaking/new"
    fields: dict[str, str | list[str]] = {
        "title": "Buyers from Spain", "windows-0-date": "2031-05-13",
        "windows-0-start": "09:00", "windows-0-end": "11:00", "breaks-0-start": "",
        "breaks-0-end": "", "slot_minutes": "900", "max_meetings": "6", "capacity": "",
        "registration_deadline": "2031-05-12T18:00", "request_quota": "10",
        "daily_request_cap": "30", "request_ttl_hours": "48",
    }
    refused = await submit(browser, path, path, fields)
    assert refused.status_code == 422
    assert 'id="e-slot_minutes"' in refused.text
    assert "A slot lasts 5 to 240 minutes." in text_of(refused.text)
    assert 'value="Buyers from Spain"' in refused.text  # what was typed stays

    outside = await submit(browser, path, path, {**fields, "slot_minutes": "30",
                                                 "windows-0-date": "2031-06-20"})
    assert outside.status_code == 422
    assert 'id="e-windows"' in outside.text
    assert "Every window must lie within the event's dates." in text_of(outside.text)

    created = await submit(browser, path, path, {**fields, "slot_minutes": "30"})
    assert created.status_code == 303, created.text
    admin = await get_page(browser, created.headers["location"])
    assert admin.status_code == 200
    assert "The session is open for registration." in text_of(admin.text)
    assert "Nobody has registered yet." in text_of(admin.text)


async def test_only_the_organizer_opens_the_admin_page_and_the_forms(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    s = await setup(client)
    buyer, _ = await register_buyer(s)
    participant = await browser_for(buyer)
    for path in (f"/matchmaking/{s.id}/admin", f"/matchmaking/{s.id}/edit",
                 f"/organizer/events/{s.expo.event_id}/matchmaking/new"):
        assert (await get_page(participant, path)).status_code == 403, path
    other_organizer = await browser_for((await setup(client)).organizer)
    assert (await get_page(other_organizer, f"/matchmaking/{s.id}/admin")).status_code == 403
    assert (await get_page(client, f"/matchmaking/{s.id}/admin")).status_code in (302, 303)
    assert (await get_page(await browser_for(s.organizer),
                           f"/matchmaking/{s.id}/admin")).status_code == 200


async def test_a_session_of_a_draft_event_does_not_exist_for_others(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    s = await setup(client)
    event = await create_event(client, s.organizer)  # left as a draft
    made = await client.post(f"/api/v1/events/{event['id']}/matchmaking-sessions",
                             json=session_body(), headers=s.organizer.headers)
    assert made.status_code == 201, made.text
    outsider = await browser_for(await register(client, kind="buyer"))
    hidden = made.json()["id"]
    for path in (f"/matchmaking/{hidden}", f"/matchmaking/{hidden}/admin",
                 f"/matchmaking/{hidden}/register", f"/matchmaking/{hidden}/agenda"):
        assert (await get_page(outsider, path)).status_code == 404, path


async def test_the_run_button_starts_a_job_and_the_admin_page_shows_its_result(
    app: FastAPI, client: httpx.AsyncClient, browser_for: Browser, db: AsyncSession
) -> None:
    s = await setup(client)
    await register_buyer(s)
    await register_supplier(s)
    browser = await browser_for(s.organizer)
    admin = f"/matchmaking/{s.id}/admin"
    early = await submit(browser, admin, f"/matchmaking/{s.id}/schedule", {})
    assert early.status_code == 409  # registration still open: said on the page
    assert "Registration is open" in text_of(early.text)
    await close_registration(s)
    started = await submit(browser, admin, f"/matchmaking/{s.id}/schedule", {})
    assert started.status_code == 303, started.text
    assert await db.scalar(select(ScheduleJob.id).where(ScheduleJob.session_id == s.id))
    await app.state.matchmaking_jobs.wait_idle()
    page = await get_page(browser, admin)
    text = text_of(page.text)
    assert "Meetings placed" in text
    assert "Gap to the bound" in text
    assert 'data-meeting-id="' in page.text
    parts = await get_page(browser, f"{admin}/parts")
    assert parts.status_code == 200
    assert 'id="admin-parts"' in parts.text


async def test_hand_edits_lock_swap_and_delete_from_the_meetings_table(
    app: FastAPI, client: httpx.AsyncClient, browser_for: Browser, db: AsyncSession
) -> None:
    s, _buyer = await scheduled(client, app)
    browser = await browser_for(s.organizer)
    admin = f"/matchmaking/{s.id}/admin"
    meeting_id = await db.scalar(select(Meeting.id).where(Meeting.session_id == s.id))
    assert meeting_id is not None
    locked = await submit(browser, admin, f"/matchmaking/{s.id}/meetings/{meeting_id}/lock",
                          {"locked": "1"})
    assert locked.status_code == 303
    assert await db.scalar(select(Meeting.locked).where(Meeting.id == meeting_id)) is True
    one = await submit(browser, admin, f"/matchmaking/{s.id}/meetings/swap",
                       {"meeting_ids": [str(meeting_id)]})
    assert one.status_code == 422
    assert "Tick exactly two meetings to swap them." in text_of(one.text)
    deleted = await submit(browser, admin, f"/matchmaking/{s.id}/meetings/{meeting_id}/delete",
                           {})
    assert deleted.status_code == 303
    db.expire_all()
    assert await db.scalar(select(Meeting.id).where(Meeting.id == meeting_id)) is None


# --- the participant's pages ---------------------------------------------------------------


async def test_a_buyer_registers_through_the_form_with_errors_next_to_fields(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    s = await setup(client)
    buyer = await madrid_buyer(client)
    browser = await browser_for(buyer)
    path = f"/matchmaking/{s.id}/register"
    form = await get_page(browser, path)
    assert "Europe/Madrid" in form.text  # the zone availability is entered in
    fields: dict[str, str | list[str]] = {
        "categories": ["frozen_shrimp"], "hs_codes": "0306, 99x", "species": "",
        "certifications": ["BAP"], "incoterms": ["CFR"], "yearly_volume": "20",
        "volume_unit": "t", "price_min": "", "price_max": "7", "currency": "USD",
        "destination_port": "Valencia", "destination_market": "", "time_zone": "Europe/Madrid",
        "availability-0-date": "2031-05-12", "availability-0-start": "03:00",
        "availability-0-end": "05:00", "max_meetings": "", "languages": ["es", "en"],
        "note": "",
    }
    bad_hs = await submit(browser, path, path, fields)
    assert bad_hs.status_code == 422
    assert 'id="e-hs_codes"' in bad_hs.text
    assert "Enter HS codes of 2 to 10 digits" in text_of(bad_hs.text)
    outside = await submit(browser, path, path, {**fields, "hs_codes": "0306",
                                                 "availability-0-date": "2031-05-14"})
    assert outside.status_code == 422
    assert "This window is outside the session's slots" in text_of(outside.text)
    saved = await submit(browser, path, path, {**fields, "hs_codes": "0306"})
    assert saved.status_code == 303, saved.text
    again = await get_page(browser, saved.headers["location"])
    assert "Your registration is saved." in text_of(again.text)
    assert 'value="03:00"' in again.text  # shown back in the buyer's zone
    mine = await client.get(f"{s.url}/participants/me", headers=buyer.headers)
    assert mine.json()["needs"]["hs_codes"] == ["0306"]


async def test_a_supplier_without_an_approved_booth_is_told_what_to_do(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    s = await setup(client)
    supplier = await register(client, kind="supplier")
    browser = await browser_for(supplier)
    path = f"/matchmaking/{s.id}/register"
    refused = await submit(browser, path, path, {"time_zone": "Asia/Shanghai"})
    assert refused.status_code == 403
    assert "Suppliers need an approved booth in this event" in text_of(refused.text)


async def test_recommendations_requests_and_answers_through_the_pages(
    client: httpx.AsyncClient, browser_for: Browser, db: AsyncSession
) -> None:
    s = await setup(client)
    buyer, _ = await register_buyer(s)
    supplier, supplier_read = await register_supplier(s)
    buying = await browser_for(buyer)
    recommendations = f"/matchmaking/{s.id}/recommendations"
    page = await get_page(buying, recommendations)
    assert page.status_code == 200
    assert "Request meeting" in page.text
    assert "Sells" in text_of(page.text)  # a reason, worded for the buyer
    sent = await submit(buying, recommendations, f"/matchmaking/{s.id}/requests",
                        {"recipient_id": str(supplier_read["id"]), "note": "Shrimp for Spain"})
    assert sent.status_code == 303, sent.text
    twice = await submit(buying, recommendations, f"/matchmaking/{s.id}/requests",
                         {"recipient_id": str(supplier_read["id"]), "note": ""})
    assert twice.status_code == 409
    assert "There already is an open meeting request" in text_of(twice.text)

    selling = await browser_for(supplier)
    requests = await get_page(selling, f"/matchmaking/{s.id}/requests")
    text = text_of(requests.text)
    assert "Shrimp for Spain" in text
    assert "Expires in 2 days" in text  # relative, next to the absolute time
    request_id = await db.scalar(select(MeetingRequest.id)
                                 .where(MeetingRequest.session_id == s.id))
    # Another organization cannot answer it: it does not exist for them.
    stranger = await browser_for((await register_buyer(s))[0])
    refused = await submit(stranger, f"/matchmaking/{s.id}/requests",
                           f"/matchmaking/{s.id}/requests/{request_id}/accept", {})
    assert refused.status_code == 404
    accepted = await submit(selling, f"/matchmaking/{s.id}/requests",
                            f"/matchmaking/{s.id}/requests/{request_id}/accept", {})
    assert accepted.status_code == 303, accepted.text
    after = await get_page(selling, accepted.headers["location"])
    assert "You accepted" in text_of(after.text)


async def test_a_chinese_ui_user_reads_the_reasons_in_chinese(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    s = await setup(client)
    buyer, _ = await register_buyer(s)
    await register_supplier(s)
    browser = await browser_for(buyer)
    browser.cookies.set("th_lang", "zh")
    page = await get_page(browser, f"/matchmaking/{s.id}/recommendations")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "申请会面" in text or "请求会面" in text
    assert "Sells" not in text
    assert "持有" in text or "出售" in text


async def test_recommendations_need_a_registration_first(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    s = await setup(client)
    browser = await browser_for(await register(client, kind="buyer"))
    for path in ("recommendations", "requests", "agenda"):
        page = await get_page(browser, f"/matchmaking/{s.id}/{path}")
        assert page.status_code == 403, path
        assert "Register your organization for this session first." in text_of(page.text)


async def test_the_agenda_shows_meetings_in_the_viewers_zone_with_a_calendar_file(
    app: FastAPI, client: httpx.AsyncClient, browser_for: Browser
) -> None:
    s, buyer = await scheduled(client, app)
    browser = await browser_for(buyer)
    page = await get_page(browser, f"/matchmaking/{s.id}/agenda")
    assert page.status_code == 200
    text = text_of(page.text)
    # Slots run 09:00-12:00 in Fuqing: 03:00-06:00 in Madrid.
    assert "(Europe/Madrid)" in text
    assert "May 12, 2031, 3:00 AM" in text
    assert "Asia/Shanghai" not in text
    assert "Download calendar (.ics)" in text
    calendar = await browser.get(f"/matchmaking/{s.id}/agenda.ics")
    assert calendar.status_code == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in calendar.content


async def test_the_agenda_says_when_nothing_is_scheduled_yet(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    s = await setup(client)
    buyer, _ = await register_buyer(s)
    page = await get_page(await browser_for(buyer), f"/matchmaking/{s.id}/agenda")
    assert page.status_code == 200
    assert "Not scheduled yet." in text_of(page.text)


async def test_registration_closed_says_so_to_who_did_not_register(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    s = await setup(client)
    await close_registration(s)
    page = await get_page(await browser_for(await register(client, kind="buyer")),
                          f"/matchmaking/{s.id}/register")
    assert page.status_code == 200
    assert "Registration is closed." in text_of(page.text)
    assert "<form method=\"post\" action=\"/matchmaking/" not in page.text


async def test_a_pending_request_is_withdrawn_by_its_sender_only(
    client: httpx.AsyncClient, browser_for: Browser, db: AsyncSession
) -> None:
    s = await setup(client)
    buyer, _ = await register_buyer(s)
    supplier, supplier_read = await register_supplier(s)
    sent = await request_meeting(s, buyer, supplier_read["id"])
    request_id = sent.json()["id"]
    selling = await browser_for(supplier)
    path = f"/matchmaking/{s.id}/requests"
    refused = await submit(selling, path, f"{path}/{request_id}/cancel", {})
    assert refused.status_code == 403
    withdrawn = await submit(await browser_for(buyer), path, f"{path}/{request_id}/cancel", {})
    assert withdrawn.status_code == 303
    assert await db.scalar(select(MeetingRequest.status)
                           .where(MeetingRequest.id == request_id)) == "cancelled"
