"""Request and response shapes of the live matchmaking day."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.kit.validation import MAX_ID, TextInput
from app.matchmaking.schemas import PartnerRead

# What a meeting led to, as each side notes it after the slot (language-neutral keys).
OUTCOMES = ("follow_up", "quote_requested", "samples", "order_likely", "no_fit")
Outcome = Literal["follow_up", "quote_requested", "samples", "order_likely", "no_fit"]
MAX_BROADCAST = 1000
MAX_NOTE = 2000


class MeetingLiveRead(BaseModel):
    """A meeting as one of its parties sees it on the live day."""

    id: int
    session_id: int
    slot_index: int
    starts_at: datetime
    ends_at: datetime
    table_number: int | None
    status: str
    your_side: Literal["buyer", "supplier"]
    partner: PartnerRead
    you_checked_in: bool
    partner_checked_in: bool
    your_rating: int | None
    your_outcome: str | None


class RatingCreate(TextInput):
    rating: int = Field(ge=1, le=5, description="1 (not useful) to 5 (very useful).")
    outcome: Outcome
    note: str = Field(default="", max_length=MAX_NOTE)


class BroadcastCreate(TextInput):
    body: str = Field(min_length=1, max_length=MAX_BROADCAST)


class BroadcastRead(BaseModel):
    id: int
    session_id: int
    body: str
    created_at: datetime


class RematchAccept(TextInput):
    partner_id: int = Field(ge=1, le=MAX_ID, description="The offered partner's participant id.")


class RematchOption(BaseModel):
    partner: PartnerRead
    slot_index: int
    starts_at: datetime
    ends_at: datetime
    score: int


class SlotCounts(BaseModel):
    slot_index: int
    starts_at: datetime
    ends_at: datetime
    counts: dict[str, int]


class LiveStats(BaseModel):
    """The organizer's console: meetings per status, overall and per slot."""

    totals: dict[str, int]
    slots: list[SlotCounts]


class LiveState(BaseModel):
    """A session's live day as the caller sees it now."""

    session_id: int
    status: str
    clock: dict[str, object]
    # Participants: their meetings in slot order; the organizer: none.
    meetings: list[MeetingLiveRead]
    next_meeting: MeetingLiveRead | None
    broadcasts: list[BroadcastRead]
    stats: LiveStats | None  # the organizer only


class NegotiationOpened(BaseModel):
    negotiation_id: int
    created: bool
