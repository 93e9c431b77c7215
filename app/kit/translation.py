"""Marking text for translation outside the pages.

Domain modules (which must not import the web layer) mark user-facing text with ``N_`` so
that the extraction (frontend/translations/README.md) finds it; the pages translate it into
the reader's language when they show it.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here (translated when shown)."""
    return message
