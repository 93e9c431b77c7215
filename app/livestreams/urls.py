"""The rule for a show's playback and recording URLs.

Pages put these URLs in a video element's ``src`` and in links, for every viewer, so only an
absolute http(s) URL with a host is taken: ``javascript:``, ``data:`` or ``file:`` would run
or read something in the viewer's browser, and credentials in a URL would be shown to all.
The server never fetches them (no request to an address a user chose).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from app.errors import InvalidInput

URL_MAX = 2000


def invalid_url(field: str, reason: str) -> InvalidInput:
    return InvalidInput(
        "Give the stream's full address, starting with https:// (or http://).",
        code="invalid_url",
        details=[{"loc": ["body", field], "msg": reason, "type": "invalid_url"}],
    )


def _problem(url: str) -> str | None:
    if not url:
        return "the address is empty"
    if len(url) > URL_MAX:
        return f"the address is longer than {URL_MAX} characters"
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return "the address contains spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port that is not a number in range
    except ValueError:
        return "the address cannot be read"
    if parts.scheme.lower() not in ("http", "https"):
        return "the address must start with https:// or http://"
    if not parts.hostname:
        return "the address has no host"
    if parts.username is not None or parts.password is not None:
        return "the address must not contain a user name or password"
    if port == 0:
        return "the address's port is not valid"
    return None


def check_url(url: str, field: str) -> str:
    """The URL if it is an absolute http(s) URL with a host, ≤ 2000 characters, without
    credentials or whitespace; else 422 ``invalid_url`` naming ``field``."""
    problem = _problem(url)
    if problem is not None:
        raise invalid_url(field, problem)
    return url
