from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, UTCDateTime


class OutboxEmail(IdMixin, CreatedAtMixin, Base):
    """An email the platform wants sent, written in the same transaction as its cause.

    A mail relay (not part of the embedded mode) picks unsent rows up; in dev mode the
    ``/dev/outbox`` page lists them so a person can follow invitation links.
    """

    __tablename__ = "outbox_emails"

    to_address: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
