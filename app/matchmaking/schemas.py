"""Request and response shapes for matchmaking.

Local times (session windows and breaks, participants' availability) travel as a date and
``HH:MM`` times in a named zone: that is how people state them, and it stays true across a
DST change. Instants come back as ISO 8601 with the offset of the zone they are shown in.
Vocabulary fields (categories, certifications, incoterms, units...) get a length bound here;
their codes are checked by app/matchmaking/registration.py with their own error codes.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.catalog.schemas import Code, DecimalIn
from app.kit.validation import (
    CountryCode,
    Id,
    LanguageList,
    TextInput,
    TimeZoneName,
    not_null,
)

Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]
HsPrefix = Annotated[str, StringConstraints(min_length=2, max_length=20)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Side = Literal["buyer", "supplier"]
SessionStatus = Literal["registration", "scheduling", "scheduled", "live", "finished"]

MAX_WINDOWS = 31
MAX_BREAKS = 10
MAX_AVAILABILITY = 60
MAX_NOTE = 2000


def _end_after_start(start: time, end: time) -> None:
    if end <= start:
        raise PydanticCustomError(
            "end_before_start",
            "end must be after start on the same day; split a range that crosses midnight",
        )


class LocalRangeIn(TextInput):
    start: time = Field(description='Local time, "HH:MM".')
    end: time = Field(description='Local time, "HH:MM", after start.')

    @model_validator(mode="after")
    def _ordered(self) -> LocalRangeIn:
        _end_after_start(self.start, self.end)
        return self


class DayWindowIn(LocalRangeIn):
    date: date


class LocalRangeRead(BaseModel):
    start: time
    end: time


class DayWindowRead(LocalRangeRead):
    date: date


# --- sessions ------------------------------------------------------------------------------


class SessionCreate(TextInput):
    """Windows and breaks are local times in the event's time zone."""

    title: Title
    windows: list[DayWindowIn] = Field(min_length=1, max_length=MAX_WINDOWS)
    breaks: list[LocalRangeIn] = Field(default_factory=list, max_length=MAX_BREAKS)
    slot_minutes: int = Field(ge=5, le=240)
    max_meetings: int = Field(default=8, ge=1, le=100,
                              description="The most meetings one participant can get.")
    registration_deadline: AwareDatetime
    capacity: int | None = Field(default=None, ge=1, le=10_000,
                                 description="Tables (rooms) per slot; null: no limit.")
    request_quota: int = Field(default=10, ge=1, le=100,
                               description="Pending outgoing meeting requests per participant.")
    daily_request_cap: int = Field(default=30, ge=1, le=500,
                                   description="Meeting requests one participant sends a day.")
    request_ttl_hours: int = Field(default=48, ge=1, le=24 * 30,
                                   description="How long a meeting request waits for an answer.")


class SessionUpdate(TextInput):
    """Fields left out keep their value. Windows, breaks and the slot length change only
    while registration is open (they decide the slots)."""

    title: Title | None = None
    windows: list[DayWindowIn] | None = Field(default=None, min_length=1,
                                              max_length=MAX_WINDOWS)
    breaks: list[LocalRangeIn] | None = Field(default=None, max_length=MAX_BREAKS)
    slot_minutes: int | None = Field(default=None, ge=5, le=240)
    max_meetings: int | None = Field(default=None, ge=1, le=100)
    registration_deadline: AwareDatetime | None = None
    capacity: int | None = Field(default=None, ge=1, le=10_000,
                                 description="null removes the limit.")
    request_quota: int | None = Field(default=None, ge=1, le=100)
    daily_request_cap: int | None = Field(default=None, ge=1, le=500)
    request_ttl_hours: int | None = Field(default=None, ge=1, le=24 * 30)

    @field_validator(
        "title", "windows", "breaks", "slot_minutes", "max_meetings", "registration_deadline",
        "request_quota", "daily_request_cap", "request_ttl_hours",
    )
    @classmethod
    def _refuse_nulls(cls, value: object, info: ValidationInfo) -> object:
        return not_null(value, info)


class SlotRead(BaseModel):
    index: int
    starts_at: datetime
    ends_at: datetime


