"""Structured offers in a negotiation and their lines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, UTCDateTime, table_args
from app.models.product import MONEY, QUANTITY

OFFER_STATUSES = ("proposed", "accepted", "rejected", "withdrawn", "countered", "expired")
PERCENT = Numeric(5, 2)


class Offer(IdMixin, CreatedAtMixin, Base):
    """Terms one side proposes. Status ``proposed → accepted | rejected | withdrawn |
    countered | expired``; a counter-offer points at the offer it answers.
    """

    __tablename__ = "offers"
    __table_args__ = table_args(
        CheckConstraint(
            "status IN ('proposed', 'accepted', 'rejected', 'withdrawn', 'countered', "
            "'expired')",
            name="status",
        ),
        CheckConstraint("deposit_percent >= 0 AND deposit_percent <= 100", name="deposit"),
        # At most one open offer per negotiation, whatever races the service loses.
        Index(
            "uq_offers_one_open",
            "negotiation_id",
            unique=True,
            sqlite_where=text("status = 'proposed'"),
            postgresql_where=text("status = 'proposed'"),
        ),
    )

    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiations.id", ondelete="CASCADE"), index=True
    )
    proposed_by_org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    proposed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    answers_offer_id: Mapped[int | None] = mapped_column(
        ForeignKey("offers.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    currency: Mapped[str] = mapped_column(String(3))
    incoterm: Mapped[str] = mapped_column(String(3))
    named_place: Mapped[str] = mapped_column(String(120))
    shipment_date: Mapped[date | None] = mapped_column(Date)
    deposit_percent: Mapped[Decimal] = mapped_column(PERCENT)
    balance_terms: Mapped[str] = mapped_column(String(200), default="")
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime())
    notes: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[Decimal] = mapped_column(MONEY)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class OfferLine(IdMixin, Base):
    """One product line: quantity × unit price; ``line_total`` rounded to the currency."""

    __tablename__ = "offer_lines"
    __table_args__ = table_args(
        UniqueConstraint("offer_id", "position"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price > 0", name="price_positive"),
    )

    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL")
    )
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit: Mapped[str] = mapped_column(String(16))
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    line_total: Mapped[Decimal] = mapped_column(MONEY)
