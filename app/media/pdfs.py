"""Decide whether untrusted bytes are a PDF we are willing to pass on to another person.

The type is found from the content, never from the file name or the Content-Type header:
the ``%PDF-`` signature in the first kilobyte and ``%%EOF`` in the last (where Acrobat
looks), then a real parse (pypdf) that must find a document with pages. Refused even so:

- encrypted PDFs: their objects cannot be inspected, so nothing below could be checked;
- PDFs with active content: JavaScript, actions that launch programs or import data,
  embedded files, Flash (RichMedia) and XFA forms. These are how PDFs carry malware, and
  a spec sheet or a price list needs none of them.

Unlike an image the file is not rewritten: it is served as a download, as uploaded.
CPU-bound and synchronous: call ``check`` from a worker thread.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

CONTENT_TYPE = "application/pdf"
EXTENSION = "pdf"
SIGNATURE = b"%PDF-"
END_MARKER = b"%%EOF"
SIGNATURE_WITHIN = 1024
END_MARKER_WITHIN = 1024
# Dictionaries and arrays walked: a spec sheet has hundreds, a 100-page catalogue some
# thousands; past this the walk stops and the file is refused rather than letting one upload
# hold a worker for seconds.
MAX_OBJECTS = 50_000

# Keys and action types (/S values) that make a PDF do something rather than show something.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles",
                          "/RichMedia", "/RichMediaContent", "/XFA"})
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"})
_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/RichMedia"})

# What can hold (or lead to) a dictionary; numbers, names and strings cannot.
_CONTAINERS = (IndirectObject, DictionaryObject, ArrayObject)

# Parsing is where memory goes (pypdf holds the objects it reads): a few at a time.
_PARSE_SLOTS = threading.BoundedSemaphore(2)


class PdfRejected(Exception):
    """Not a PDF we accept; ``reason`` is ``unsupported``, ``encrypted`` or ``active``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class CheckedPdf:
    pages: int


def looks_like_pdf(data: bytes) -> bool:
    """The signature a PDF reader looks for: the bytes claim to be a PDF."""
    return SIGNATURE in data[:SIGNATURE_WITHIN]


def _active_in(value: DictionaryObject) -> str | None:
    for key in value:
        if key in _ACTIVE_KEYS:
            return str(key)
    for key, names in (("/S", _ACTIVE_ACTIONS), ("/Type", _ACTIVE_TYPES),
                       ("/Subtype", _ACTIVE_TYPES)):
        kind = value.get(key)
        if isinstance(kind, IndirectObject):
            kind = kind.get_object()
        if isinstance(kind, str) and kind in names:
            return str(kind)
    return None


def _find_active_content(reader: PdfReader) -> str | None:
    """The first sign of active content in everything reachable from the trailer, which is
    everything a viewer can reach (document and page actions, annotations, forms, name
    trees). Names arrive decoded (``/J#61vaScript`` is ``/JavaScript``)."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    while stack:
        value = stack.pop()
        if isinstance(value, IndirectObject):
            ref = (value.idnum, value.generation)
            if ref in seen:
                continue
            seen.add(ref)
            value = value.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise PdfRejected("unsupported", "it has too many objects to check")
        if isinstance(value, DictionaryObject):  # streams too: their dictionaries
            found = _active_in(value)
            if found is not None:
                return found
            stack.extend(v for v in value.values() if isinstance(v, _CONTAINERS))
        elif isinstance(value, ArrayObject):
            stack.extend(v for v in value if isinstance(v, _CONTAINERS))
    return None


def _check(data: bytes) -> CheckedPdf:
    if not looks_like_pdf(data):
        raise PdfRejected("unsupported", "it has no PDF signature")
    if END_MARKER not in data[-END_MARKER_WITHIN:]:
        raise PdfRejected("unsupported", "it is truncated: the end-of-file marker is missing")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:
        raise PdfRejected("unsupported", "its structure could not be read") from exc
    if reader.is_encrypted:
        raise PdfRejected("encrypted", "it is encrypted")
    pages = len(reader.pages)
    if pages < 1:
        raise PdfRejected("unsupported", "it has no pages")
    found = _find_active_content(reader)
    if found is not None:
        raise PdfRejected("active", f"it contains {found.lstrip('/')}")
    return CheckedPdf(pages=pages)


def check(data: bytes) -> CheckedPdf:
    """Validate an upload that should be a PDF; raises ``PdfRejected`` if it is not one we
    accept."""
    with _PARSE_SLOTS:
        try:
            return _check(data)
        except PdfRejected:
            raise
        except Exception as exc:
            # A hostile file breaks a parser in many ways (KeyError, RecursionError,
            # struct.error...): each one means "not a PDF we can check", never a 500.
            raise PdfRejected("unsupported", "its structure could not be read") from exc