class SessionRead(BaseModel):
    id: int
    event_id: int
    title: str
    # The event's zone: windows and breaks are in it, and so are the slots' offsets.
    time_zone: str
    windows: list[DayWindowRead]
    breaks: list[LocalRangeRead]
    slot_minutes: int
    max_meetings: int
    registration_deadline: datetime
    capacity: int | None
    status: SessionStatus
    request_quota: int
    daily_request_cap: int
    request_ttl_hours: int
    slots: list[SlotRead]
    buyers: int
    suppliers: int
    # What the status allows next (for the organizer).
    allowed_actions: list[str]
    # The caller's registration in this session, if any.
    your_participant_id: int | None
    created_at: datetime
    updated_at: datetime | None


# --- participants --------------------------------------------------------------------------


class BuyerNeeds(TextInput):
    """What a buyer is after. Every field is optional; the more it says, the better the
    recommendations."""

    categories: list[Code] = Field(default_factory=list, max_length=30)
    hs_codes: list[HsPrefix] = Field(
        default_factory=list, max_length=30,
        description="HS code prefixes, 2 to 10 digits: 03, 0306, 0306.17.",
    )
    product_ids: list[Id] = Field(default_factory=list, max_length=50,
                                  description="Products of this event you are after.")
    species: list[Short] = Field(default_factory=list, max_length=30)
    yearly_volume: DecimalIn | None = None
    volume_unit: Code | None = None
    price_min: DecimalIn | None = None
    price_max: DecimalIn | None = None
    currency: Code | None = None
    certifications: list[Code] = Field(default_factory=list, max_length=30,
                                       description="Certifications you require.")
    incoterms: list[Code] = Field(default_factory=list, max_length=11)
    destination_port: str = Field(default="", max_length=120)
    destination_market: CountryCode | None = Field(
        default=None, description="Where the goods go; default: your organization's country."
    )


class SupplierOffering(TextInput):
    """What a supplier adds to what its catalog and booth already say."""

    categories: list[Code] = Field(default_factory=list, max_length=30)
    hs_codes: list[HsPrefix] = Field(default_factory=list, max_length=30)
    species: list[Short] = Field(default_factory=list, max_length=30)
    certifications: list[Code] = Field(default_factory=list, max_length=30)
    incoterms: list[Code] = Field(default_factory=list, max_length=11)
    ports: list[Short] = Field(default_factory=list, max_length=20)
    export_markets: list[CountryCode] = Field(default_factory=list, max_length=100)
    moq: DecimalIn | None = None
    moq_unit: Code | None = None
    monthly_capacity: DecimalIn | None = None
    capacity_unit: Code | None = None


class ParticipantCreate(TextInput):
    """Register your organization: a buyer sends ``needs``, a supplier ``offering``.

    ``availability`` is in ``time_zone`` (default: yours); leave it empty to be available in
    every slot of the session.
    """

    time_zone: TimeZoneName | None = None
    languages: LanguageList | None = Field(
        default=None, description="Default: your organization's languages."
    )
    max_meetings: int | None = Field(default=None, ge=1, le=100,
                                     description="At most the session's; default: that.")
    availability: list[DayWindowIn] = Field(default_factory=list, max_length=MAX_AVAILABILITY)
    needs: BuyerNeeds | None = None
    offering: SupplierOffering | None = None
    note: str = Field(default="", max_length=MAX_NOTE)


class ParticipantUpdate(TextInput):
    """Fields left out keep their value; ``needs``/``offering`` are replaced whole."""

    time_zone: TimeZoneName | None = None
    languages: LanguageList | None = None
    max_meetings: int | None = Field(default=None, ge=1, le=100)
    availability: list[DayWindowIn] | None = Field(default=None, max_length=MAX_AVAILABILITY)
    needs: BuyerNeeds | None = None
    offering: SupplierOffering | None = None
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    @field_validator("time_zone", "languages", "max_meetings", "availability", "note")
    @classmethod
    def _refuse_nulls(cls, value: object, info: ValidationInfo) -> object:
        return not_null(value, info)


