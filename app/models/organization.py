from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, CreatedAtMixin, IdMixin, table_args

if TYPE_CHECKING:
    from app.models.membership import Membership

ORGANIZATION_KINDS = ("supplier", "buyer", "organizer")


class Organization(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "organizations"
    __table_args__ = table_args(
        CheckConstraint("kind IN ('supplier', 'buyer', 'organizer')", name="kind"),
    )

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    # ISO 3166-1 alpha-2
    country: Mapped[str] = mapped_column(String(2))
    # BCP 47 language tags the organization works in, e.g. ["zh", "en"]
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))
    # Private settings: visible to members (and platform admins) only.
    contact_email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organization", lazy="raise"
    )
