"""The certification schemes an exhibitor can show on a booth, and how their names are written.

The vocabulary is the catalog's (``app.catalog.reference.CERTIFICATIONS``, labelled in English
and Chinese), so one certification filter finds booths and products alike. Buyers filter on
these, so one spelling per scheme: "ISO 22000", "iso22000" and "ISO-22000" are all stored as
``ISO22000``, and "BRCGS" (the scheme's current name) as ``BRC``.
"""

from __future__ import annotations

from app.catalog.reference import CERTIFICATION_CODES, CERTIFICATIONS, certification_code

# Scheme codes, in the order forms and error messages list them.
CERTIFICATION_SCHEMES: tuple[str, ...] = tuple(term.code for term in CERTIFICATIONS)


def normalize_scheme(value: str) -> str | None:
    """The scheme's code for any common spelling of it, or None if it is not a known scheme."""
    code = certification_code(value)
    return code if code in CERTIFICATION_CODES else None
