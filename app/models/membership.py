from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, CreatedAtMixin, IdMixin, table_args

if TYPE_CHECKING:
    from app.models.organization import Organization
    from app.models.user import User

MEMBERSHIP_ROLES = ("owner", "member")


class Membership(IdMixin, CreatedAtMixin, Base):
    """A user's place in their organization.

    A person works for one company on the platform (user_id is unique): every action a user
    takes is on behalf of exactly one organization, which keeps authorization unambiguous.
    """

    __tablename__ = "memberships"
    __table_args__ = table_args(CheckConstraint("role IN ('owner', 'member')", name="role"))

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))

    user: Mapped[User] = relationship(back_populates="membership", lazy="raise")
    organization: Mapped[Organization] = relationship(back_populates="memberships", lazy="raise")
