"""Rules for uploaded media (images for products, booths and profiles).

Any signed-in member of an organization may upload; the image belongs to the organization,
and only its members may attach it to their products or booth. Uploads are images only,
checked by content, at most ``MAX_UPLOAD_BYTES`` and ``images.MAX_PIXELS``, and stored
re-encoded under random names. Once uploaded an image is public: anyone with its id can
fetch it (product and booth pictures are meant to be seen).
"""

from __future__ import annotations

from collections.abc import Collection

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.errors import AppError, InvalidInput, NotFound, PermissionDenied
from app.media import images, repository
from app.media.storage import Storage, StoredFileMissing, new_key
from app.models import Media

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # FileTooLarge's message says 10 MB
API_PREFIX = "/api/v1/media"


class MediaNotFound(NotFound):
    code = "media_not_found"
    message = "No such image."


class OrganizationRequired(PermissionDenied):
    code = "organization_required"
    message = "Uploads belong to an organization; this account is not a member of one."


class FileRequired(InvalidInput):
    code = "file_required"
    message = "Send the image as a multipart form field named \"file\"."


class FileTooLarge(AppError):
    status_code = 413
    code = "file_too_large"
    message = "The file is larger than 10 MB. Make it smaller and upload it again."


class UnsupportedImage(InvalidInput):
    code = "unsupported_image"
    message = "This file is not an image we accept: upload a JPEG, PNG, WebP or GIF picture."


class ImageTooLarge(InvalidInput):
    code = "image_too_large"
    message = "This image has more than 50 megapixels. Resize it and upload it again."


def image_url(media_id: int, *, thumbnail: bool = False) -> str:
    return f"{API_PREFIX}/{media_id}" + ("/thumbnail" if thumbnail else "")


async def _process(data: bytes) -> images.ProcessedImage:
    # Decoding and encoding take tens to hundreds of milliseconds of CPU: off the event loop.
    # The messages are the classes' own (translatable); the specifics go in details.
    try:
        return await anyio.to_thread.run_sync(images.process, data)
    except images.ImageRejected as exc:
        details = {"reason": exc.message}
        if exc.reason == "too_large":
            raise ImageTooLarge(details=details) from exc
        raise UnsupportedImage(details=details) from exc


async def upload_image(
    session: AsyncSession, storage: Storage, principal: Principal, data: bytes
) -> Media:
    """Store an image for the caller's organization: checked, re-encoded, thumbnailed."""
    organization_id = principal.organization_id
    if organization_id is None:
        raise OrganizationRequired()
    if not data:
        raise FileRequired("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileTooLarge()
    processed = await _process(data)
    key = new_key("", processed.extension)
    thumbnail_key = new_key("-thumb", processed.extension)
    await storage.save(key, processed.image)
    await storage.save(thumbnail_key, processed.thumbnail)
    media = Media(
        owner_org_id=organization_id,
        uploaded_by_id=principal.user_id,
        storage_key=key,
        thumbnail_key=thumbnail_key,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        size_bytes=len(processed.image),
    )
    try:
        session.add(media)
        await session.flush()
        await audit.record(
            session,
            actor_user_id=principal.user_id,
            organization_id=organization_id,
            action="media.uploaded",
            subject_type="media",
            subject_id=media.id,
            details={"width": media.width, "height": media.height},
        )
    except BaseException:
        # No row, no files. (A failed commit after this point leaves two orphan files,
        # which are harmless: nothing refers to them and their names cannot be guessed.)
        with anyio.CancelScope(shield=True):
            await storage.delete(key)
            await storage.delete(thumbnail_key)
        raise
    return media


async def get(session: AsyncSession, media_id: int) -> Media:
    media = await repository.get(session, media_id)
    if media is None:
        raise MediaNotFound()
    return media


async def read(
    session: AsyncSession, storage: Storage, media_id: int, *, thumbnail: bool = False
) -> tuple[Media, bytes]:
    """An image's stored bytes (public: see the module docstring)."""
    media = await get(session, media_id)
    try:
        data = await storage.read(media.thumbnail_key if thumbnail else media.storage_key)
    except StoredFileMissing as exc:
        raise MediaNotFound() from exc
    return media, data


async def list_own(
    session: AsyncSession, principal: Principal, *, limit: int, before_id: int | None
) -> list[Media]:
    """The caller's organization's uploads, newest first."""
    if principal.organization_id is None:
        raise OrganizationRequired()
    return await repository.list_for_org(
        session, principal.organization_id, limit=limit, before_id=before_id
    )


async def get_many(session: AsyncSession, media_ids: Collection[int]) -> dict[int, Media]:
    return await repository.get_many(session, media_ids)


async def owned_by(
    session: AsyncSession, organization_id: int, media_ids: Collection[int]
) -> set[int]:
    """Which of these ids are images of this organization (others, or missing, are not)."""
    found = await repository.get_many(session, media_ids)
    return {i for i, media in found.items() if media.owner_org_id == organization_id}
