"""The certification schemes an exhibitor can show, and how their names are written.

Buyers filter on these, so one spelling per scheme: "ISO 22000", "iso22000" and "ISO-22000"
are all stored as ``ISO22000``, and "BRCGS" (the scheme's current name) as ``BRC``.
"""

from __future__ import annotations

import re

# Scheme code -> what it is, for people (and API docs).
CERTIFICATION_SCHEMES: dict[str, str] = {
    "HACCP": "Hazard Analysis and Critical Control Points",
    "BRC": "BRCGS Global Standard for Food Safety",
    "IFS": "IFS Food",
    "SQF": "Safe Quality Food",
    "FSSC22000": "FSSC 22000 food safety system",
    "ISO22000": "ISO 22000 food safety management",
    "ISO9001": "ISO 9001 quality management",
    "ISO14001": "ISO 14001 environmental management",
    "GMP": "Good Manufacturing Practice",
    "MSC": "Marine Stewardship Council (wild-caught, sustainable)",
    "ASC": "Aquaculture Stewardship Council (farmed, responsible)",
    "BAP": "Best Aquaculture Practices",
    "GLOBALGAP": "GLOBALG.A.P. good agricultural / aquaculture practice",
    "FOS": "Friend of the Sea",
    "FDA": "US FDA food facility registration",
    "EU": "EU-approved establishment (export number for the EU)",
    "GACC": "China customs (GACC) registration of overseas / export food producers",
    "HALAL": "Halal",
    "KOSHER": "Kosher",
    "ORGANIC": "Organic",
    "SEDEX": "Sedex / SMETA social audit",
    "BSCI": "amfori BSCI social audit",
}

_ALIASES = {
    "BRCGS": "BRC",
    "SMETA": "SEDEX",
    "AMFORIBSCI": "BSCI",
    "FRIENDOFTHESEA": "FOS",
    "GLOBALGAPCERTIFIED": "GLOBALGAP",
}

_SEPARATORS = re.compile(r"[\s.\-_/]+")


def normalize_scheme(value: str) -> str | None:
    """The scheme's code for any common spelling of it, or None if it is not a known scheme."""
    code = _SEPARATORS.sub("", value).upper()
    code = _ALIASES.get(code, code)
    return code if code in CERTIFICATION_SCHEMES else None
