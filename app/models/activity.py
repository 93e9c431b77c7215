from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, table_args

ACTIVITY_KINDS = ("booth_visit", "product_view", "inquiry", "meeting", "order")


class Activity(IdMixin, CreatedAtMixin, Base):
    """Something a dashboard counts: a booth visit, a product view, an inquiry..."""

    __tablename__ = "activities"
    __table_args__ = table_args(
        CheckConstraint(
            "kind IN ('booth_visit', 'product_view', 'inquiry', 'meeting', 'order')", name="kind"
        ),
        Index("ix_activities_event_kind_created", "event_id", "kind", "created_at"),
        Index("ix_activities_booth_kind_created", "booth_id", "kind", "created_at"),
    )

    kind: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    booth_id: Mapped[int | None] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
