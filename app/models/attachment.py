"""Files carried by negotiation messages: spec sheets (PDF) and photos."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, table_args

ATTACHMENT_KINDS = ("image", "pdf")
MAX_ATTACHMENTS_PER_MESSAGE = 5


class Attachment(IdMixin, CreatedAtMixin, Base):
    """A file in a negotiation, carried by one text message (``position`` orders a message's
    files; the check on it caps them per message).

    Only the two parties' members may read it, so it is served by the negotiation's API,
    never by a public URL. Stored under a random key; ``file_name`` is the uploader's name,
    cleaned, with the extension of what the content really is.
    """

    __tablename__ = "negotiation_attachments"
    __table_args__ = table_args(
        UniqueConstraint("message_id", "position"),
        CheckConstraint("kind IN ('image', 'pdf')", name="kind"),
        CheckConstraint(
            f"position >= 0 AND position < {MAX_ATTACHMENTS_PER_MESSAGE}", name="position"
        ),
        CheckConstraint("size_bytes > 0", name="size"),
    )

    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiations.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    uploaded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    uploaded_by_org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(8))
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    # Of the file as stored and served (an image is re-encoded): what a download can be
    # checked against.
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    # Images only.
    thumbnail_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
