"""Files in negotiation messages: spec sheets (PDF) and photos.

Rules:

- Only members of the negotiation's two organizations may send or read them; to anyone else
  the negotiation does not exist (404 ``negotiation_not_found``), and an attachment asked
  for through another negotiation's URL does not either (404 ``attachment_not_found``).
- A message carries 1 to ``MAX_ATTACHMENTS_PER_MESSAGE`` files, each at most 10 MB as
  uploaded. The type comes from the content alone, never from the name or the declared
  type: an image passes the catalog's checks and is re-encoded (app/media/images.py); a PDF
  must parse and is refused when it is encrypted or holds active content
  (app/media/pdfs.py). Anything else is ``unsupported_attachment``. A refused upload stores
  nothing: no message, no row, no file.
- Files live under the storage prefix ``attachments/`` with random keys and are served only
  through the negotiation's API after the check above: never through a public URL, even
  where the storage has one (``Storage.url`` is for public media).
- The message is an ordinary text message (``post_message``): stored with its seq, published
  on ``negotiation:{id}`` with the attachments' metadata, and the other side is notified.
- Each user may send ``UPLOADS_PER_HOUR`` files an hour (they fill disks; refused uploads
  count too, since checking them costs CPU).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.errors import InvalidInput, NotFound, TooManyRequests
from app.kit.ratelimit import Counter
from app.kit.uploads import UploadedFile, clean_file_name
from app.media import images, pdfs
from app.media.service import MAX_UPLOAD_BYTES, FileTooLarge, ImageTooLarge
from app.media.storage import Storage, StoredFileMissing, new_key
from app.models import Attachment, Message
from app.models.attachment import MAX_ATTACHMENTS_PER_MESSAGE
from app.negotiations import repository
from app.negotiations import service as negotiations
from app.negotiations.schemas import MessageRead

MAX_ATTACHMENT_BYTES = MAX_UPLOAD_BYTES  # FileTooLarge's message says 10 MB
STORAGE_PREFIX = "attachments"
UPLOADS_PER_HOUR = 120
_HOUR = 3600


class AttachmentNotFound(NotFound):
    code = "attachment_not_found"
    message = "No such attachment in this negotiation."


class AttachmentRequired(InvalidInput):
    code = "file_required"
    message = 'Send the file as a multipart form field named "file".'


class TooManyAttachments(InvalidInput):
    code = "too_many_attachments"
    message = "A message carries at most 5 files: send the others in another message."


class UnsupportedAttachment(InvalidInput):
    code = "unsupported_attachment"
    message = ("This file is not one we accept: attach a PDF document or a JPEG, PNG, WebP "
               "or GIF picture.")


class EncryptedPdf(InvalidInput):
    code = "pdf_encrypted"
    message = ("This PDF is encrypted or protected by a password, so it cannot be checked "
               "for harmful content. Save a copy without a password and attach that.")


class ActivePdf(InvalidInput):
    code = "pdf_active_content"
    message = ("This PDF contains JavaScript, embedded files or actions that start "
               "programs, which are a common way to spread malware, so it cannot be sent. "
               "Print or export it to a plain PDF and attach that.")


class TooManyUploads(TooManyRequests):
    code = "too_many_uploads"
    message = "You have sent many files in the last hour. Wait a while before sending more."


@dataclass(frozen=True, slots=True)
class _Checked:
    """An upload that passed the checks: what will be stored and shown."""

    kind: str
    name: str
    content_type: str
    extension: str
    data: bytes
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None


def _refused(error: type[InvalidInput], index: int, name: str, reason: str) -> InvalidInput:
    # The message is the class's own (translatable); which file and why go in details.
    return error(details={"file": index, "name": name, "reason": reason})


async def _check(index: int, upload: UploadedFile) -> _Checked:
    data = upload.data
    if not data:
        raise AttachmentRequired("The file is empty.", details={"file": index})
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise FileTooLarge(details={"file": index})
    if pdfs.looks_like_pdf(data):
        try:
            await anyio.to_thread.run_sync(pdfs.check, data)
        except pdfs.PdfRejected as exc:
            error = {"encrypted": EncryptedPdf, "active": ActivePdf}.get(
                exc.reason, UnsupportedAttachment
            )
            raise _refused(error, index, upload.name, exc.detail) from exc
        return _Checked(
            kind="pdf", name=clean_file_name(upload.name, pdfs.EXTENSION, default="document"),
            content_type=pdfs.CONTENT_TYPE, extension=pdfs.EXTENSION, data=data,
        )
    try:
        image = await anyio.to_thread.run_sync(images.process, data)
    except images.ImageRejected as exc:
        error = ImageTooLarge if exc.reason == "too_large" else UnsupportedAttachment
        raise _refused(error, index, upload.name, exc.message) from exc
    return _Checked(
        kind="image", name=clean_file_name(upload.name, image.extension, default="photo"),
        content_type=image.content_type, extension=image.extension, data=image.image,
        thumbnail=image.thumbnail, width=image.width, height=image.height,
    )


async def _spend_allowance(counter: Counter, user_id: int, files: int) -> None:
    key = f"attachments:user:{user_id}"
    for _ in range(files):
        state = await counter.hit(key, _HOUR)
        if state.count > UPLOADS_PER_HOUR:
            raise TooManyUploads(retry_after=state.retry_after)


async def send(
    session: AsyncSession,
    storage: Storage,
    principal: Principal,
    negotiation_id: int,
    files: list[UploadedFile],
    *,
    body: str = "",
    client_msg_id: str | None = None,
    counter: Counter | None = None,
) -> tuple[MessageRead, bool, int | None]:
    """A party's member sends files, with optional words, as one text message.

    Returns (message, created, topic seq) like ``post_message``; a retry with the same
    ``client_msg_id`` returns the stored message and stores none of the retried files.
    """
    # Outsiders are refused before their files cost any work.
    negotiation = await negotiations.visible(session, principal, negotiation_id)
    if not files:
        raise AttachmentRequired()
    if len(files) > MAX_ATTACHMENTS_PER_MESSAGE:
        raise TooManyAttachments(details={"files": len(files)})
    if counter is not None:
        await _spend_allowance(counter, principal.user_id, len(files))
    checked = [await _check(i, upload) for i, upload in enumerate(files)]

    saved: list[str] = []

    async def save(data: bytes, suffix: str, extension: str) -> str:
        key = new_key(suffix, extension, prefix=STORAGE_PREFIX)
        saved.append(key)  # before the write: a half-done write is cleaned up too
        await storage.save(key, data)
        return key

    try:
        # Written before the message takes the negotiation's row lock, which serializes
        # the thread's writers until commit: the lock is not held through disk writes.
        stored = [
            (item, await save(item.data, "", item.extension),
             await save(item.thumbnail, "-thumb", item.extension)
             if item.thumbnail is not None else None)
            for item in checked
        ]

        async def attach(message: Message) -> list[Attachment]:
            rows = [
                Attachment(
                    negotiation_id=negotiation.id, message_id=message.id, position=position,
                    uploaded_by_user_id=principal.user_id,
                    uploaded_by_org_id=message.sender_org_id, kind=item.kind,
                    file_name=item.name, content_type=item.content_type,
                    size_bytes=len(item.data), sha256=hashlib.sha256(item.data).hexdigest(),
                    storage_key=key, thumbnail_key=thumbnail_key,
                    width=item.width, height=item.height,
                )
                for position, (item, key, thumbnail_key) in enumerate(stored)
            ]
            session.add_all(rows)
            await session.flush()
            return rows

        message, created, seq = await negotiations.post_message(
            session, principal, negotiation.id, body.strip(), client_msg_id, attach=attach
        )
    except BaseException:
        # No message, no rows, no files. (A commit that fails after this returns leaves
        # orphan files, which are harmless: nothing refers to them and their names cannot
        # be guessed.)
        await _delete(storage, saved)
        raise
    if not created:
        await _delete(storage, saved)  # a retry: the stored message keeps its own files
    return message, created, seq


async def _delete(storage: Storage, keys: list[str]) -> None:
    with anyio.CancelScope(shield=True):
        for key in keys:
            await storage.delete(key)


async def get(
    session: AsyncSession, principal: Principal, negotiation_id: int, attachment_id: int
) -> Attachment:
    """An attachment of this negotiation, for a member of one of its two organizations."""
    await negotiations.visible(session, principal, negotiation_id)
    attachment = await repository.attachment(session, attachment_id)
    if attachment is None or attachment.negotiation_id != negotiation_id:
        raise AttachmentNotFound()
    return attachment


async def read(storage: Storage, attachment: Attachment, *, thumbnail: bool = False) -> bytes:
    """The stored bytes of an attachment ``get`` returned (or of its thumbnail: images only)."""
    key = attachment.thumbnail_key if thumbnail else attachment.storage_key
    if key is None:
        raise AttachmentNotFound()
    try:
        return await storage.read(key)
    except StoredFileMissing as exc:
        raise AttachmentNotFound() from exc
