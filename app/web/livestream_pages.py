"""Livestream pages: an event's schedule of shows, the live room, the show's funnel, and a
booth's shows with the form that schedules one.

Thin like app/api/livestreams.py and app/api/livestream_sales.py: the same services decide,
so a show the viewer may not see is 404 and an action they may not take is 403. The room is
rendered as it is now; frontend/static/js/livestream_room.js keeps it live over
``livestream:{id}`` (chat, counts, the pinned product, flash offers) and calls the API for
the buttons (with the page's CSRF token in ``X-CSRF-Token``). The forms that change a show's
course (remind me, start, end, ask for a quote, claim) are also plain POSTs here, so they
work without the scripts; so is the host's "Recording URL" form after the show.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.booths import service as booths
from app.booths.schemas import BoothRead
from app.catalog import service as catalog
from app.catalog.schemas import format_quantity
from app.errors import AppError, InvalidInput, NotFound
from app.events import service as events
from app.kit.validation import Id
from app.livestreams import chat, flash, followers, funnel, quotes, service
from app.livestreams.sales_schemas import FlashClaimCreate, FlashOfferRead, QuoteRequestCreate
from app.livestreams.schemas import LivestreamCreate, LivestreamRead, LivestreamUpdate
from app.models.base import utcnow
from app.web.exhibition_view import View, ViewDep, form_text, is_page_error, url_with
from app.web.forms import local_moment, parse_form
from app.web.livestream_view import (
    SCHEDULE_FIELDS,
    local_minute,
    refusal_errors,
    room_words,
    schedule_errors,
    show_title,
)
from app.web.messages import N_

router = APIRouter(include_in_schema=False)

CHAT_SHOWN = 100  # the latest lines a live room opens with
REPLAY_PAGE = 200  # lines of an ended show's replay per page
SUPPLIER_PRODUCTS = 100  # the supplier's products offered to pin
OFFERS_SHOWN = 50  # a show's latest flash offers, of which the open ones are shown
BOOTH_SHOWS = 50
SCHEDULE_PAGE = 100  # shows on a page of the event's schedule
NOT_A_QUANTITY = N_("Enter a quantity greater than zero, such as 1000.")


def _safe_next(value: str, fallback: str) -> str:
    """Only a path on this site (never ``//host`` or a scheme): where a form goes back to."""
    return value if value.startswith("/") and not value.startswith("//") else fallback


# --- the event's schedule ------------------------------------------------------------------


@router.get("/events/{event_id}/livestreams", response_class=HTMLResponse)
async def schedule(event_id: Id, view: ViewDep) -> Response:
    """Live now, upcoming (times in the viewer's zone), and past shows with their replay;
    ``SCHEDULE_PAGE`` shows a page, in the API's order, then "More shows"."""
    event = await events.get_event(view.session, view.viewer, event_id)
    cursor = view.request.query_params.get("cursor") or None
    here = f"/events/{event.id}/livestreams"
    try:
        page = await service.schedule(view.session, view.viewer, event.id, "all",
                                      SCHEDULE_PAGE, cursor)
    except InvalidInput as exc:  # a cursor mangled on its way here: offer the first page
        return view.render("livestreams/schedule.html", status_code=exc.status_code,
                           event=event, cursor_error=view.error_text(exc), first_url=here)
    shows = page.items
    ended = sorted((s for s in shows if s.status == "ended"),
                   key=lambda s: s.ended_at or s.scheduled_start, reverse=True)
    return view.render(
        "livestreams/schedule.html", event=event, cursor_error=None,
        live=[s for s in shows if s.status == "live"],
        upcoming=[s for s in shows if s.status == "scheduled"],
        ended=ended, title_of=lambda s: show_title(view, s),
        next_url=url_with(here, {}, cursor=page.next_cursor) if page.next_cursor else None,
        first_url=here if cursor else None,
    )


# --- the room ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordingForm:
    """The ended show's "Recording URL" form as sent back: what was typed, and why not."""

    value: str
    errors: dict[str, str]


async def _room(view: View, livestream_id: int, error: str | None = None,
                status_code: int = 200, recording: RecordingForm | None = None) -> Response:
    show = await service.get(view.session, view.viewer, livestream_id)
    event = await events.get_event(view.session, view.viewer, show.event_id)
    if show.status == "ended":
        lines = await chat.replay(view.session, show.id, 0, None, REPLAY_PAGE)
    else:
        lines = await chat.replay(view.session, show.id, None, None, CHAT_SHOWN)
    # The supplier's products, for the host to pin and to offer from (flash offers carry
    # their product's names).
    products = await catalog.list_products(
        view.session, show.supplier.id, limit=SUPPLIER_PRODUCTS, before_id=None,
    ) if show.you_host and show.status != "ended" else []
    offers: list[FlashOfferRead] = []
    if show.status == "live":
        page = await flash.list_flash_offers(view.session, view.viewer, show.id,
                                             OFFERS_SHOWN, None)
        offers = [o for o in page.items if o.status == "open"]
    return view.render(
        "livestreams/room.html", status_code=status_code, show=show, event=event,
        title=show_title(view, show), lines=lines, replay_page=REPLAY_PAGE,
        products=products,
        offers=offers, is_buyer=view.organization_kind == "buyer", error=error,
        recording=recording or RecordingForm(show.recording_url or "", {}),
        saved=view.request.query_params.get("saved"),
        words=json.dumps(room_words(view), ensure_ascii=False),
        flash_defaults={"duration_minutes": 15, "deposit_percent": 30},
        plain=format_quantity,
    )


@router.get("/livestreams/{livestream_id}", response_class=HTMLResponse)
async def room(livestream_id: Id, view: ViewDep) -> Response:
    """The live room: anyone who may see the show watches; signed-in viewers chat."""
    return await _room(view, livestream_id)


async def _form(view: View) -> dict[str, str]:
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    return {k: form_text(form, k)
            for k in ("next", "follow", "quantity", "product_id", "recording_url")}


async def _refused(view: View, livestream_id: int, exc: AppError) -> Response:
    """A refusal the person can act on is shown on the room; not found or forbidden is the
    error page."""
    if not is_page_error(exc):
        raise exc
    await view.recover()
    return await _room(view, livestream_id, view.error_text(exc), exc.status_code)


@router.post("/livestreams/{livestream_id}/follow", response_class=HTMLResponse)
async def follow(livestream_id: Id, view: ViewDep) -> Response:
    """"Remind me" (follow=1) or "Reminder set" undone (follow=0)."""
    if view.viewer is None:
        return view.login()
    fields = await _form(view)
    if fields["follow"] == "0":
        await followers.unfollow(view.session, view.viewer, livestream_id)
    else:
        await followers.follow(view.session, view.viewer, livestream_id)
    return view.redirect(_safe_next(fields["next"], f"/livestreams/{livestream_id}"))


async def _move(
    view: View, livestream_id: int,
    move: Callable[[AsyncSession, Principal, int], Awaitable[LivestreamRead]],
) -> Response:
    """Start or end the show (the host's form); back to the room, which shows what changed."""
    if view.viewer is None:
        return view.login()
    await _form(view)
    try:
        await move(view.session, view.viewer, livestream_id)
    except AppError as exc:
        return await _refused(view, livestream_id, exc)
    return view.redirect(f"/livestreams/{livestream_id}")


@router.post("/livestreams/{livestream_id}/start", response_class=HTMLResponse)
async def start(livestream_id: Id, view: ViewDep) -> Response:
    return await _move(view, livestream_id, service.start)


@router.post("/livestreams/{livestream_id}/end", response_class=HTMLResponse)
async def end(livestream_id: Id, view: ViewDep) -> Response:
    return await _move(view, livestream_id, service.end)


@router.post("/livestreams/{livestream_id}/quote", response_class=HTMLResponse)
async def ask_for_quote(livestream_id: Id, view: ViewDep) -> Response:
    """"Ask for a quote" on the pinned product: opens (or reuses) the negotiation."""
    if view.viewer is None:
        return view.login()
    fields = await _form(view)
    try:
        data = QuoteRequestCreate.model_validate({
            "product_id": fields["product_id"] or None,
            "quantity": fields["quantity"].replace(",", "") or None,
        })
        asked = await quotes.ask(view.session, view.viewer, livestream_id, data)
    except ValidationError:
        return await _room(view, livestream_id, view._(NOT_A_QUANTITY), 422)
    except AppError as exc:
        return await _refused(view, livestream_id, exc)
    return view.redirect(f"/negotiations/{asked.negotiation_id}")


@router.post("/flash-offers/{offer_id}/claim", response_class=HTMLResponse)
async def claim(offer_id: Id, view: ViewDep) -> Response:
    """A buyer's claim: lands in the negotiation with the proposed offer."""
    if view.viewer is None:
        return view.login()
    fields = await _form(view)
    offer = await flash.get_flash_offer(view.session, view.viewer, offer_id)
    try:
        data = FlashClaimCreate.model_validate({"quantity": fields["quantity"].replace(",", "")})
        claimed = await flash.claim(view.session, view.viewer, offer_id, data)
    except ValidationError:
        return await _room(view, offer.livestream_id, view._(NOT_A_QUANTITY), 422)
    except AppError as exc:
        return await _refused(view, offer.livestream_id, exc)
    return view.redirect(f"/negotiations/{claimed.negotiation_id}")


@router.post("/livestreams/{livestream_id}/recording", response_class=HTMLResponse)
async def recording(livestream_id: Id, view: ViewDep) -> Response:
    """After the show the host adds (changes, or empties) the recording's address: the
    service allows it even once the event has closed."""
    if view.viewer is None:
        return view.login()
    value = (await _form(view))["recording_url"]
    try:
        data = LivestreamUpdate.model_validate({"recording_url": value or None})
        await service.update(view.session, view.viewer, livestream_id, data)
    except ValidationError as exc:
        return await _room(view, livestream_id, status_code=422,
                           recording=RecordingForm(value, schedule_errors(view, exc)))
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return await _room(view, livestream_id, status_code=exc.status_code,
                           recording=RecordingForm(value, refusal_errors(view, exc)))
    return view.redirect(f"/livestreams/{livestream_id}?saved=recording")


# --- the funnel ----------------------------------------------------------------------------


@router.get("/livestreams/{livestream_id}/funnel", response_class=HTMLResponse)
async def funnel_page(livestream_id: Id, view: ViewDep) -> Response:
    """From watching to ordering: the show's figures, for its hosts and the organizer."""
    if view.viewer is None:
        return view.login()
    figures = await funnel.funnel(view.session, view.viewer, livestream_id)
    show = await service.get(view.session, view.viewer, livestream_id)
    event = await events.get_event(view.session, view.viewer, show.event_id)
    return view.render("livestreams/funnel.html", show=show, event=event,
                       title=show_title(view, show), figures=figures)


# --- a booth's shows, and scheduling one ---------------------------------------------------


async def booth_shows(view: View, booth_id: int) -> list[LivestreamRead]:
    page = await service.list_for_booth(view.session, view.viewer, booth_id, BOOTH_SHOWS, None)
    return page.items


async def booth_section(view: View, booth: BoothRead) -> dict[str, Any]:
    """The booth page's "Live shows" section: the booth's shows, newest first."""
    if booth.status != "approved":
        return {"ls_shows": [], "ls_title_of": None}
    shows = await booth_shows(view, booth.id)
    return {"ls_shows": shows, "ls_title_of": lambda s: show_title(view, s)}


async def _booth_page(
    view: View, booth: BoothRead, values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:
    event = await events.get_event(view.session, view.viewer, booth.event_id)
    return view.render(
        "livestreams/booth_shows.html", status_code=status_code, booth=booth, event=event,
        shows=await booth_shows(view, booth.id), title_of=lambda s: show_title(view, s),
        values=values or {}, errors=errors or {},
        scheduled=view.request.query_params.get("scheduled"),
        zone=view.ctx.zone.key,
    )


async def _own_booth(view: View, booth_id: int) -> BoothRead:
    """A booth of the viewer's organization (another's is 404, as on the booth editor)."""
    assert view.viewer is not None  # noqa: S101 - the routes redirect anonymous viewers
    booth = await booths.get_booth(view.session, view.viewer, booth_id)
    if not view.viewer.is_member_of(booth.supplier_id):
        raise NotFound()
    return booth


@router.get("/exhibitor/booths/{booth_id}/livestreams", response_class=HTMLResponse)
async def booth_livestreams(booth_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    booth = await _own_booth(view, booth_id)
    # The next full hour but one: time to set up the stream.
    soon = (utcnow() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    return await _booth_page(view, booth, {"scheduled_start": local_minute(soon, view.ctx.zone)})


@router.post("/exhibitor/booths/{booth_id}/livestreams", response_class=HTMLResponse)
async def schedule_show(booth_id: Id, view: ViewDep) -> Response:
    """Schedule a show: the start is typed in the viewer's zone."""
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    booth = await _own_booth(view, booth_id)
    values = {name: form_text(form, name) for name in SCHEDULE_FIELDS}
    try:
        data = LivestreamCreate.model_validate({
            **values,
            "scheduled_start": local_moment(values["scheduled_start"], view.ctx.zone),
            "recording_url": values["recording_url"] or None,
        })
    except ValidationError as exc:
        return await _booth_page(view, booth, values, schedule_errors(view, exc), 422)
    try:
        created = await service.create(view.session, view.viewer, booth.id, data)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return await _booth_page(view, booth, values, refusal_errors(view, exc),
                                 exc.status_code)
    return view.redirect(f"/exhibitor/booths/{booth.id}/livestreams?scheduled={created.id}")
