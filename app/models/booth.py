from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, UTCDateTime, table_args

BOOTH_STATUSES = ("applied", "approved", "rejected")


class Booth(IdMixin, CreatedAtMixin, Base):
    """A supplier's presence in one event and hall (one booth per supplier per event)."""

    __tablename__ = "booths"
    __table_args__ = table_args(
        UniqueConstraint("event_id", "supplier_id"),
        CheckConstraint("status IN ('applied', 'approved', 'rejected')", name="status"),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="RESTRICT"), index=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="applied", index=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    # The profile
    description: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    banner_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    video_url: Mapped[str | None] = mapped_column(String(500))
    # ISO 3166-1 alpha-2 codes of the markets the supplier already exports to
    export_markets: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Factory facts
    founded_year: Mapped[int | None] = mapped_column(Integer)
    staff_count: Mapped[int | None] = mapped_column(Integer)
    annual_output_tonnes: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    cold_storage_tonnes: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BoothCertification(IdMixin, Base):
    """A certificate the exhibitor holds (HACCP, BRC, MSC, ASC, FDA...), shown on its booth."""

    __tablename__ = "booth_certifications"
    __table_args__ = table_args(UniqueConstraint("booth_id", "scheme", "number"))

    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(32), index=True)
    number: Mapped[str] = mapped_column(String(100))
    issuer: Mapped[str] = mapped_column(String(200), default="")
    expires_on: Mapped[date | None] = mapped_column(Date)
