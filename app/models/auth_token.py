from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, UTCDateTime, table_args

TOKEN_KINDS = ("api", "session")


class AuthToken(IdMixin, CreatedAtMixin, Base):
    """A bearer token (``api``) or a browser session (``session``).

    Only the SHA-256 of the secret is stored: a database leak does not leak live credentials.
    """

    __tablename__ = "auth_tokens"
    __table_args__ = table_args(CheckConstraint("kind IN ('api', 'session')", name="kind"))

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