class AvailabilityRead(BaseModel):
    # As entered: the participant's zone's date and wall-clock times...
    date: date
    start: time
    end: time
    # ...and the same instants with that zone's offset.
    starts_at: datetime
    ends_at: datetime


class ParticipantRead(BaseModel):
    id: int
    session_id: int
    organization_id: int
    organization_name: str
    country: str
    side: Side
    booth_id: int | None
    time_zone: str
    languages: list[str]
    max_meetings: int
    # Empty: available in every slot.
    availability: list[AvailabilityRead]
    available_slots: list[int]
    needs: dict[str, Any] | None
    offering: dict[str, Any] | None
    note: str
    created_at: datetime
    updated_at: datetime | None


# --- recommendations -----------------------------------------------------------------------


class Reason(BaseModel):
    """Why a pair scores what it does: a language-neutral key with its data, and the text
    in the caller's language."""

    key: str
    points: int
    data: dict[str, Any]
    text: str


class PartnerRead(BaseModel):
    participant_id: int
    organization_id: int
    name: str
    country: str
    side: Side
    booth_id: int | None


class RecommendationRead(BaseModel):
    partner: PartnerRead
    score: int
    reasons: list[Reason]
    # The open or accepted request between you, if any, and the organizer's must-meet mark.
    request_id: int | None
    request_status: str | None
    must_meet: bool


# --- meeting requests ----------------------------------------------------------------------


class MeetingRequestCreate(TextInput):
    recipient_id: Id = Field(description="The participant (other side) you want to meet.")
    note: str = Field(default="", max_length=MAX_NOTE)


class MeetingRequestRead(BaseModel):
    id: int
    session_id: int
    sender: PartnerRead
    recipient: PartnerRead
    direction: Literal["outgoing", "incoming", "other"]
    note: str
    status: str
    expires_at: datetime
    created_at: datetime
    decided_at: datetime | None


class MustMeetCreate(TextInput):
    buyer_id: Id = Field(description="A buyer participant of the session.")
    supplier_id: Id = Field(description="A supplier participant of the session.")


class MustMeetRead(BaseModel):
    id: int
    session_id: int
    buyer_id: int
    supplier_id: int
    created_at: datetime


# --- scheduling ----------------------------------------------------------------------------


class ScheduleJobRead(BaseModel):
    id: int
    session_id: int
    status: Literal["queued", "running", "done", "failed"]
    phase: str
    progress: float
    objective: int | None
    upper_bound: int | None
    gap: float | None
    meetings_count: int | None
    unplaced_priority: list[list[int]]
    stats: dict[str, Any]
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


# --- meetings and agendas ------------------------------------------------------------------


class MeetingCreate(TextInput):
    buyer_id: Id
    supplier_id: Id
    slot_index: int = Field(ge=0, le=10_000)
    locked: bool = Field(default=True, description="Keep it when the scheduler runs again.")


class MeetingUpdate(TextInput):
    locked: bool | None = None
    slot_index: int | None = Field(default=None, ge=0, le=10_000,
                                   description="Move the meeting to another slot.")

    @field_validator("locked", "slot_index")
    @classmethod
    def _refuse_nulls(cls, value: object, info: ValidationInfo) -> object:
        return not_null(value, info)


class MeetingSwap(TextInput):
    first_id: Id
    second_id: Id


class MeetingRead(BaseModel):
    id: int
    session_id: int
    buyer: PartnerRead
    supplier: PartnerRead
    slot_index: int
    starts_at: datetime
    ends_at: datetime
    table_number: int | None
    status: str
    locked: bool
    source: str
    score: int
    priority: int
    reasons: list[Reason]
    sequence: int


class AgendaItem(BaseModel):
    meeting_id: int
    slot_index: int
    # In the participant's time zone (ISO 8601 with its offset).
    starts_at: datetime
    ends_at: datetime
    partner: PartnerRead
    table_number: int | None
    # Where to go: the table in the hall, or the meeting's online room.
    place: str
    status: str
    score: int
    reasons: list[Reason]


class AgendaRead(BaseModel):
    session_id: int
    participant_id: int
    time_zone: str
    items: list[AgendaItem]


def decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")
