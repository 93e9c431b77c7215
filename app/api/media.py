"""Media uploads: /media (images only, re-encoded) and serving them.

Also ``read_upload``: one uploaded file from a request body, with a size cap enforced while
reading (app/kit/uploads.py); the CSV import uses it too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status

from app.api.deps import CurrentPrincipal, SessionDep, SettingsDep
from app.api.responses import error_responses
from app.errors import AppError, InvalidInput
from app.kit.pagination import Page, PageDep, cursor_id, id_page
from app.kit.uploads import capped, is_multipart, read_multipart
from app.kit.validation import Id
from app.media import service as media_service
from app.media.schemas import MediaRead
from app.media.service import FileRequired, FileTooLarge
from app.media.storage import Storage, storage_for

router = APIRouter(tags=["media"])

# Served images never change under an id: caches may keep them for a year.
CACHE_FOREVER = "public, max-age=31536000, immutable"


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "unsupported_media_type"
    message = "Send the file as multipart/form-data in a field named \"file\"."


async def get_storage(settings: SettingsDep) -> Storage:
    return storage_for(settings)


StorageDep = Annotated[Storage, Depends(get_storage)]


async def read_upload(
    request: Request,
    *,
    limit: int,
    too_large: AppError,
    field: str = "file",
    raw_types: frozenset[str] = frozenset(),
) -> bytes:
    """The uploaded file's bytes: a multipart field, or the raw body for ``raw_types``.

    A declared Content-Length over the cap is refused before a byte is read; otherwise the
    body is counted while it streams in and refused as soon as it passes the cap.
    """
    if is_multipart(request):
        upload = await read_multipart(
            request, file_field=field, max_files=1, limit_each=limit, too_large=too_large,
            too_many=InvalidInput(f"Send one file, in the multipart field named \"{field}\".",
                                  code="invalid_multipart"),
        )
        if not upload.files:
            raise FileRequired(f"Send the file in a multipart field named \"{field}\".")
        return upload.files[0].data
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type in raw_types:
        declared = request.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise too_large
        return b"".join([chunk async for chunk in capped(request.stream(), limit, too_large)])
    accepted = ", ".join(["multipart/form-data", *sorted(raw_types)])
    raise UnsupportedMediaType(f"Send the file as {accepted}.")


def multipart_body(description: str) -> dict[str, Any]:
    """OpenAPI for a body read by ``read_upload`` (FastAPI cannot infer it)."""
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            },
        }
    }


@router.post(
    "/media",
    status_code=status.HTTP_201_CREATED,
    openapi_extra=multipart_body(
        "An image (JPEG, PNG, WebP or GIF, by content), at most 10 MB and 50 megapixels."
    ),
    responses=error_responses(
        413,
        415,
        described={422: "unsupported_image, image_too_large, file_required"},
    ),
)
async def upload_media(
    request: Request, principal: CurrentPrincipal, session: SessionDep, storage: StorageDep
) -> MediaRead:
    """Upload an image for your organization (any signed-in member).

    The image is checked by its content, re-encoded to WebP without metadata (at most
    2048 px on its longest side) and given a 400 px thumbnail.
    """
    if principal.organization_id is None:
        raise media_service.OrganizationRequired()
    data = await read_upload(
        request, limit=media_service.MAX_UPLOAD_BYTES, too_large=FileTooLarge()
    )
    media = await media_service.upload_image(session, storage, principal, data)
    return MediaRead.of(media)


@router.get("/media")
async def list_media(
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageDep,
) -> Page[MediaRead]:
    """Your organization's uploads, newest first."""
    before_id = cursor_id(page.cursor)
    rows = await media_service.list_own(
        session, principal, limit=page.limit + 1, before_id=before_id
    )
    return id_page(rows, page.limit, MediaRead.of)


def _image_response(content_type: str, data: bytes) -> Response:
    return Response(
        content=data,
        media_type=content_type,
        headers={
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": CACHE_FOREVER,
            "Content-Disposition": "inline",
            # Opened on its own, the file can run nothing and load nothing.
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


_IMAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/webp": {}}, "description": "The image."},
    **error_responses(described={404: "media_not_found"}),
}


@router.get("/media/{media_id}", response_class=Response, responses=_IMAGE_RESPONSES)
async def get_media(
    media_id: Id, session: SessionDep, storage: StorageDep
) -> Response:
    """The image (public)."""
    media, data = await media_service.read(session, storage, media_id)
    return _image_response(media.content_type, data)


@router.get("/media/{media_id}/thumbnail", response_class=Response, responses=_IMAGE_RESPONSES)
async def get_media_thumbnail(
    media_id: Id, session: SessionDep, storage: StorageDep
) -> Response:
    """The image's thumbnail, at most 400 px on its longest side (public)."""
    media, data = await media_service.read(session, storage, media_id, thumbnail=True)
    return _image_response(media.content_type, data)

