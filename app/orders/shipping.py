"""Shipping document checks: ISO 6346 container numbers with their check digit."""

from __future__ import annotations

import re
import string

_CONTAINER = re.compile(r"^[A-Z]{3}[UJZ][0-9]{7}$")


def _letter_values() -> dict[str, int]:
    # ISO 6346: A=10 upwards, skipping multiples of 11 (11, 22, 33).
    values: dict[str, int] = {}
    value = 10
    for letter in string.ascii_uppercase:
        if value % 11 == 0:
            value += 1
        values[letter] = value
        value += 1
    return values


_LETTERS = _letter_values()


def normalize_container_number(value: str) -> str | None:
    """``MSCU 123456-5`` → ``MSCU1234565``; None when the format or check digit is wrong.

    The check digit catches the typo that sends a buyer's customs broker after the wrong box.
    """
    code = re.sub(r"[\s\-]", "", value).upper()
    if not _CONTAINER.match(code):
        return None
    total = sum(
        (_LETTERS[c] if c.isalpha() else int(c)) * 2**i for i, c in enumerate(code[:10])
    )
    return code if total % 11 % 10 == int(code[10]) else None
