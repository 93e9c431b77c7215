"""What the livestream pages share: labels, what the room's scripts write, the schedule form.

The pages (``livestream_pages``) call the same services as the API (app/api/livestreams.py,
app/api/livestream_sales.py); only the shapes differ. The room's scripts
(frontend/static/js/livestream_*.js) call the API themselves, so the words they may have to
show (error codes included) are handed to them here, in the viewer's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from app.errors import AppError
from app.livestreams.schemas import LivestreamRead
from app.web.exhibition_view import View, field_of
from app.web.messages import N_
from app.web.offer_form import LOCAL_MINUTE

STATUS_LABELS = {
    "scheduled": N_("Upcoming"),
    "live": N_("Live now"),
    "ended": N_("Show ended"),
}
SCHEDULE_FIELDS = ("title", "title_zh", "description", "scheduled_start", "playback_url",
                   "recording_url")

# Refusals the room's scripts may get from the API or the socket, by code.
_ROOM_ERRORS = {
    "chat_muted": N_("A moderator muted you in this chat for now."),
    "chat_slow_mode": N_("Slow mode is on: wait a few seconds between messages."),
    "livestream_not_live": N_("The show is not live: the chat opens when it starts."),
    "invalid_body": N_("Write a message of 1 to 500 characters."),
    "rate_limited": N_("You are sending too fast. Wait a moment and send again."),
    "buyer_required": N_("Only buyers can ask for quotes and claim offers."),
    "product_not_available": N_("This product is no longer available."),
    "flash_offer_closed": N_("This offer has closed."),
    "flash_offer_sold_out": N_("Not enough left: claim a smaller quantity."),
    "flash_offer_already_claimed": N_("Your organization already claimed this offer."),
    "livestream_status_conflict": N_("The show has moved on: reload the page."),
    "livestream_host_required": N_("Only the booth's members can do this."),
    "livestream_moderator_required": N_(
        "Only the booth's members and the event's organizer can moderate this show."),
    "cannot_mute_moderator": N_("The show's hosts and the event's organizer cannot be "
                                "muted."),
    "chat_message_not_found": N_("This message was already deleted."),
    "chat_message_deleted": N_("A moderator removed this message, so it was not sent "
                               "again."),
    "product_required": N_("No product is pinned right now."),
    "invalid_quantity": N_("Enter a quantity greater than zero, with at most 3 decimals."),
    "csrf_failed": N_("This page has expired. Reload it and try again."),
    "not_authenticated": N_("Sign in again to go on."),
    "validation_error": N_("Check the values and try again."),
}


def show_title(view: View, show: LivestreamRead) -> str:
    """The show's title in the viewer's language (title_zh for Chinese when set)."""
    return view.x.pick(show.title, show.title_zh)


def room_words(view: View) -> dict[str, Any]:
    """Everything the room's scripts write, in the viewer's language."""
    _ = view._
    return {
        "connecting": _("Connecting…"), "open": _("Live"),
        "reconnecting": _("Reconnecting…"), "closed": _("Offline: reload the page."),
        "host": _("Host"), "you": _("You"),
        "delete": _("Delete"), "mute": _("Mute"), "minutes": _("minutes"),
        "muteFor": _("Mute {name} for"), "muted": _("{name} is muted until {time}."),
        "deleted": _("The message was deleted."),
        "mutedUntil": _("A moderator muted you in this chat until {time}."),
        "slowMode": _("Slow mode: one message every {n} seconds."),
        "slowModeOff": _("Slow mode is off."),
        "sendError": _("Not sent. Check your connection and try again."),
        "error": _("That did not work. Reload the page and try again."),
        "noPinned": _("No product is pinned right now."),
        "from": _("From {amount}"), "perUnit": _("{price} / {unit}"),
        "day": _("{n} day"), "days": _("{n} days"),
        "left": _("{remaining} of {total} left"), "soldOut": _("Sold out"),
        "offerClosed": _("Closed"), "endsAt": _("Ends {time}"),
        "deposit": _("Deposit: {n}%"),
        "onlyLeft": _("Only {remaining} left: claim that much or less."),
        "pinnedDone": _("Pinned: {name}"), "unpinnedDone": _("The product is unpinned."),
        "offerPublished": _("The offer is published."),
        "offerClosedDone": _("The offer is closed."),
        "status_scheduled": _(STATUS_LABELS["scheduled"]),
        "status_live": _(STATUS_LABELS["live"]),
        "status_ended": _(STATUS_LABELS["ended"]),
        "showEnded": _("The show has ended. Reload the page for the recording and the chat "
                       "replay."),
        "showStarted": _("The show has started."),
        "units": dict(view.x.units()),
        "errors": {code: _(text) for code, text in _ROOM_ERRORS.items()},
    }


def local_minute(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime(LOCAL_MINUTE)


_SCHEDULE_MESSAGES = {
    "title": N_("Give the show a title of 1 to 200 characters."),
    "title_zh": N_("Use at most 200 characters."),
    "description": N_("Use at most 5,000 characters."),
    "scheduled_start": N_("Enter the date and time the show starts."),
    "playback_url": N_("Enter the stream's full web address, starting with https://"),
    "recording_url": N_("Enter the recording's full web address, starting with https://, "
                        "or leave it empty."),
}


def schedule_errors(view: View, exc: ValidationError) -> dict[str, str]:
    """The schedule form's fields the schema refused, each with what to do."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(p) for p in error["loc"] if p != "body"]
        name = loc[0] if loc and loc[0] in _SCHEDULE_MESSAGES else "form"
        text = _SCHEDULE_MESSAGES.get(name, N_("Check the values and try again."))
        errors.setdefault(name, view._(text))
    return errors


def refusal_errors(view: View, exc: AppError) -> dict[str, str]:
    """A service's refusal of the schedule form, next to the field it is about."""
    where = field_of(exc) or _field_in_details(exc) or "form"
    if exc.code == "invalid_url" and where in _SCHEDULE_MESSAGES:
        return {where: view._(_SCHEDULE_MESSAGES[where])}
    return {where: view.error_text(exc)}


def _field_in_details(exc: AppError) -> str | None:
    details = exc.details
    if isinstance(details, dict):
        value = details.get("field")
        return str(value) if value else None
    return None
