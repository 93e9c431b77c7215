"""Orders made from accepted offers, their lines and payment milestones."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, UTCDateTime, table_args
from app.models.offer import PERCENT
from app.models.product import MONEY, QUANTITY

ORDER_STATUSES = (
    "confirmed",
    "deposit_paid",
    "in_production",
    "shipped",
    "delivered",
    "completed",
    "cancelled",
)


class Order(IdMixin, CreatedAtMixin, Base):
    """The accepted offer's terms, copied: later changes to products or offers never touch it.

    ``offer_id`` is unique, so one offer can never become two orders, whatever races happen.
    ``version`` increases with every change; a change names the version it saw
    (optimistic concurrency).
    """

    __tablename__ = "orders"
    __table_args__ = table_args(
        CheckConstraint(
            "status IN ('confirmed', 'deposit_paid', 'in_production', 'shipped', "
            "'delivered', 'completed', 'cancelled')",
            name="status",
        ),
    )

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("offers.id", ondelete="RESTRICT"), unique=True
    )
    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiations.id", ondelete="RESTRICT"), index=True
    )
    buyer_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="confirmed")
    version: Mapped[int] = mapped_column(Integer, default=1)
    currency: Mapped[str] = mapped_column(String(3))
    incoterm: Mapped[str] = mapped_column(String(3))
    named_place: Mapped[str] = mapped_column(String(120))
    shipment_date: Mapped[date | None] = mapped_column(Date)
    deposit_percent: Mapped[Decimal] = mapped_column(PERCENT)
    balance_terms: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[Decimal] = mapped_column(MONEY)
    container_number: Mapped[str | None] = mapped_column(String(20))
    bl_number: Mapped[str | None] = mapped_column(String(40))
    etd: Mapped[date | None] = mapped_column(Date)
    eta: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OrderLine(IdMixin, Base):
    __tablename__ = "order_lines"
    __table_args__ = table_args(UniqueConstraint("order_id", "position"))

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL")
    )
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit: Mapped[str] = mapped_column(String(16))
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    line_total: Mapped[Decimal] = mapped_column(MONEY)


class PaymentMilestone(IdMixin, Base):
    """A payment the terms call for (deposit, balance): amount due, and once paid, when
    and with which reference.
    """

    __tablename__ = "payment_milestones"
    __table_args__ = table_args(
        UniqueConstraint("order_id", "kind"),
        CheckConstraint("kind IN ('deposit', 'balance')", name="kind"),
    )

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    percent: Mapped[Decimal] = mapped_column(PERCENT)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    terms: Mapped[str] = mapped_column(String(200), default="")
    paid_on: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
