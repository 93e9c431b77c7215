"""Running a POST under an ``Idempotency-Key`` (see app/idempotency/service.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.idempotency import service as idempotency

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=idempotency.MAX_KEY_LENGTH,
        description="Any unique string (a UUID): a retry with the same key and body returns "
        "the first response and acts no more.",
    ),
]
REPLAYED_HEADER = "Idempotent-Replayed"


async def run_idempotent(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    key: str | None,
    body: Any,
    action: Callable[[], Awaitable[BaseModel]],
    status_code: int = 200,
) -> JSONResponse:
    """Act once per key: the first request acts and stores its response, retries get it."""
    if key is None:
        return JSONResponse((await action()).model_dump(mode="json"), status_code)
    route = f"{request.method} {request.url.path}"
    claimed = await idempotency.claim(session, principal, key, route, body)
    if isinstance(claimed, idempotency.Stored):
        return JSONResponse(claimed.body, claimed.status, headers={REPLAYED_HEADER: "true"})
    content = (await action()).model_dump(mode="json")
    await idempotency.store(session, claimed, status_code, content)
    return JSONResponse(content, status_code)
