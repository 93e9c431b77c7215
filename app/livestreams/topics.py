"""The live room's topic, ``livestream:{id}`` (ephemeral; docs/realtime.md).

Join: anyone signed in who may see the show (``access.seen``); to anyone else it is
``topic_not_found``. No presence list (a room has thousands): the audience is counted, users
not sockets, across nodes (app.realtime.audience), and each node tells its own sockets the
numbers once a second (``stats``, room_driver.py). Right after ``joined`` the joiner alone
gets ``state``. Frames are coalesced: what reaches a node within 100 ms of the frame before
goes out as one ``batch``.

Actions:
- ``chat.send`` {body, client_msg_id?} → {message}: a unit of work calling
  ``chat.post_message`` (live, mute, slow mode); visibility is not read again per line, the
  join checked it. ``client_msg_id`` (1-64 of A-Z a-z 0-9 _ -, else ``invalid_frame``): a
  resend with an id the user already used in this show answers the stored line, with no
  second row and no second ``chat.message`` (``chat_message_deleted`` if a moderator
  removed it).
- ``like`` {count: 1..50} → no reply: counted in this node's memory, no database, no
  admission; written in batches by the room driver.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.errors import AppError, InvalidInput
from app.livestreams import access, chat
from app.livestreams.errors import InvalidBody
from app.livestreams.room import MAX_LIKES_PER_FRAME, Rooms, joiner_state
from app.livestreams.schemas import CLIENT_MSG_ID
from app.realtime.topics import (
    ActionContext,
    AfterJoin,
    AfterLeave,
    LocalAction,
    TopicHandler,
    TopicNotFound,
    TopicRegistry,
)

PREFIX = "livestream"
COALESCE_SECONDS = 0.1


def _show_id(topic_id: str) -> int:
    if not topic_id.isdigit() or not 0 < int(topic_id) < 2**31:
        raise TopicNotFound()
    return int(topic_id)


async def _authorize_join(session: AsyncSession, principal: Principal, topic_id: str) -> None:
    try:
        await access.seen(session, principal, _show_id(topic_id))
    except AppError:
        raise TopicNotFound() from None


async def _chat_send(ctx: ActionContext) -> dict[str, Any]:
    body = ctx.payload.get("body")
    if not isinstance(body, str):
        raise InvalidBody()
    # The connection checked that it is a string of at most 64 characters (invalid_frame
    # otherwise); the same code for the characters a chat line's id may use.
    if ctx.client_msg_id is not None and not CLIENT_MSG_ID.fullmatch(ctx.client_msg_id):
        raise InvalidInput("client_msg_id must be 1 to 64 letters, digits, _ or -.",
                           code="invalid_frame")
    message = await chat.post_message(ctx.session, ctx.principal, _show_id(ctx.topic_id), body,
                                      client_msg_id=ctx.client_msg_id)
    return {"message": message.model_dump(mode="json")}


def _like(rooms: Rooms) -> LocalAction:
    def like(_principal: Principal, topic_id: str, payload: dict[str, Any]) -> None:
        count = payload.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or not (
                1 <= count <= MAX_LIKES_PER_FRAME):
            raise InvalidInput(f"count must be a whole number from 1 to {MAX_LIKES_PER_FRAME}.",
                               code="invalid_count")
        rooms.like(_show_id(topic_id), count)
    return like


def _after_join(rooms: Rooms) -> AfterJoin:
    async def after_join(session: AsyncSession, principal: Principal, topic_id: str
                         ) -> list[tuple[str, dict[str, Any]]]:
        show_id = _show_id(topic_id)
        # Counted first: whatever happens next, the leave that follows takes it back.
        await rooms.joined(show_id, principal.user_id)
        return [("state", await joiner_state(session, rooms, principal.user_id, show_id))]
    return after_join


def _after_leave(rooms: Rooms) -> AfterLeave:
    async def after_leave(principal: Principal, topic_id: str) -> None:
        await rooms.left(_show_id(topic_id), principal.user_id)
    return after_leave


def register(registry: TopicRegistry, rooms: Rooms) -> None:
    registry.register(TopicHandler(
        prefix=PREFIX,
        authorize_join=_authorize_join,
        durable=False,
        presence=False,
        actions={"chat.send": _chat_send},
        local_actions={"like": _like(rooms)},
        after_join=_after_join(rooms),
        after_leave=_after_leave(rooms),
        coalesce_seconds=COALESCE_SECONDS,
    ))
