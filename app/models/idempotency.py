from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, table_args


class IdempotencyKey(IdMixin, CreatedAtMixin, Base):
    """A client's Idempotency-Key, what it was used for, and the first response to it.

    Written in the same transaction as the effect: a concurrent request with the same key
    waits on the unique index until the first commits, then reads the stored response.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = table_args(UniqueConstraint("user_id", "key"))

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String(255))
    route: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
