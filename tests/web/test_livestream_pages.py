"""The livestream pages: an event's schedule of shows (in the viewer's zone, with reminders),
the room as each kind of viewer gets it (with the host's "Recording URL" form after the show),
the funnel for moderators only, and the booth's form that schedules a show (refusals next to
their field)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI

from app.web import livestream_pages
from app.web.i18n import format_time
from tests.factories import move_event, register
from tests.livestreams.helpers import (
    LiveShow,
    create_show,
    end_show,
    live_show_setup,
    pin,
    send_chat,
    start_show,
)
from tests.livestreams.sales_helpers import publish_flash
from tests.web.helpers import Browser, csrf_from, get_page, new_browser, post_form, text_of

MADRID = ZoneInfo("Europe/Madrid")


async def _as(browser_for: Browser, live: LiveShow, who: str) -> httpx.AsyncClient:
    return await browser_for({"host": live.host, "buyer": live.buyer,
                              "organizer": live.organizer}[who])


async def test_schedule_lists_live_upcoming_and_past_shows_in_the_viewers_zone(
    client: httpx.AsyncClient, app: FastAPI, browser_for: Browser
) -> None:
    live = await live_show_setup(client, title="Shrimp grading live")
    starts = datetime(2031, 3, 4, 9, 30, tzinfo=UTC)
    upcoming = await create_show(client, live.host, live.booth_id, title="Squid season preview",
                                 scheduled_start=starts.isoformat())
    past = await create_show(client, live.host, live.booth_id, title="Last week's harvest",
                             recording_url="https://stream.example.com/rec/harvest.mp4")
    await start_show(client, live.host, int(past["id"]))
    await end_show(client, live.host, int(past["id"]))
    viewer = await register(client, kind="buyer", country="ES", time_zone="Europe/Madrid")

    browser = await browser_for(viewer)
    page = await get_page(browser, f"/events/{live.event_id}/livestreams")
    assert page.status_code == 200, page.text
    text = text_of(page.text)
    assert text.index("Shrimp grading live") < text.index("Squid season preview") < text.index(
        "Last week's harvest")
    assert format_time(starts, MADRID, "en") in page.text  # 10:30 in Madrid, zone named
    assert f'href="/livestreams/{live.show_id}"' in page.text
    assert "Watch" in text
    assert "Replay" in text
    assert "Remind me" in text
    assert f'href="/booths/{live.booth_id}"' in page.text

    # "Remind me" is a form; it comes back to the schedule with the reminder set.
    reminded = await post_form(browser, f"/livestreams/{upcoming['id']}/follow", {
        "csrf_token": csrf_from(page.text), "follow": "1",
        "next": f"/events/{live.event_id}/livestreams"})
    assert reminded.status_code == 303
    assert reminded.headers["location"].startswith(f"/events/{live.event_id}/livestreams")
    again = await get_page(browser, f"/events/{live.event_id}/livestreams")
    assert "Reminder set" in text_of(again.text)

    anonymous = await get_page(client, f"/events/{live.event_id}/livestreams")
    assert anonymous.status_code == 200
    assert "Sign in to get a reminder" in text_of(anonymous.text)


async def test_schedule_without_a_live_show_says_what_to_do(
    client: httpx.AsyncClient,
) -> None:
    live = await live_show_setup(client, live=False)
    page = await get_page(client, f"/events/{live.event_id}/livestreams")
    text = text_of(page.text)
    assert "No show is live right now." in text
    assert "Set a reminder on an upcoming show below" in text


async def test_a_long_schedule_pages_on_with_more_shows(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(livestream_pages, "SCHEDULE_PAGE", 2)
    live = await live_show_setup(client, title="Live grading")
    for title, day in (("First preview", 1), ("Second preview", 2)):
        await create_show(client, live.host, live.booth_id, title=title,
                          scheduled_start=datetime(2031, 3, day, 9, tzinfo=UTC).isoformat())
    past = await create_show(client, live.host, live.booth_id, title="Past harvest")
    await start_show(client, live.host, int(past["id"]))
    await end_show(client, live.host, int(past["id"]))
    schedule = f"/events/{live.event_id}/livestreams"

    titles = ("Live grading", "First preview", "Second preview", "Past harvest")

    def shown(page: httpx.Response) -> list[str]:
        assert page.status_code == 200, page.text
        return [t for t in titles if t in text_of(page.text)]

    first = await get_page(client, schedule)
    assert shown(first) == ["Live grading", "First preview"]
    found = re.search(r'href="([^"]*cursor=[^"]+)" rel="next">More shows<', first.text)
    assert found, "no More shows link"

    rest = await get_page(client, html.unescape(found.group(1)))
    assert shown(rest) == ["Second preview", "Past harvest"]
    # The live section was on the first page: this one does not say nothing is live.
    assert "No show is live right now." not in text_of(rest.text)
    assert "More shows" not in text_of(rest.text)
    assert f'href="{schedule}">Back to the first page<' in rest.text

    mangled = await get_page(client, f"{schedule}?cursor=garbage")
    assert mangled.status_code == 422
    assert "The cursor is not valid" in text_of(mangled.text)
    assert f'href="{schedule}">Start again<' in mangled.text


async def test_room_shows_each_viewer_what_they_may_do(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    live = await live_show_setup(client)
    await pin(client, live.host, live.show_id, live.product_id)
    assert (await send_chat(client, live.host, live.show_id, "Welcome to the farm!")
            ).status_code == 201
    room = f"/livestreams/{live.show_id}"

    anonymous = await get_page(client, room)
    assert anonymous.status_code == 200, anonymous.text
    text = text_of(anonymous.text)
    assert "Live from the shrimp farm" in text
    assert "Live now" in text
    assert 'src="https://stream.example.com/live/shrimp/index.m3u8"' in anonymous.text
    assert "Sign in to chat" in text
    assert "Frozen whiteleg shrimp HOSO 31/40" in text  # the pinned card
    assert "Welcome to the farm!" in text
    assert "Host" in text
    assert 'id="ls-chat-form"' not in anonymous.text
    assert " style=" not in anonymous.text  # the CSP allows no inline styles
    assert 'id="ls-host"' not in anonymous.text

    buyer = await get_page(await browser_for(live.buyer), room)
    assert 'id="ls-chat-form"' in buyer.text
    assert 'id="ls-quote-form"' in buyer.text
    assert "Ask for a quote" in buyer.text
    assert 'value="1000"' in buyer.text  # the MOQ is the default quantity
    assert 'id="ls-host"' not in buyer.text
    assert "Start the show" not in buyer.text
    assert "End the show" not in buyer.text
    assert 'id="ls-pin"' not in buyer.text

    host = await get_page(await browser_for(live.host), room)
    assert 'id="ls-host"' in host.text
    assert "End the show" in host.text
    assert 'id="ls-pin"' in host.text
    assert 'id="ls-flash-form"' in host.text
    assert 'id="ls-slow-mode"' in host.text
    assert 'id="ls-quote-form"' not in host.text
    assert f'href="{room}/funnel"' in host.text

    organizer = await get_page(await browser_for(live.organizer), room)
    assert "Moderation" in text_of(organizer.text)
    assert 'id="ls-slow-mode"' in organizer.text
    assert 'id="ls-pin"' not in organizer.text
    assert "End the show" not in organizer.text
    assert "Only buyers can ask for quotes" in text_of(organizer.text)


async def test_host_starts_and_ends_the_show_from_the_room(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    live = await live_show_setup(client, live=False)
    room = f"/livestreams/{live.show_id}"
    host = await browser_for(live.host)
    page = await get_page(host, room)
    assert "Start the show" in page.text
    started = await post_form(host, f"{room}/start", {"csrf_token": csrf_from(page.text)})
    assert started.status_code == 303
    assert started.headers["location"] == room
    page = await get_page(host, room)
    assert "End the show" in page.text

    buyer = await browser_for(live.buyer)
    refused = await post_form(buyer, f"{room}/end", {"csrf_token": csrf_from(
        (await get_page(buyer, room)).text)})
    assert refused.status_code == 403

    ended = await post_form(host, f"{room}/end", {"csrf_token": csrf_from(page.text)})
    assert ended.status_code == 303
    again = await post_form(host, f"{room}/end", {"csrf_token": csrf_from(page.text)})
    assert again.status_code == 409
    assert "Show ended" in text_of(again.text)


async def test_ended_show_offers_the_recording_and_the_chat_replay(
    client: httpx.AsyncClient,
) -> None:
    live = await live_show_setup(
        client, recording_url="https://stream.example.com/rec/farm.mp4")
    for n in range(3):
        await send_chat(client, live.buyer, live.show_id, f"Question {n}")
    await end_show(client, live.host, live.show_id)
    page = await get_page(client, f"/livestreams/{live.show_id}")
    text = text_of(page.text)
    assert "Show ended" in text
    assert "Chat replay" in text
    assert 'src="https://stream.example.com/rec/farm.mp4"' in page.text
    assert text.index("Question 0") < text.index("Question 2")
    assert "Live chat" not in text
    assert 'id="ls-chat-form"' not in page.text


async def test_host_adds_the_recording_after_the_show_even_once_the_event_closed(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    live = await live_show_setup(client)
    await end_show(client, live.host, live.show_id)
    await move_event(client, live.organizer, live.event_id, "close")
    room = f"/livestreams/{live.show_id}"
    host = await browser_for(live.host)
    page = await get_page(host, room)
    assert 'id="ls-recording-form"' in page.text
    assert "No recording was published for this show." in text_of(page.text)
    buyer = await browser_for(live.buyer)
    buyer_page = await get_page(buyer, room)
    assert 'id="ls-recording-form"' not in buyer_page.text

    refused = await post_form(host, f"{room}/recording", {
        "csrf_token": csrf_from(page.text), "recording_url": "javascript:alert(1)"})
    assert refused.status_code == 422
    assert re.search(r'id="e-recording_url">Enter the recording', refused.text)
    assert 'value="javascript:alert(1)"' in refused.text  # what was typed stays
    assert "No recording was published for this show." in text_of(refused.text)
    not_host = await post_form(buyer, f"{room}/recording", {
        "csrf_token": csrf_from(buyer_page.text),
        "recording_url": "https://stream.example.com/rec/mine.mp4"})
    assert not_host.status_code == 403

    saved = await post_form(host, f"{room}/recording", {
        "csrf_token": csrf_from(page.text),
        "recording_url": "https://stream.example.com/rec/farm.mp4"})
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"{room}?saved=recording"
    after = await get_page(host, saved.headers["location"])
    assert "The recording address is saved." in text_of(after.text)
    assert 'value="https://stream.example.com/rec/farm.mp4"' in after.text
    watched = await get_page(client, room)
    assert 'src="https://stream.example.com/rec/farm.mp4"' in watched.text


async def test_ask_for_a_quote_form_lands_in_the_negotiation(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    live = await live_show_setup(client)
    await pin(client, live.host, live.show_id, live.product_id)
    buyer = await browser_for(live.buyer)
    room = f"/livestreams/{live.show_id}"
    token = csrf_from((await get_page(buyer, room)).text)
    bad = await post_form(buyer, f"{room}/quote", {
        "csrf_token": token, "product_id": str(live.product_id), "quantity": "lots"})
    assert bad.status_code == 422
    assert "Enter a quantity greater than zero" in text_of(bad.text)
    asked = await post_form(buyer, f"{room}/quote", {
        "csrf_token": token, "product_id": str(live.product_id), "quantity": "2,500"})
    assert asked.status_code == 303, asked.text
    found = re.fullmatch(r"/negotiations/(\d+)", asked.headers["location"])
    assert found
    negotiation = await get_page(buyer, asked.headers["location"])
    assert "Frozen whiteleg shrimp HOSO 31/40" in text_of(negotiation.text)
    assert "2500" in text_of(negotiation.text) or "2,500" in text_of(negotiation.text)

    host = await browser_for(live.host)
    refused = await post_form(host, f"{room}/quote", {
        "csrf_token": csrf_from((await get_page(host, room)).text), "quantity": "10"})
    assert refused.status_code == 403


async def test_flash_offer_is_listed_and_its_claim_form_lands_in_the_negotiation(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    live = await live_show_setup(client)
    offer = await publish_flash(client, live, quantity="10")
    room = f"/livestreams/{live.show_id}"
    buyer = await browser_for(live.buyer)
    page = await get_page(buyer, room)
    text = text_of(page.text)
    assert "Flash offers" in text
    # Named from the offer itself (nothing is pinned, and a buyer gets no product list).
    assert '<h3 class="ls-offer-name">Frozen whiteleg shrimp HOSO 31/40</h3>' in page.text
    assert "$5.90" in text
    assert "10 kg of 10 left" in text
    claim_path = f"/flash-offers/{offer['id']}/claim"
    assert f'action="{claim_path}"' in page.text

    too_much = await post_form(buyer, claim_path, {"csrf_token": csrf_from(page.text),
                                                   "quantity": "11"})
    assert too_much.status_code == 409
    assert "Not that much is left of this flash offer" in text_of(too_much.text)
    claimed = await post_form(buyer, claim_path, {"csrf_token": csrf_from(page.text),
                                                  "quantity": "4"})
    assert claimed.status_code == 303, claimed.text
    assert re.fullmatch(r"/negotiations/\d+", claimed.headers["location"])
    again = await post_form(buyer, claim_path, {"csrf_token": csrf_from(page.text),
                                                "quantity": "1"})
    assert again.status_code == 409
    assert "already claimed this flash offer" in text_of(again.text)
    assert "6 kg of 10 left" in text_of(again.text)


async def test_funnel_is_for_the_shows_moderators_only(
    client: httpx.AsyncClient, app: FastAPI, browser_for: Browser
) -> None:
    live = await live_show_setup(client)
    funnel = f"/livestreams/{live.show_id}/funnel"
    for who in ("host", "organizer"):
        page = await get_page(await _as(browser_for, live, who), funnel)
        assert page.status_code == 200, page.text
        text = text_of(page.text)
        assert "From watching to ordering" in text
        assert "Quote requests" in text
    buyer = await get_page(await browser_for(live.buyer), funnel)
    assert buyer.status_code == 403
    missing = await get_page(await browser_for(live.buyer), "/livestreams/999999/funnel")
    assert missing.status_code == 404
    async with new_browser(app) as anonymous:
        to_login = await anonymous.get(funnel, follow_redirects=False)
    assert to_login.status_code == 303
    assert to_login.headers["location"].startswith("/login")


async def test_schedule_form_refuses_a_javascript_url_next_to_its_field(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    live = await live_show_setup(client, live=False)
    host = await browser_for(live.host)
    path = f"/exhibitor/booths/{live.booth_id}/livestreams"
    page = await get_page(host, path)
    assert page.status_code == 200, page.text
    form: dict[str, str | list[str]] = {
        "csrf_token": csrf_from(page.text), "title": "Dried squid: how we grade",
        "title_zh": "鱿鱼干分级", "description": "", "scheduled_start": "2031-05-06T15:00",
        "playback_url": "javascript:alert(1)", "recording_url": "",
    }
    refused = await post_form(host, path, form)
    assert refused.status_code == 422
    assert re.search(r'id="e-playback_url">Enter the stream', refused.text)
    assert 'value="Dried squid: how we grade"' in refused.text  # what was typed stays

    scheduled = await post_form(host, path, {
        **form, "playback_url": "https://stream.example.com/squid.m3u8"})
    assert scheduled.status_code == 303, scheduled.text
    listed = await get_page(host, scheduled.headers["location"])
    assert "The show is scheduled." in text_of(listed.text)
    assert "Dried squid: how we grade" in text_of(listed.text)
    schedule = await get_page(client, f"/events/{live.event_id}/livestreams")
    # Typed in the host's zone (UTC for this account): 15:00 UTC.
    assert format_time(datetime(2031, 5, 6, 15, tzinfo=UTC), ZoneInfo("UTC"), "en") in (
        schedule.text)

    buyer = await browser_for(live.buyer)
    other = await get_page(buyer, path)
    assert other.status_code in (403, 404)


async def test_booth_page_lists_its_shows_and_the_lobby_links_the_schedule(
    client: httpx.AsyncClient,
) -> None:
    live = await live_show_setup(client)
    booth = await get_page(client, f"/booths/{live.booth_id}")
    assert booth.status_code == 200
    assert "Live shows" in text_of(booth.text)
    assert f'href="/livestreams/{live.show_id}"' in booth.text
    lobby = await get_page(client, f"/events/{live.event_id}")
    assert f'href="/events/{live.event_id}/livestreams"' in lobby.text


async def test_room_and_schedule_speak_chinese(
    client: httpx.AsyncClient, browser_for: Browser
) -> None:
    live = await live_show_setup(client)
    await publish_flash(client, live)
    viewer = await register(client, kind="buyer", locale="zh", time_zone="Asia/Shanghai")
    browser = await browser_for(viewer)
    room = await get_page(browser, f"/livestreams/{live.show_id}")
    text = text_of(room.text)
    assert "养殖场直播" in text  # the show's Chinese title
    assert '<h3 class="ls-offer-name">冷冻南美白对虾 带头带壳 31/40</h3>' in room.text
    assert "正在进行" in text
    assert "询价" in text
    schedule = await get_page(browser, f"/events/{live.event_id}/livestreams")
    assert "直播" in text_of(schedule.text)
    assert "观看" in text_of(schedule.text)


async def test_a_show_nobody_may_see_is_404(client: httpx.AsyncClient) -> None:
    page = await get_page(client, "/livestreams/999999")
    assert page.status_code == 404
