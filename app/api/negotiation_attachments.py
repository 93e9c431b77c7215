"""Files in negotiations: /negotiations/{id}/attachments (send) and serving them to the two
parties' members."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.api.deps import CounterDep, CurrentPrincipal, SessionDep
from app.api.media import StorageDep, UnsupportedMediaType
from app.api.responses import error_responses
from app.kit.uploads import is_multipart, read_multipart
from app.kit.validation import Id
from app.media.service import FileTooLarge
from app.models.attachment import MAX_ATTACHMENTS_PER_MESSAGE
from app.negotiations import attachments
from app.negotiations import service as negotiations
from app.negotiations.schemas import AttachmentMessage, MessageRead

router = APIRouter(prefix="/negotiations", tags=["negotiations"])

# Revalidated at every use: access is checked again (a member who left loses it), and an
# unchanged file costs a 304. Never stored by shared caches.
CACHE_CONTROL = "private, no-cache"

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "minItems": 1,
                            "maxItems": MAX_ATTACHMENTS_PER_MESSAGE,
                            "description": "1 to 5 parts named file: PDFs or JPEG, PNG, WebP "
                                           "or GIF pictures, at most 10 MB each.",
                        },
                        "body": {"type": "string", "maxLength": 4000,
                                 "description": "Words sent with the files."},
                        "client_msg_id": {"type": "string", "maxLength": 64},
                    },
                    "required": ["file"],
                }
            }
        },
    }
}


@router.post(
    "/{negotiation_id}/attachments",
    status_code=status.HTTP_201_CREATED,
    openapi_extra=_UPLOAD_BODY,
    responses=error_responses(404, 413, 415, 422, 429, described={
        404: "negotiation_not_found",
        413: "file_too_large (more than 10 MB)",
        422: "unsupported_attachment, pdf_encrypted, pdf_active_content, image_too_large, "
             "too_many_attachments, file_required, invalid_multipart, validation_error",
        429: "too_many_uploads",
    }),
)
async def send_attachments(
    negotiation_id: Id, request: Request, principal: CurrentPrincipal, session: SessionDep,
    storage: StorageDep, counter: CounterDep, response: Response,
) -> MessageRead:
    """Send files (spec sheets, photos), with optional words, as one message.

    The type is read from the content, never from the name: pictures are checked like the
    catalog's and re-encoded (metadata such as GPS positions removed); PDFs must be whole,
    unencrypted and free of JavaScript, embedded files and launch actions. The message
    reaches the other side live on ``negotiation:{id}``. A retry with the same
    ``client_msg_id`` returns the stored message (200).
    """
    # Outsiders get their 404 before the body is read.
    await negotiations.visible(session, principal, negotiation_id)
    if not is_multipart(request):
        raise UnsupportedMediaType()
    upload = await read_multipart(
        request, file_field="file", max_files=MAX_ATTACHMENTS_PER_MESSAGE,
        limit_each=attachments.MAX_ATTACHMENT_BYTES, too_large=FileTooLarge(),
        too_many=attachments.TooManyAttachments(),
    )
    try:
        words = AttachmentMessage.model_validate({
            k: v for k, v in upload.fields.items() if k in ("body", "client_msg_id")
        })
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc
    message, created, _seq = await attachments.send(
        session, storage, principal, negotiation_id, upload.files, body=words.body,
        client_msg_id=words.client_msg_id, counter=counter,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return message


def content_disposition(disposition: str, name: str) -> str:
    """RFC 6266: an ASCII fallback for old clients, and the UTF-8 name (RFC 5987)."""
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _etag_matches(header: str, etag: str) -> bool:
    return any(tag.strip().removeprefix("W/") in (etag, "*") for tag in header.split(","))


async def _serve(
    request: Request, principal: CurrentPrincipal, session: SessionDep, storage: StorageDep,
    negotiation_id: int, attachment_id: int, *, thumbnail: bool,
) -> Response:
    attachment = await attachments.get(session, principal, negotiation_id, attachment_id)
    if thumbnail and attachment.thumbnail_key is None:
        raise attachments.AttachmentNotFound()
    image = attachment.kind == "image"
    headers = {
        "ETag": f'"{attachment.sha256}{"-thumb" if thumbnail else ""}"',
        "Cache-Control": CACHE_CONTROL,
        "X-Content-Type-Options": "nosniff",
        # Only pictures open in the browser; a PDF is saved, and opened by the reader.
        "Content-Disposition": content_disposition(
            "inline" if image else "attachment", attachment.file_name
        ),
        # Opened on its own, the file can run nothing and load nothing, and no other site
        # may embed it.
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    if _etag_matches(request.headers.get("if-none-match", ""), headers["ETag"]):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    data = await attachments.read(storage, attachment, thumbnail=thumbnail)
    return Response(content=data, media_type=attachment.content_type, headers=headers)


_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}, "image/webp": {}}, "description": "The file."},
    304: {"description": "Unchanged since the ETag sent in If-None-Match."},
    **error_responses(404, described={404: "negotiation_not_found or attachment_not_found"}),
}


@router.get("/{negotiation_id}/attachments/{attachment_id}", response_class=Response,
            responses=_FILE_RESPONSES)
async def get_attachment(
    negotiation_id: Id, attachment_id: Id, request: Request, principal: CurrentPrincipal,
    session: SessionDep, storage: StorageDep,
) -> Response:
    """The file, for members of the negotiation's two organizations: a PDF as a download, a
    picture inline. ``ETag`` is the file's SHA-256."""
    return await _serve(request, principal, session, storage, negotiation_id, attachment_id,
                        thumbnail=False)


@router.get("/{negotiation_id}/attachments/{attachment_id}/thumbnail",
            response_class=Response, responses=_FILE_RESPONSES)
async def get_attachment_thumbnail(
    negotiation_id: Id, attachment_id: Id, request: Request, principal: CurrentPrincipal,
    session: SessionDep, storage: StorageDep,
) -> Response:
    """A picture's thumbnail (at most 400 px); a PDF has none (404)."""
    return await _serve(request, principal, session, storage, negotiation_id, attachment_id,
                        thumbnail=True)
