"""Request and response shapes for events and halls."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.kit.validation import TextInput, TimeZoneName, not_null

EventStatus = Literal["draft", "published", "live", "closed"]

Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]
OptionalTitle = Annotated[str, StringConstraints(max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
HallName = Annotated[str, StringConstraints(min_length=1, max_length=120)]
OptionalHallName = Annotated[str, StringConstraints(max_length=120)]
HallPosition = Annotated[int, Field(ge=0, le=10_000)]


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# Aware only: a naive time in a trade fair spanning continents means nothing. Kept in UTC,
# as stored; the event's time_zone says how to show it.
Moment = Annotated[AwareDatetime, AfterValidator(_to_utc)]


def ends_before_starts() -> PydanticCustomError:
    """The one error for a schedule that ends before it starts (create and update alike)."""
    return PydanticCustomError(
        "ends_before_starts", "The event must end after it starts: set ends_at after starts_at."
    )



class EventCreate(TextInput):
    title: Title
    title_zh: OptionalTitle = ""
    theme: OptionalTitle = ""
    description: LongText = ""
    description_zh: LongText = ""
    # The event's own zone: the schedule is shown in it by default.
    time_zone: TimeZoneName
    starts_at: Moment
    ends_at: Moment

    @field_validator("ends_at")
    @classmethod
    def _ends_after_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        starts_at = info.data.get("starts_at")
        if starts_at is not None and value <= starts_at:
            raise ends_before_starts()
        return value


class EventUpdate(TextInput):
    """Fields left out keep their value. The status moves only through the explicit actions."""

    title: Title | None = None
    title_zh: OptionalTitle | None = None
    theme: OptionalTitle | None = None
    description: LongText | None = None
    description_zh: LongText | None = None
    time_zone: TimeZoneName | None = None
    starts_at: Moment | None = None
    ends_at: Moment | None = None

    @field_validator(
        "title", "title_zh", "theme", "description", "description_zh", "time_zone",
        "starts_at", "ends_at",
    )
    @classmethod
    def _refuse_nulls(cls, value: object, info: ValidationInfo) -> object:
        return not_null(value, info)

    @field_validator("ends_at")
    @classmethod
    def _ends_after_start(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        starts_at = info.data.get("starts_at")
        if value is not None and starts_at is not None and value <= starts_at:
            raise ends_before_starts()
        return value


class EventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organizer_id: int
    organizer_name: str
    title: str
    title_zh: str
    theme: str
    description: str
    description_zh: str
    time_zone: str
    starts_at: datetime
    ends_at: datetime
    status: EventStatus
    created_at: datetime
    updated_at: datetime | None


class HallCreate(TextInput):
    name: HallName
    name_zh: OptionalHallName = ""
    description: LongText = ""
    # Where the hall shows in the lobby; by default after the existing halls.
    position: HallPosition | None = None


class HallUpdate(TextInput):
    name: HallName | None = None
    name_zh: OptionalHallName | None = None
    description: LongText | None = None
    position: HallPosition | None = None

    @field_validator("name", "name_zh", "description", "position")
    @classmethod
    def _refuse_nulls(cls, value: object, info: ValidationInfo) -> object:
        return not_null(value, info)


class HallRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    name: str
    name_zh: str
    description: str
    position: int
    # Approved booths only: what a visitor will find in the hall.
    booth_count: int = 0
    created_at: datetime
