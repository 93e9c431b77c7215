"""Files in the negotiation room, in the viewer's language: sizes, thumbnails' boxes, and the
words the room's script shows while it sends files (its progress and every refusal)."""

from __future__ import annotations

from collections.abc import Callable

from babel.units import format_unit

from app.media import images
from app.media.service import FileTooLarge, ImageTooLarge
from app.negotiations import attachments
from app.negotiations.schemas import AttachmentRead
from app.web.messages import N_

CHOOSE_A_FILE = N_("Choose a file to send first.")
# The script's words ({percent} and {name} are filled in by it).
SCRIPT_WORDS = {
    "uploading": N_("Sending {name}… {percent}%"),
    "failed": N_("The files were not sent. Check your connection and try again."),
    "choose": CHOOSE_A_FILE,
}
# Refusals by error code: the service's own messages, so the page and the API agree.
REFUSALS = {
    error.code: error.message
    for error in (
        attachments.UnsupportedAttachment, attachments.EncryptedPdf, attachments.ActivePdf,
        attachments.TooManyAttachments, attachments.TooManyUploads,
        attachments.AttachmentRequired, FileTooLarge, ImageTooLarge,
    )
}


def attachment_words(gettext: Callable[[str], str]) -> dict[str, str]:
    """Everything the script may show about sending files, translated."""
    return {key: gettext(text) for key, text in {**SCRIPT_WORDS, **REFUSALS}.items()}


def file_size(size: int, locale: str) -> str:
    """``340 kB``, ``1.2 MB``: CLDR short units in the viewer's number format."""
    if size < 1024:
        return format_unit(size, "digital-byte", length="short", locale=locale)
    if size < 1024 * 1024:
        return format_unit(round(size / 1024), "digital-kilobyte", length="short",
                           locale=locale)
    return format_unit(round(size / 1024 / 1024, 1), "digital-megabyte", length="short",
                       locale=locale, format="#,##0.#")


def thumbnail_size(attachment: AttachmentRead) -> tuple[int, int]:
    """The thumbnail's width and height (the page reserves its box before it loads)."""
    width, height = attachment.width or 1, attachment.height or 1
    scale = min(1.0, images.THUMBNAIL_DIMENSION / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))
