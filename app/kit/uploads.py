"""Reading files a client uploads: a capped multipart reader, and safe file names.

The reader refuses a declared Content-Length over the cap before reading a byte, counts the
body while it streams in and stops at the cap, so an oversized upload is never buffered whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from app.errors import AppError, InvalidInput

# Room for the multipart envelope (boundaries, part headers, text fields) around the files.
MULTIPART_SLACK = 64 * 1024
MAX_TEXT_PART = 64 * 1024


@dataclass(frozen=True, slots=True)
class UploadedFile:
    name: str  # as the client sent it: untrusted, clean it before showing or storing it
    data: bytes


@dataclass
class MultipartUpload:
    fields: dict[str, str] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)


def is_multipart(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media_type == "multipart/form-data"


async def capped(
    stream: AsyncIterator[bytes], limit: int, error: AppError
) -> AsyncGenerator[bytes, None]:
    received = 0
    async for chunk in stream:
        received += len(chunk)
        if received > limit:
            raise error  # stop reading: the rest of an oversized body is never buffered
        yield chunk


async def read_multipart(
    request: Request,
    *,
    file_field: str,
    max_files: int,
    limit_each: int,
    too_large: AppError,
    too_many: AppError,
    max_fields: int = 20,
) -> MultipartUpload:
    """The text fields and the files (in the ``file_field`` parts, at most ``max_files``, each
    at most ``limit_each`` bytes) of a multipart/form-data request; the caller checks the
    content type first (``is_multipart``).

    A text field sent twice keeps its first value. More files than ``max_files`` raise
    ``too_many``; a body that is not well-formed multipart is a 422 ``invalid_multipart``.
    """
    cap = limit_each * max_files + MULTIPART_SLACK
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > cap:
        raise too_large
    parser = MultiPartParser(
        request.headers,
        capped(request.stream(), cap, too_large),
        max_files=max_files,
        max_fields=max_fields,
        max_part_size=MAX_TEXT_PART,
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        # Starlette says so only in its message; its limit counts the files of every field.
        if exc.message.startswith("Too many files"):
            raise too_many from exc
        raise InvalidInput(
            f"The multipart body could not be read: {exc.message}", code="invalid_multipart"
        ) from exc
    upload = MultipartUpload()
    try:
        for name, value in form.multi_items():
            if isinstance(value, str):
                upload.fields.setdefault(name, value)
            elif isinstance(value, UploadFile) and name == file_field:
                data = await value.read(limit_each + 1)
                if len(data) > limit_each:
                    raise too_large
                upload.files.append(UploadedFile(value.filename or "", data))
    finally:
        await form.close()
    return upload


# Characters Windows refuses in names, plus the path separators of every system.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


def clean_file_name(name: str, extension: str, *, default: str, max_length: int = 120) -> str:
    """A file name safe to show and to offer as a download, ending in ``extension``: the
    type the content was found to be, whatever the client called it.

    Directory parts, control and formatting characters (including the right-to-left
    override that makes ``invoice\\u202efdp.exe`` read as ``invoiceexe.pdf``) and characters
    that are invalid on Windows are removed.
    """
    base = re.split(r"[/\\]", name)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = _SPACES.sub(" ", _FORBIDDEN.sub("_", base)).strip(" .")
    stem = _EXTENSION.sub("", base).strip(" .")
    stem = stem[: max_length - len(extension) - 1].rstrip(" .") or default
    if stem.upper() in _RESERVED:
        stem = f"_{stem}"
    return f"{stem}.{extension}"
