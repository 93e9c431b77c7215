from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, CreatedAtMixin, IdMixin

if TYPE_CHECKING:
    from app.models.membership import Membership


class User(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "users"

    # Stored lower-cased so that uniqueness and lookups ignore case.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)

    membership: Mapped[Membership | None] = relationship(back_populates="user", lazy="raise")
