"""A buyer org and a supplier org talking about one subject: the thread and its messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, UTCDateTime, table_args, utcnow

NEGOTIATION_SUBJECTS = ("product", "booth")
MESSAGE_KINDS = ("text", "offer", "system")


class Negotiation(IdMixin, CreatedAtMixin, Base):
    """One thread per buyer org × supplier org × subject (a product or a booth).

    ``subject_id`` points at a product or a booth depending on ``subject_type``, so it has no
    foreign key; the service checks the subject when the thread is opened.
    """

    __tablename__ = "negotiations"
    __table_args__ = table_args(
        UniqueConstraint("buyer_id", "supplier_id", "subject_type", "subject_id"),
        CheckConstraint("subject_type IN ('product', 'booth')", name="subject_type"),
        CheckConstraint("buyer_id <> supplier_id", name="two_parties"),
    )

    buyer_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer)
    subject_title: Mapped[str] = mapped_column(String(200))
    opened_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # The last message's seq: incremented with UPDATE ... RETURNING, whose row lock keeps
    # a thread's messages numbered in commit order.
    last_message_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_activity_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, index=True
    )


class Message(IdMixin, CreatedAtMixin, Base):
    """A message in a negotiation, numbered per negotiation (``seq``)."""

    __tablename__ = "messages"
    __table_args__ = table_args(
        UniqueConstraint("negotiation_id", "seq"),
        CheckConstraint("kind IN ('text', 'offer', 'system')", name="kind"),
        # A client's retry with the same client_msg_id is stored once.
        Index(
            "uq_messages_client_msg",
            "negotiation_id",
            "sender_user_id",
            "client_msg_id",
            unique=True,
        ),
    )

    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiations.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    sender_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    sender_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text, default="")
    # System messages are keys plus data ({"key": "offer.accepted", "offer_id": 3}), so each
    # reader sees them in their own language.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"))
    client_msg_id: Mapped[str | None] = mapped_column(String(64))


class NegotiationReadState(Base):
    """How far an organization has read a negotiation (read receipts are per org)."""

    __tablename__ = "negotiation_read_states"

    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiations.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_seq: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
