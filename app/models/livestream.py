"""A booth's live shows and what happens in them: chat, pins, quote requests, flash offers.

The room's counters that change many times a second (likes, viewers) are kept in the
livestream row and written in batches by each node (app/livestreams/room_driver.py), never
one statement per click.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, UTCDateTime, table_args
from app.models.offer import PERCENT
from app.models.product import MONEY, QUANTITY

LIVESTREAM_STATUSES = ("scheduled", "live", "ended")


class Livestream(IdMixin, CreatedAtMixin, Base):
    """A booth's scheduled live show; its stream is played from any streaming service's URL
    (the server never fetches it)."""

    __tablename__ = "livestreams"
    __table_args__ = table_args(
        CheckConstraint("status IN ('scheduled', 'live', 'ended')", name="status"),
        CheckConstraint("slow_mode_seconds >= 0", name="slow_mode_seconds"),
        Index("ix_livestreams_event_id_status_scheduled_start",
              "event_id", "status", "scheduled_start"),
    )

    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"),
                                          index=True)
    # Copied from the booth so the event's schedule and the host checks need no join.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    scheduled_start: Mapped[datetime] = mapped_column(UTCDateTime())
    playback_url: Mapped[str] = mapped_column(String(2000))
    recording_url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pinned_product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL")
    )
    pinned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    slow_mode_seconds: Mapped[int] = mapped_column(Integer, default=0)
    like_count: Mapped[int] = mapped_column(BigInteger, default=0)
    peak_viewers: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LivestreamFollower(CreatedAtMixin, Base):
    """A user who asked to be told when the show goes live ("Remind me")."""

    __tablename__ = "livestream_followers"

    livestream_id: Mapped[int] = mapped_column(
        ForeignKey("livestreams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class LivestreamViewer(Base):
    """A signed-in user who joined the room at least once (the funnel's unique viewers)."""

    __tablename__ = "livestream_viewers"

    livestream_id: Mapped[int] = mapped_column(
        ForeignKey("livestreams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LivestreamChatMessage(IdMixin, CreatedAtMixin, Base):
    """One chat line; a deleted one keeps its row (for the record) but is shown to no one."""

    __tablename__ = "livestream_chat_messages"
    __table_args__ = table_args(
        Index("ix_livestream_chat_messages_livestream_id_id", "livestream_id", "id"),
        # Slow mode reads a user's latest line in the room.
        Index("ix_livestream_chat_messages_livestream_id_user_id_created_at",
              "livestream_id", "user_id", "created_at"),
        # A line the browser sends again (lost reply, reconnect) is stored once; lines
        # without an id stay distinct (NULLs are not equal in a unique index).
        Index("uq_livestream_chat_messages_client_msg",
              "livestream_id", "user_id", "client_msg_id", unique=True),
    )

    livestream_id: Mapped[int] = mapped_column(ForeignKey("livestreams.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    # A snapshot, so the replay shows the name the room saw.
    author_name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    client_msg_id: Mapped[str | None] = mapped_column(String(64))


class LivestreamMute(CreatedAtMixin, Base):
    """A user silenced in one show's chat until a time (one row per user, replaced)."""

    __tablename__ = "livestream_mutes"

    livestream_id: Mapped[int] = mapped_column(
        ForeignKey("livestreams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    muted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class LivestreamPin(IdMixin, CreatedAtMixin, Base):
    """Each time the host pinned a product (the funnel counts them; the livestream row holds
    the current one)."""

    __tablename__ = "livestream_pins"

    livestream_id: Mapped[int] = mapped_column(
        ForeignKey("livestreams.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    pinned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class LivestreamQuoteRequest(IdMixin, CreatedAtMixin, Base):
    """"Ask for a quote" from the room: records that the inquiry came from this show."""

    __tablename__ = "livestream_quote_requests"

    livestream_id: Mapped[int] = mapped_column(
        ForeignKey("livestreams.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    buyer_org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    negotiation_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiations.id", ondelete="SET NULL"), index=True
    )
    # False when an existing negotiation with the supplier was reused.
    negotiation_created: Mapped[bool] = mapped_column(Boolean, default=False)


class FlashOffer(IdMixin, CreatedAtMixin, Base):
    """A limited offer published during a show: a price for a quantity, until a time.

    ``quantity_claimed`` only grows by a conditional UPDATE, and the check constraint makes
    the database itself refuse anything past ``quantity_total``.
    """

    __tablename__ = "flash_offers"
    __table_args__ = table_args(
        CheckConstraint("quantity_total > 0", name="quantity_total"),
        CheckConstraint(
            "quantity_claimed >= 0 AND quantity_claimed <= quantity_total",
            name="quantity_claimed",
        ),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
    )

    livestream_id: Mapped[int] = mapped_column(
        ForeignKey("livestreams.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    currency: Mapped[str] = mapped_column(String(3))
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    unit: Mapped[str] = mapped_column(String(16))
    quantity_total: Mapped[Decimal] = mapped_column(QUANTITY)
    quantity_claimed: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    # The terms of the offer each claim starts in its negotiation.
    incoterm: Mapped[str] = mapped_column(String(3))
    named_place: Mapped[str] = mapped_column(String(120))
    deposit_percent: Mapped[Decimal] = mapped_column(PERCENT)
    balance_terms: Mapped[str] = mapped_column(String(200), default="")
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class FlashClaim(IdMixin, CreatedAtMixin, Base):
    """A buyer's claim on a flash offer (one per buyer organization), and the negotiation
    and offer it started."""

    __tablename__ = "flash_claims"
    __table_args__ = table_args(UniqueConstraint("flash_offer_id", "buyer_org_id"))

    flash_offer_id: Mapped[int] = mapped_column(ForeignKey("flash_offers.id",
                                                           ondelete="CASCADE"))
    livestream_id: Mapped[int] = mapped_column(
        ForeignKey("livestreams.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    buyer_org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    negotiation_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiations.id", ondelete="SET NULL"), index=True
    )
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"))
    negotiation_created: Mapped[bool] = mapped_column(Boolean, default=False)
