"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 recommendations)."""

from __future__ import annotations

from anyio import to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified when the email is unknown, so that an unknown account costs the same time as a
# wrong password and the two cannot be told apart by timing.
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-for-equal-timing")


async def hash_password(password: str) -> str:
    # Argon2 is deliberately slow (tens of ms): keep it off the event loop.
    return await to_thread.run_sync(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def _verify() -> bool:
        try:
            return bool(_hasher.verify(password_hash or _DUMMY_HASH, password))
        except (VerificationError, InvalidHashError):
            return False

    ok = await to_thread.run_sync(_verify)
    return ok and password_hash is not None
