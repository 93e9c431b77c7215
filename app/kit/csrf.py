"""CSRF tokens bound to a browser session (or, before sign-in, to an anonymous cookie).

The token is an HMAC of the cookie's secret, so a page can embed it and the server can check
it without storing anything; a cross-site form cannot read it and so cannot forge it.
"""

from __future__ import annotations

from app.kit.tokens import constant_time_equal, sign


def csrf_token(secret_key: str, binding: str) -> str:
    return sign(secret_key, "csrf:" + binding)


def csrf_valid(secret_key: str, binding: str | None, token: str | None) -> bool:
    if not binding or not token:
        return False
    return constant_time_equal(csrf_token(secret_key, binding), token)
