"""``negotiation:{id}``: the live thread of one negotiation (durable).

Only members of the negotiation's two organizations may join or act; to anyone else the
topic does not exist (``topic_not_found``), at join and at every action.

Actions: ``message.send`` (``body``, or ``quick_reply``: a key of
app/negotiations/quick_replies.py; optional ``client_msg_id``: a retry is stored once),
``read`` (``seq``: the org's read receipt) and ``typing`` (ephemeral: fanned out, never
stored). Offers and order steps go through the HTTP API and appear here as events.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.errors import InvalidInput, NotFound
from app.models import Negotiation
from app.negotiations import service as negotiations
from app.negotiations.quick_replies import UnknownQuickReply
from app.negotiations.schemas import MAX_BODY
from app.realtime.topics import ActionContext, TopicHandler, TopicNotFound, TopicRegistry, emit


def _negotiation_id(topic_id: str) -> int:
    if not topic_id.isdigit() or not 0 < int(topic_id) < 2**31:
        raise TopicNotFound()
    return int(topic_id)


async def _only_parties(session: AsyncSession, principal: Principal, topic_id: str) -> None:
    try:
        await negotiations.visible(session, principal, _negotiation_id(topic_id))
    except NotFound:
        raise TopicNotFound() from None


async def _authorize_action(
    session: AsyncSession, principal: Principal, topic_id: str, _action: str
) -> Negotiation:
    # Membership can end while a socket is open (the principal was read at connect): ask
    # the database again at every action, with the negotiation in the same statement.
    try:
        return await negotiations.visible_to_member(
            session, principal, _negotiation_id(topic_id)
        )
    except NotFound:
        raise TopicNotFound() from None


async def _send(ctx: ActionContext) -> dict[str, Any]:
    body = ctx.payload.get("body")
    quick_reply = ctx.payload.get("quick_reply")
    if quick_reply is not None:
        if body is not None:
            raise InvalidInput("Send exactly one of body or quick_reply.",
                               code="validation_error")
        if not isinstance(quick_reply, str):
            raise UnknownQuickReply()
        body = ""
    elif not isinstance(body, str) or not 0 < len(body.strip()) <= MAX_BODY:
        raise InvalidInput(f"body must be 1 to {MAX_BODY} characters.", code="invalid_body")
    if not isinstance(ctx.authorized, Negotiation):  # registered with _authorize_action
        raise TopicNotFound()
    message, created, seq = await negotiations.post_message_to(
        ctx.session, ctx.principal, ctx.authorized, body.strip(), ctx.client_msg_id,
        quick_reply=quick_reply,
    )
    reply: dict[str, Any] = {"message": message.model_dump(mode="json")}
    if created:
        reply["seq"] = seq
    else:
        reply["duplicate"] = True
    return reply


async def _read(ctx: ActionContext) -> dict[str, Any]:
    seq = ctx.payload.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 2**31:
        raise InvalidInput("seq must be a message seq (a non-negative integer).",
                           code="invalid_seq")
    state = await negotiations.mark_read(
        ctx.session, ctx.principal, _negotiation_id(ctx.topic_id), seq
    )
    return state.model_dump(mode="json")


async def _typing(ctx: ActionContext) -> dict[str, Any]:
    await emit(
        ctx.session, topic=ctx.topic, event="typing",
        data={"user_id": ctx.principal.user_id, "name": ctx.principal.user.full_name,
              "organization_id": ctx.principal.organization_id},
        durable=False,
    )
    return {"ok": True}


def register(registry: TopicRegistry) -> None:
    registry.register(TopicHandler(
        prefix="negotiation",
        authorize_join=_only_parties,
        authorize_action=_authorize_action,
        durable=True,
        presence=True,
        actions={"message.send": _send, "read": _read, "typing": _typing},
    ))
