"""The live matchmaking day's pages: a participant's lobby, the meeting room, and the
organizer's console.

Thin like app/api/matchmaking_live.py: the same services decide (a meeting of other
organizations is 404, the organizer included). The pages render the state on the server;
frontend/static/js/matchmaking_live.js (lobby, console) and matchmaking_live_room.js (room)
keep it current over ``matchmaking:{id}`` and ``meeting:{id}``. Every form is a plain POST
that works without the scripts.
"""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.catalog import service as catalog
from app.config import Settings
from app.errors import AppError
from app.kit.validation import Id
from app.matchmaking import live, live_followup, live_rematch, service
from app.matchmaking.live_clock import CLOCK
from app.matchmaking.live_schemas import OUTCOMES, BroadcastCreate, RatingCreate
from app.realtime import log as topic_log
from app.web.exhibition_view import View, ViewDep, form_text
from app.web.forms import parse_form
from app.web.matchmaking_view import MEETING_STATUS_LABELS
from app.web.messages import N_

router = APIRouter(include_in_schema=False)

CHAT_SHOWN = 300
PRODUCTS_SHOWN = 100
OUTCOME_LABELS = {
    "follow_up": N_("Follow up"),
    "quote_requested": N_("Quote requested"),
    "samples": N_("Samples to send"),
    "order_likely": N_("Order likely"),
    "no_fit": N_("Not a fit"),
}


def _policy(view: View) -> live.Policy:
    settings: Settings = view.request.app.state.settings
    return live.Policy.from_settings(settings)


def _words(view: View) -> dict[str, str]:
    """What the scripts write, in the viewer's language."""
    return {
        "connecting": view._("Connecting…"), "open": view._("Live"),
        "reconnecting": view._("Reconnecting…"), "closed": view._("Offline: reload the page."),
        "startsIn": view._("Starts in {time}"), "endsIn": view._("Ends in {time}"),
        "waiting": view._("Waiting for the next slot"), "over": view._("The session is over."),
        "goNow": view._("Your meeting is starting: taking you to the room…"),
        "sendError": view._("Not sent. Check your connection and try again."),
        "cameraError": view._("The camera could not be started: check the browser's "
                              "permission, or go on without video."),
        "videoWaiting": view._("Waiting for your partner's video…"),
        "shared": view._("{name} shared a product"),
        "rematch": view._("Your partner did not come. You can meet one of these instead, "
                          "in the next slot:"),
        "meet": view._("Meet them"),
        "slot": view._("Slot {n}"),
        "checkedIn": view._("Checked in"),
        **{f"status_{k}": view._(v) for k, v in MEETING_STATUS_LABELS.items()},
    }


@router.get("/matchmaking/{session_id}/live", response_class=HTMLResponse)
async def lobby(session_id: Id, view: ViewDep) -> Response:
    """A participant's lobby (the organizer gets the console)."""
    if view.viewer is None:
        return view.login()
    loaded = await service.load(view.session, view.viewer, session_id)
    if service.is_organizer(view.viewer, loaded):
        return view.redirect(f"/matchmaking/{session_id}/console")
    state = await live.live_state(view.session, view.viewer, session_id, CLOCK.now(),
                                  _policy(view))
    return view.render(
        "matchmaking/live_lobby.html", ms=loaded.session, event=loaded.event, state=state,
        status_labels=MEETING_STATUS_LABELS, words=json.dumps(_words(view)),
    )


@router.get("/matchmaking/{session_id}/console", response_class=HTMLResponse)
async def console(session_id: Id, view: ViewDep, error: str | None = None) -> Response:
    if view.viewer is None:
        return view.login()
    loaded = await service.organized(view.session, view.viewer, session_id)
    state = await live.live_state(view.session, view.viewer, session_id, CLOCK.now(),
                                  _policy(view))
    return view.render(
        "matchmaking/live_console.html", ms=loaded.session, event=loaded.event, state=state,
        status_labels=MEETING_STATUS_LABELS, words=json.dumps(_words(view)),
        broadcast_error=error,
    )


