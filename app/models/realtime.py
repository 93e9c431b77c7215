from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, table_args


class TopicSequence(Base):
    """The last sequence number handed out on a durable topic.

    Incrementing this row (``UPDATE ... RETURNING``) takes its row lock until the transaction
    ends, so on one topic sequence numbers are committed in the order they were handed out:
    readers never see seq 6 committed while seq 5 is still pending.
    """

    __tablename__ = "topic_sequences"

    topic: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class TopicEvent(IdMixin, CreatedAtMixin, Base):
    """One event on a durable topic, stored before it is published or acknowledged."""

    __tablename__ = "topic_events"
    __table_args__ = table_args(
        UniqueConstraint("topic", "seq"),
        # A client's retry with the same client_msg_id is stored once.
        Index(
            "uq_topic_events_client_msg",
            "topic",
            "sender_user_id",
            "client_msg_id",
            unique=True,
        ),
    )

    topic: Mapped[str] = mapped_column(String(100))
    seq: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sender_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    client_msg_id: Mapped[str | None] = mapped_column(String(64))
