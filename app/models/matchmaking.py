"""Collective matchmaking: sessions, their slots, participants, requests, meetings and the
scheduling jobs that place them.

Participants, requests and meetings point at participant rows (not organizations), so every
id in them belongs to one session, and "no pair twice" or "one meeting per participant per
slot" are plain unique constraints that hold whatever races happen.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, UTCDateTime, table_args
from app.models.product import MONEY, QUANTITY

SESSION_STATUSES = ("registration", "scheduling", "scheduled", "live", "finished")
SIDES = ("buyer", "supplier")
REQUEST_STATUSES = ("pending", "accepted", "declined", "cancelled", "expired")
MEETING_STATUSES = ("scheduled", "checked_in", "in_progress", "done", "no_show")
MEETING_SOURCES = ("scheduler", "organizer")
JOB_STATUSES = ("queued", "running", "done", "failed")

_OPEN_REQUEST = "status IN ('pending', 'accepted')"
_ACTIVE_JOB = "status IN ('queued', 'running')"


class MatchmakingSession(IdMixin, CreatedAtMixin, Base):
    """An organizer's matchmaking session inside an event.

    ``windows`` and ``breaks`` are local times in the event's time zone, as the organizer
    entered them; the slots derived from them are stored in UTC (``MatchmakingSlot``).
    """

    __tablename__ = "matchmaking_sessions"
    __table_args__ = table_args(
        CheckConstraint(
            "status IN ('registration', 'scheduling', 'scheduled', 'live', 'finished')",
            name="status",
        ),
        CheckConstraint("slot_minutes > 0", name="slot_minutes_positive"),
        CheckConstraint("max_meetings > 0", name="max_meetings_positive"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # [{"date": "2031-05-12", "start": "09:00", "end": "12:30"}, ...] in the event's zone
    windows: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # [{"start": "10:30", "end": "10:45"}, ...]: the same local break every day
    breaks: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    max_meetings: Mapped[int] = mapped_column(Integer)
    registration_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    # Tables (or rooms) per slot; None: unlimited (online meetings need no table).
    capacity: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="registration", index=True)
    # Anti-spam: pending outgoing requests per participant, requests per rolling day.
    request_quota: Mapped[int] = mapped_column(Integer, default=10)
    daily_request_cap: Mapped[int] = mapped_column(Integer, default=30)
    request_ttl_hours: Mapped[int] = mapped_column(Integer, default=48)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MatchmakingSlot(Base):
    """One meeting slot of a session, derived from its windows: real UTC instants."""

    __tablename__ = "matchmaking_slots"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    slot_index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MatchmakingParticipant(IdMixin, CreatedAtMixin, Base):
    """A buyer or supplier organization registered in a session, with what it looks for
    (buyers: needs) or what it adds to its catalog (suppliers: offering)."""

    __tablename__ = "matchmaking_participants"
    __table_args__ = table_args(
        UniqueConstraint("session_id", "organization_id"),
        CheckConstraint("side IN ('buyer', 'supplier')", name="side"),
        CheckConstraint("max_meetings > 0", name="max_meetings_positive"),
    )

    session_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(16))
    booth_id: Mapped[int | None] = mapped_column(ForeignKey("booths.id", ondelete="SET NULL"))
    # The zone the participant entered its availability in, and sees its agenda in.
    time_zone: Mapped[str] = mapped_column(String(64))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_meetings: Mapped[int] = mapped_column(Integer)
    # Both sides: category codes, HS codes (buyers: prefixes), species, certifications
    # (buyers: required; suppliers: held beyond the catalog's), incoterms.
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    hs_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    species: Mapped[list[str]] = mapped_column(JSON, default=list)
    certifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    incoterms: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Buyers: products of the event they are after.
    product_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    yearly_volume: Mapped[Decimal | None] = mapped_column(QUANTITY)
    volume_unit: Mapped[str | None] = mapped_column(String(16))
    price_min: Mapped[Decimal | None] = mapped_column(MONEY)
    price_max: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str | None] = mapped_column(String(3))
    destination_port: Mapped[str] = mapped_column(String(120), default="")
    destination_market: Mapped[str | None] = mapped_column(String(2))
    # Suppliers: what they add to what the catalog and booth say.
    ports: Mapped[list[str]] = mapped_column(JSON, default=list)
    export_markets: Mapped[list[str]] = mapped_column(JSON, default=list)
    moq: Mapped[Decimal | None] = mapped_column(QUANTITY)
    moq_unit: Mapped[str | None] = mapped_column(String(16))
    monthly_capacity: Mapped[Decimal | None] = mapped_column(QUANTITY)
    capacity_unit: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    registered_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MatchmakingAvailability(IdMixin, Base):
    """A window in which a participant can meet, in UTC (entered in its own zone)."""

    __tablename__ = "matchmaking_availability"
    __table_args__ = table_args(CheckConstraint("ends_at > starts_at", name="ends_after_start"))

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_participants.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MeetingRequest(IdMixin, CreatedAtMixin, Base):
    """One participant asks another (of the other side) for a meeting.

    Stored by buyer and supplier rather than sender and recipient, so that one open
    (pending or accepted) request per pair, whichever side sent it, is a unique index.
    """

    __tablename__ = "meeting_requests"
    __table_args__ = table_args(
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'cancelled', 'expired')",
            name="status",
        ),
        CheckConstraint("sender_side IN ('buyer', 'supplier')", name="sender_side"),
        Index(
            "uq_meeting_requests_open_pair", "buyer_id", "supplier_id", unique=True,
            sqlite_where=text(_OPEN_REQUEST), postgresql_where=text(_OPEN_REQUEST),
        ),
    )

    session_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), index=True
    )
    buyer_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_participants.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_participants.id", ondelete="CASCADE"), index=True
    )
    sender_side: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MustMeet(IdMixin, CreatedAtMixin, Base):
    """The organizer wants this pair to meet: the scheduler places it first."""

    __tablename__ = "matchmaking_must_meets"
    __table_args__ = table_args(UniqueConstraint("buyer_id", "supplier_id"))

    session_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), index=True
    )
    buyer_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_participants.id", ondelete="CASCADE")
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_participants.id", ondelete="CASCADE"), index=True
    )
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class Meeting(IdMixin, CreatedAtMixin, Base):
    """A 1:1 meeting of a buyer and a supplier in one slot of a session.

    ``sequence`` grows whenever the meeting moves (calendar clients update their copy);
    ``locked`` meetings are kept by a re-run of the scheduler.
    """

    __tablename__ = "matchmaking_meetings"
    __table_args__ = table_args(
        UniqueConstraint("buyer_id", "supplier_id"),
        UniqueConstraint("buyer_id", "slot_index"),
        UniqueConstraint("supplier_id", "slot_index"),
        UniqueConstraint("session_id", "slot_index", "table_number"),
        CheckConstraint(
            "status IN ('scheduled', 'checked_in', 'in_progress', 'done', 'no_show')",
            name="status",
        ),
        CheckConstraint("source IN ('scheduler', 'organizer')", name="source"),
        CheckConstraint(
            "buyer_rating IS NULL OR buyer_rating BETWEEN 1 AND 5", name="buyer_rating"
        ),
        CheckConstraint(
            "supplier_rating IS NULL OR supplier_rating BETWEEN 1 AND 5", name="supplier_rating"
        ),
    )

    session_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), index=True
    )
    buyer_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_participants.id", ondelete="CASCADE")
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_participants.id", ondelete="CASCADE")
    )
    slot_index: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    table_number: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16), default="scheduler")
    score: Mapped[int] = mapped_column(Integer, default=0)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    # Why this pair meets, as language-neutral keys + data (app/matchmaking/scoring.py).
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # The live day and after (filled by the live-session work).
    buyer_checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    supplier_checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    buyer_rating: Mapped[int | None] = mapped_column(Integer)
    supplier_rating: Mapped[int | None] = mapped_column(Integer)
    buyer_outcome: Mapped[str | None] = mapped_column(String(32))
    supplier_outcome: Mapped[str | None] = mapped_column(String(32))
    buyer_note: Mapped[str] = mapped_column(Text, default="")
    supplier_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ScheduleJob(IdMixin, CreatedAtMixin, Base):
    """A run of the scheduler for a session; at most one queued or running per session."""

    __tablename__ = "matchmaking_schedule_jobs"
    __table_args__ = table_args(
        CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name="status"
        ),
        Index(
            "uq_matchmaking_schedule_jobs_active", "session_id", unique=True,
            sqlite_where=text(_ACTIVE_JOB), postgresql_where=text(_ACTIVE_JOB),
        ),
    )

    session_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="queued")
    phase: Mapped[str] = mapped_column(String(64), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    objective: Mapped[int | None] = mapped_column(BigInteger)
    upper_bound: Mapped[int | None] = mapped_column(BigInteger)
    gap: Mapped[float | None] = mapped_column(Float)
    meetings_count: Mapped[int | None] = mapped_column(Integer)
    # Accepted requests and must-meets the solver could not place: [[buyer, supplier], ...]
    unplaced_priority: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Refreshed while the job runs: a job whose heartbeat stopped (its process died) is
    # failed by the next start or schedule request, so a session is never stuck.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