@router.post("/matchmaking/{session_id}/broadcasts", response_class=HTMLResponse)
async def broadcast(session_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    try:
        data = BroadcastCreate(body=form_text(form, "body"))
        await live.broadcast(view.session, view.viewer, session_id, data.body, CLOCK.now())
    except ValidationError:
        await view.recover()
        return await console(session_id, view, view._("Write a message of 1 to 1000 "
                                                       "characters."))
    except AppError as exc:
        if exc.status_code == 404:
            raise
        await view.recover()
        return await console(session_id, view, view.error_text(exc))
    return view.redirect(f"/matchmaking/{session_id}/console")


@router.get("/matchmaking-meetings/{meeting_id}", response_class=HTMLResponse)
async def room(meeting_id: Id, view: ViewDep, error: str | None = None) -> Response:
    """A meeting's room: video, chat, shared products, the countdown, then the rating."""
    if view.viewer is None:
        return view.login()
    seat = await live.seat(view.session, view.viewer, meeting_id)
    topic = live.room_topic(meeting_id)
    # Read the topic's position before its events: what comes later is replayed on join.
    topic_seq = await topic_log.last_seq(view.session, topic)
    events = await topic_log.history(view.session, topic, max(0, topic_seq - CHAT_SHOWN),
                                     CHAT_SHOWN, before_seq=topic_seq + 1)
    mine = (await live.meeting_reads(view.session, seat.me, [seat.meeting]))[0]
    supplier = seat.me if seat.side == "supplier" else seat.partner
    products = await catalog.list_products(view.session, supplier.organization_id,
                                           limit=PRODUCTS_SHOWN, before_id=None)
    settings: Settings = view.request.app.state.settings
    return view.render(
        "matchmaking/live_room.html", ms=seat.loaded.session, meeting=mine, side=seat.side,
        events=events, topic_seq=topic_seq, products=products, status_labels=MEETING_STATUS_LABELS,
        outcomes=[(key, view._(OUTCOME_LABELS[key])) for key in OUTCOMES],
        ice_servers=json.dumps(settings.matchmaking_ice_servers),
        words=json.dumps(_words(view)), error=error,
    )


async def _room_form(view: View) -> dict[str, str]:
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    return {k: form_text(form, k) for k in ("rating", "outcome", "note", "partner_id")}


async def _refused(view: View, meeting_id: int, exc: AppError) -> Response:
    if exc.status_code == 404:
        raise exc
    await view.recover()
    return await room(meeting_id, view, view.error_text(exc))


@router.post("/matchmaking-meetings/{meeting_id}/check-in", response_class=HTMLResponse)
async def check_in(meeting_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    await _room_form(view)
    try:
        await live.check_in(view.session, view.viewer, meeting_id, CLOCK.now(), _policy(view))
    except AppError as exc:
        return await _refused(view, meeting_id, exc)
    return view.redirect(f"/matchmaking-meetings/{meeting_id}")


@router.post("/matchmaking-meetings/{meeting_id}/rating", response_class=HTMLResponse)
async def rate(meeting_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    fields = await _room_form(view)
    try:
        data = RatingCreate.model_validate({"rating": int(fields["rating"] or 0),
                                            "outcome": fields["outcome"],
                                            "note": fields["note"]})
        await live.rate(view.session, view.viewer, meeting_id, data, CLOCK.now())
    except (ValidationError, ValueError):
        await view.recover()
        return await room(meeting_id, view, view._("Choose a rating from 1 to 5 and an "
                                                   "outcome."))
    except AppError as exc:
        return await _refused(view, meeting_id, exc)
    return view.redirect(f"/matchmaking-meetings/{meeting_id}")


@router.post("/matchmaking-meetings/{meeting_id}/negotiation", response_class=HTMLResponse)
async def continue_as_negotiation(meeting_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    fields = await _room_form(view)
    try:
        opened = await live_followup.continue_as_negotiation(
            view.session, view.viewer, meeting_id, fields["note"][:2000])
    except AppError as exc:
        return await _refused(view, meeting_id, exc)
    return view.redirect(f"/negotiations/{opened.negotiation_id}")


@router.post("/matchmaking-meetings/{meeting_id}/rematch", response_class=HTMLResponse)
async def rematch(meeting_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    fields = await _room_form(view)
    try:
        partner_id = int(fields["partner_id"] or 0)
        made = await live_rematch.accept(view.session, view.viewer, meeting_id, partner_id,
                                         CLOCK.now(), _policy(view).grace)
    except ValueError:
        return await room(meeting_id, view, view._("Choose one of the offered partners."))
    except AppError as exc:
        return await _refused(view, meeting_id, exc)
    return view.redirect(f"/matchmaking/{made.session_id}/live")
