"""What the live matchmaking day adds to the session's tables: the organizer's broadcasts."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin


class MatchmakingBroadcast(IdMixin, CreatedAtMixin, Base):
    """A message from the organizer to every participant of a live session (stored, so a
    lobby or a room opened later still shows the latest ones)."""

    __tablename__ = "matchmaking_broadcasts"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    sent_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
