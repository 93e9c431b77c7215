"""What the matchmaking pages share: the reader's voice for reasons, labels, repeated form
rows, and service refusals turned into errors next to the fields they are about.

The pages (``matchmaking_pages`` for the organizer, ``matchmaking_participant_pages`` for
buyers and suppliers) call the same services as the API (app/api/matchmaking*.py), so the
same rules decide; only the shapes differ: forms in, HTML out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from babel.dates import format_timedelta
from pydantic import ValidationError
from starlette.datastructures import FormData

from app.errors import AppError
from app.matchmaking.reasons import Voice
from app.web.exhibition_view import View, form_text
from app.web.i18n import babel_locale
from app.web.messages import N_

# Rows a repeated field (windows, breaks, availability) shows beyond those filled in, so a
# person can add some without JavaScript.
SPARE_ROWS = 2
MAX_ROWS = 60

STATUS_LABELS = {
    "registration": N_("Registration open"),
    "scheduling": N_("Scheduling"),
    "scheduled": N_("Scheduled"),
    "live": N_("Live now"),
    "finished": N_("Finished"),
}
REQUEST_STATUS_LABELS = {
    "pending": N_("Waiting for an answer"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "cancelled": N_("Withdrawn"),
    "expired": N_("Expired"),
}
MEETING_STATUS_LABELS = {
    "scheduled": N_("Scheduled"),
    "checked_in": N_("Checked in"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "no_show": N_("No-show"),
}
# The scheduling job's phases (app/matchmaking/jobs.py and scheduler.py), as people read them.
PHASE_LABELS = {
    "queued": N_("Waiting to start"),
    "prepare": N_("Reading registrations"),
    "scoring": N_("Scoring pairs"),
    "bound": N_("Computing the upper bound"),
    "assign": N_("Assigning meetings to slots"),
    "repair": N_("Improving the schedule"),
    "polish": N_("Polishing the schedule"),
    "done": N_("Done"),
    "failed": N_("Failed"),
}
SIDE_LABELS = {"buyer": N_("Buyer"), "supplier": N_("Supplier")}
# The matchmaking rules' codes (sessions, registration, meetings) in words that can be
# translated: some of the services' own messages are composed at run time, others speak to
# API clients ("use a code from GET /products/reference").
CODE_MESSAGES = {
    "nonexistent_local_time": N_("This local time does not exist that day (the clocks skip "
                                 "it); choose another time."),
    "no_slots": N_("These windows hold no slot: make them longer than a slot, or the slots "
                   "shorter."),
    "too_many_slots": N_("Too many slots for one session: shorten the windows or lengthen "
                         "the slots."),
    "window_outside_event": N_("Every window must lie within the event's dates."),
    "deadline_after_start": N_("Registration must close before the first slot starts."),
    "participant_busy": N_("A participant already has a meeting in that slot."),
    "participant_unavailable": N_("A participant is not available in that slot."),
    "max_meetings_reached": N_("A participant already has as many meetings as allowed."),
    "slot_full": N_("Every table is taken in that slot."),
    "pair_already_meets": N_("These two already meet in another slot."),
    "invalid_slot": N_("This session has no such slot."),
    "wrong_side": N_("Choose a buyer and a supplier."),
    "same_meeting": N_("Choose two different meetings to swap."),
    "availability_outside_session": N_("This window is outside the session's slots: check "
                                       "the date and your time zone."),
    "max_meetings_too_high": N_("At most as many meetings as the session allows each "
                                "participant."),
    "invalid_category": N_("Choose categories from the list."),
    "invalid_certification": N_("Choose certifications from the list."),
    "invalid_incoterm": N_("Choose Incoterms from the list."),
    "invalid_hs_code": N_("Enter HS codes of 2 to 10 digits, separated by commas."),
    "invalid_product": N_("A product you named is not shown in this event."),
    "invalid_price": N_("A price must be greater than zero."),
    "invalid_price_range": N_("The highest target price must not be below the lowest."),
    "currency_required": N_("Give the currency of your prices."),
    "invalid_currency": N_("Choose a currency from the list."),
    "quantity_unit_required": N_("Give a quantity together with its unit."),
    "invalid_quantity": N_("A quantity must be greater than zero."),
    "invalid_unit": N_("Choose a unit from the list."),
    "same_side": N_("Send meeting requests to the other side: buyers to suppliers, "
                    "suppliers to buyers."),
}
CHECK_VALUE = N_("Check this value and try again.")
REQUIRED = N_("This field is required.")
WHOLE_NUMBER = N_("Enter a whole number.")


def voice_of(view: View) -> Voice:
    """The page's language, for the reasons' sentences (the page's choice, not only the
    account's: the language switch applies)."""
    return Voice(view.ctx.locale, view.ctx.gettext)


def label(view: View, labels: dict[str, str], key: str) -> str:
    text = labels.get(key)
    return view._(text) if text else key


def relative(view: View, moment: datetime, now: datetime) -> str:
    """"in 2 days" / "3 hours ago" ("2天后"), next to the absolute time."""
    return str(format_timedelta(moment - now, add_direction=True, threshold=1.1,
                                locale=babel_locale(view.ctx.locale)))


# --- forms ---------------------------------------------------------------------------------


def rows(form: FormData, prefix: str, fields: Iterable[str]) -> list[dict[str, str]]:
    """Repeated rows posted as ``prefix-0-field``; rows left wholly empty are dropped."""
    names = tuple(fields)
    out = []
    for index in range(MAX_ROWS):
        row = {name: form_text(form, f"{prefix}-{index}-{name}") for name in names}
        if not any(f"{prefix}-{index}-{name}" in form for name in names):
            break
        if any(row.values()):
            out.append(row)
    return out


def with_spares(filled: list[dict[str, str]], fields: Iterable[str]) -> list[dict[str, str]]:
    names = tuple(fields)
    return [*filled, *(dict.fromkeys(names, "") for _ in range(SPARE_ROWS))]


def split_list(value: str) -> list[str]:
    """A comma-separated field ("0306, 0307") as its items."""
    return [item.strip() for item in value.replace("，", ",").split(",") if item.strip()]


def whole_number(value: str) -> int | str | None:
    """A number field's value: an int, None when empty, or the text (pydantic refuses it)."""
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return value


def local_time(value: time) -> str:
    return value.strftime("%H:%M")


def local_day(value: date) -> str:
    return value.isoformat()


def field_name(loc: Iterable[Any]) -> str:
    """The form field a problem is about: ``["body", "needs", "hs_codes", 2]`` →
    ``hs_codes``; ``["windows", 0, "date"]`` → ``windows`` (one message per repeated field)."""
    parts = [str(p) for p in loc if not isinstance(p, int) and p not in ("body", "needs",
                                                                        "offering")]
    return parts[0] if parts else "form"


def validation_errors(view: View, exc: ValidationError,
                      messages: dict[str, str] | None = None) -> dict[str, str]:
    """Pydantic's refusals as one sentence per field, in the viewer's language."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = field_name(error["loc"])
        if messages and name in messages:
            errors.setdefault(name, view._(messages[name]))
        elif error["type"] == "missing":
            errors.setdefault(name, view._(REQUIRED))
        elif error["type"] in ("int_parsing", "int_type", "int_from_float"):
            errors.setdefault(name, view._(WHOLE_NUMBER))
        else:
            errors.setdefault(name, view._(CHECK_VALUE))
    return errors


def service_errors(view: View, exc: AppError, default_field: str) -> dict[str, str]:
    """A service's refusal next to the field(s) its details point at (else ``default_field``).

    Known rule codes have their own sentence (``CODE_MESSAGES``); another message the
    service composed at run time cannot be in the catalog and shows as written.
    """
    errors: dict[str, str] = {}
    details = exc.details if isinstance(exc.details, list) else []
    for item in details:
        if isinstance(item, dict) and item.get("loc"):
            message = CODE_MESSAGES.get(str(item.get("type"))) or str(item.get("msg")
                                                                      or exc.message)
            errors.setdefault(field_name(item["loc"]), view._(message))
    if not errors:
        errors[default_field] = refusal(view, exc)
    return errors


def refusal(view: View, exc: AppError) -> str:
    """A refusal in the viewer's language (by its code when the message is not catalogued)."""
    message = CODE_MESSAGES.get(exc.code)
    return view._(message) if message else view.error_text(exc)
