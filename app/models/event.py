from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, UTCDateTime, table_args

EVENT_STATUSES = ("draft", "published", "live", "closed")


class Event(IdMixin, CreatedAtMixin, Base):
    """A themed online trade fair run by an organizer organization."""

    __tablename__ = "events"
    __table_args__ = table_args(
        CheckConstraint("status IN ('draft', 'published', 'live', 'closed')", name="status"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    organizer_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str] = mapped_column(String(200), default="")
    theme: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    # The event's own zone: its schedule is defined and shown in it by default.
    time_zone: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Hall(IdMixin, CreatedAtMixin, Base):
    """A zone of an event, e.g. "Frozen shrimp"."""

    __tablename__ = "halls"
    __table_args__ = table_args(UniqueConstraint("event_id", "name"))

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
