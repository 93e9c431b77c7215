"""Random secrets handed to clients, and the one-way hashes stored for them."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    # A plain SHA-256 is enough: the secrets are 256 random bits, not guessable passwords.
    return hashlib.sha256(secret.encode()).hexdigest()


def sign(key: str, value: str) -> str:
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
