"""The ``Idempotency-Key`` rule.

A key belongs to the user who sent it. The first request with a key claims it in the same
transaction as its effect and stores its response; a retry (same key, same route, same
body) gets that response back and acts no more. The same key with another route or body
is a client bug → 422 ``idempotency_key_reused``.

Concurrent requests with one key: the claim is ``INSERT ... ON CONFLICT DO NOTHING``, which
on PostgreSQL waits for the transaction holding the key to finish, then sees its committed
row and response. A request that fails rolls its claim back with everything else, so the
key stays free and a retry acts afresh.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.errors import Conflict, InvalidInput
from app.kit.dialect_insert import insert_for
from app.models import IdempotencyKey

MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency_key_reused"
    message = (
        "This Idempotency-Key was already used for a different request. Use a new key for "
        "each new request, and the same key only to retry the very same request."
    )


class InvalidIdempotencyKey(InvalidInput):
    code = "invalid_idempotency_key"
    message = "The Idempotency-Key header must be 1 to 255 visible ASCII characters."


class IdempotencyKeyInFlight(Conflict):
    code = "idempotency_key_in_flight"
    message = "A request with this Idempotency-Key is still being processed; retry shortly."


@dataclass(frozen=True)
class Stored:
    status: int
    body: dict[str, Any]


@dataclass(frozen=True)
class Claim:
    key_id: int


def request_hash(route: str, body: Any) -> str:
    canonical = json.dumps([route, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_key(key: str) -> None:
    if not 0 < len(key) <= MAX_KEY_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        raise InvalidIdempotencyKey()


async def claim(
    session: AsyncSession, principal: Principal, key: str, route: str, body: Any
) -> Claim | Stored:
    """Claim the key for this request, or return the response stored for it."""
    _check_key(key)
    digest = request_hash(route, body)
    insert = insert_for(session)
    key_id = await session.scalar(
        insert(IdempotencyKey)
        .values(user_id=principal.user_id, organization_id=principal.organization_id,
                key=key, route=route, request_hash=digest)
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
        .returning(IdempotencyKey.id)
    )
    if key_id is not None:
        return Claim(int(key_id))
    row = await session.scalar(select(IdempotencyKey).where(
        IdempotencyKey.user_id == principal.user_id, IdempotencyKey.key == key
    ))
    if row is None:  # impossible: the conflict means the row exists and is committed
        raise IdempotencyKeyInFlight()
    if row.route != route or row.request_hash != digest:
        raise IdempotencyKeyReused()
    if row.response_status is None or row.response_body is None:
        raise IdempotencyKeyInFlight()
    return Stored(row.response_status, row.response_body)


async def store(session: AsyncSession, claimed: Claim, status: int, body: dict[str, Any]) -> None:
    """Keep the response with the key, in the effect's transaction."""
    await session.execute(
        update(IdempotencyKey).where(IdempotencyKey.id == claimed.key_id)
        .values(response_status=status, response_body=body)
    )
