"""Diagnostic topics: ``diag:<name>`` (durable) and ``pulse:<name>`` (ephemeral).

Any signed-in user may join and publish short text. They back the diagnostic page, the
protocol tests and the benchmarks, and are switched off in production unless asked for.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.errors import InvalidInput
from app.realtime.topics import ActionContext, TopicHandler, TopicRegistry

MAX_TEXT = 16_000


async def _anyone_signed_in(_session: AsyncSession, _principal: Principal, _topic_id: str) -> None:
    return None


async def _publish(ctx: ActionContext) -> dict[str, Any]:
    text = ctx.payload.get("text")
    if not isinstance(text, str) or not 0 < len(text) <= MAX_TEXT:
        raise InvalidInput(f"text must be 1 to {MAX_TEXT} characters.", code="invalid_text")
    data: dict[str, Any] = {
        "text": text,
        "user_id": ctx.principal.user_id,
        "name": ctx.principal.user.full_name,
    }
    if isinstance(ctx.payload.get("sent_at_ns"), int):  # benchmarks measure latency with it
        data["sent_at_ns"] = ctx.payload["sent_at_ns"]
    seq = await ctx.emit("message", data)
    return {"seq": seq} if seq is not None else {"ok": True}


def register(registry: TopicRegistry) -> None:
    registry.register(TopicHandler(
        prefix="diag", authorize_join=_anyone_signed_in, durable=True, presence=True,
        actions={"publish": _publish},
    ))
    registry.register(TopicHandler(
        prefix="pulse", authorize_join=_anyone_signed_in, durable=False, presence=True,
        actions={"publish": _publish},
    ))
