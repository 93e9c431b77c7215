"""Request and response shapes for livestreams, their pinned product card and their chat.

URLs and chat bodies are strings here and checked by the services (``urls.py``,
``chat.py``), so that their refusals carry their own codes (``invalid_url``,
``invalid_body``) over HTTP and on the socket alike.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from app.catalog.schemas import PriceTierRead, QuantityOut
from app.kit.validation import MAX_ID, InputModel, IsoMoment, TextInput, not_null

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
# A guard on the request's size only; the URL rule (≤ 2000 chars) answers invalid_url.
URL_FIELD_MAX = 10_000
MUTE_MINUTES_MAX = 7 * 24 * 60
SLOW_MODE_MAX_SECONDS = 600

When = Literal["upcoming", "live", "ended", "all"]


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:  # year 1 at +01:00, year 9999 at -05:00
        raise PydanticCustomError("datetime_range", "the time is out of range") from exc


# Stored in UTC; converted here so that a time at the edge of the calendar is a 422.
Moment = Annotated[IsoMoment, AfterValidator(_in_utc)]
# Body ids and counts: strict, so that JSON true is not read as 1.
StrictId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
# A chat line's client_msg_id: as long as the socket allows (64, the column's size), in
# characters that survive any client's URL, log or JSON unchanged (a UUID fits). Not
# trimmed: the socket does not trim it either, so one id means one line over both.
CLIENT_MSG_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
ClientMsgId = Annotated[str, StringConstraints(
    strip_whitespace=False, pattern=f"^{CLIENT_MSG_ID.pattern}$")]


class LivestreamCreate(TextInput):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    title_zh: str = Field(default="", max_length=TITLE_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    scheduled_start: Moment
    playback_url: str = Field(
        max_length=URL_FIELD_MAX,
        description="An absolute http(s) URL of the stream (HLS or MP4) from any streaming "
        "service; the server never fetches it.",
    )
    recording_url: str | None = Field(default=None, max_length=URL_FIELD_MAX)


class LivestreamUpdate(TextInput):
    """Only the fields sent change; ``scheduled_start`` only while the show is scheduled;
    ``recording_url`` may be null (no recording)."""

    title: str | None = Field(default=None, min_length=1, max_length=TITLE_MAX)
    title_zh: str | None = Field(default=None, max_length=TITLE_MAX)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    scheduled_start: Moment | None = None
    playback_url: str | None = Field(default=None, max_length=URL_FIELD_MAX)
    recording_url: str | None = Field(default=None, max_length=URL_FIELD_MAX)

    _not_null = field_validator(
        "title", "title_zh", "description", "scheduled_start", "playback_url"
    )(not_null)


class SupplierRead(BaseModel):
    id: int
    name: str


class ProductCard(BaseModel):
    """What the room shows of a pinned product: enough to decide to ask for a quote."""

    id: int
    name: str
    name_zh: str
    image_url: str | None
    currency: str
    unit: str
    moq: QuantityOut
    price_tiers: list[PriceTierRead]
    incoterms: list[str]
    port_of_loading: str
    lead_time_days: int | None
    booth_id: int | None = Field(
        description="The show's booth (for a card read outside a show: the supplier's latest "
        "approved booth, or null)."
    )


class LivestreamRead(BaseModel):
    id: int
    booth_id: int
    event_id: int
    supplier: SupplierRead
    title: str
    title_zh: str
    description: str
    scheduled_start: datetime
    playback_url: str
    recording_url: str | None
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    pinned: ProductCard | None
    slow_mode_seconds: int
    like_count: int
    peak_viewers: int
    following: bool = Field(description="You asked to be told when it goes live.")
    you_host: bool = Field(description="You are a member of the booth's organization.")
    you_moderate: bool = Field(description="You host it or organize its event.")


class PinCreate(InputModel):
    product_id: StrictId


class ChatCreate(InputModel):
    body: str = Field(
        max_length=URL_FIELD_MAX,
        description="1 to 500 characters after trimming, no control characters.",
    )
    client_msg_id: ClientMsgId | None = Field(
        default=None,
        description="Your id for this line, fresh per line: sending it again with the same "
        "id (after a lost reply) stores and shows it once and answers the stored line (200).",
    )


class ChatMessageRead(BaseModel):
    id: int
    user_id: int | None
    name: str
    organization_id: int | None
    body: str
    sent_at: datetime
    is_host: bool


class MuteCreate(InputModel):
    user_id: StrictId
    minutes: int = Field(ge=1, le=MUTE_MINUTES_MAX, strict=True)


class MuteRead(BaseModel):
    user_id: int
    name: str
    until: datetime
    muted_by_id: int | None


class SlowModeUpdate(InputModel):
    seconds: int = Field(ge=0, le=SLOW_MODE_MAX_SECONDS, strict=True,
                         description="Least seconds between two lines of one viewer; 0: off.")


class SettingsRead(BaseModel):
    slow_mode_seconds: int



class StatusRead(BaseModel):
    """The ``status`` event's payload."""

    status: str
    started_at: datetime | None
    ended_at: datetime | None
