"""A show's live chat: posting a line, and reading the chat back.

Posting is the room's hot path (thousands of viewers, tens of lines a second), so it reads
everything it decides on in one statement (``repository.chat_gate``) and stores the line
with one INSERT … RETURNING; it does not check that the caller may see the show, which the
caller has done once (the topic join, or the HTTP route).

Rules: the show must be live (409 ``livestream_not_live``); a line is 1 to 500 characters
after trimming, without control characters (422 ``invalid_body``); a muted user is refused
until the mute ends (403 ``chat_muted``, details.until); in slow mode a viewer waits that
many seconds between two lines (429 ``chat_slow_mode``, details.retry_after_seconds). The
show's hosts and the event's organizer are not slowed down.

Retries: a line may carry the sender's ``client_msg_id``. Sending it again with an id this
user already used in this show (a lost reply, a reconnect) stores and broadcasts nothing: it
answers the stored line as it was. None of the rules above refuse it (the line was accepted
the first time), except that a line a moderator has since deleted is not given back: 409
``chat_message_deleted`` (details.id), so a retry never brings a removed line back.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.livestreams import repository
from app.livestreams.broadcast import publish
from app.livestreams.errors import (
    ChatMessageDeleted,
    ChatMuted,
    ChatSlowMode,
    InvalidBody,
    LivestreamNotFound,
    LivestreamNotLive,
)
from app.livestreams.repository import StoredLine
from app.livestreams.schemas import ChatMessageRead
from app.models import Livestream
from app.models.base import utcnow

BODY_MAX = 500
REPLAY_MAX = 200


def clean_body(body: str) -> str:
    """The line as stored: trimmed, 1..500 characters, no control characters (a chat line is
    one line: line breaks are refused too)."""
    text = body.strip()
    if not 1 <= len(text) <= BODY_MAX:
        raise InvalidBody(f"Write 1 to {BODY_MAX} characters.",
                          details={"max_length": BODY_MAX})
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise InvalidBody("A chat message cannot contain control characters or line breaks.")
    return text


class _Line(Protocol):
    """A stored line: the ORM row, or the columns the gate read (``repository.StoredLine``)."""

    @property
    def id(self) -> int: ...
    @property
    def user_id(self) -> int | None: ...
    @property
    def organization_id(self) -> int | None: ...
    @property
    def author_name(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


def message_read(message: _Line, supplier_id: int) -> ChatMessageRead:
    return ChatMessageRead(
        id=message.id, user_id=message.user_id, name=message.author_name,
        organization_id=message.organization_id, body=message.body,
        sent_at=message.created_at, is_host=message.organization_id == supplier_id,
    )


@dataclass(frozen=True, slots=True)
class Posted:
    message: ChatMessageRead
    # False: a retry, answered with the line stored the first time.
    created: bool


def _retried(line: StoredLine, supplier_id: int) -> Posted:
    if line.deleted_at is not None:
        raise ChatMessageDeleted(details={"id": line.id})
    return Posted(message_read(line, supplier_id), created=False)


async def post(
    session: AsyncSession, principal: Principal, livestream_id: int, body: str, *,
    client_msg_id: str | None = None, now: datetime | None = None,
) -> Posted:
    """Store a line in a live show's chat and send it to the room, or answer a retry with
    the stored line (see the module's rules).

    A new line costs two statements: the gate's SELECT (which also looks the
    ``client_msg_id`` up) and the INSERT; a retry costs the SELECT alone. No ORM object is
    loaded. Two retries racing past the gate: the unique index lets one INSERT through and
    the other inserts nothing and reads the winner's line (a third statement, on that path
    only)."""
    # Without an id a bad line is refused before any query; with one, only once the gate
    # has shown it is not a retry of a line accepted before.
    text = clean_body(body) if client_msg_id is None else None
    now = now or utcnow()
    gate = await repository.chat_gate(session, livestream_id, principal.user_id, client_msg_id)
    if gate is None:
        raise LivestreamNotFound()
    if gate.retried is not None:
        return _retried(gate.retried, gate.supplier_id)
    if text is None:
        text = clean_body(body)
    if gate.status != "live":
        raise LivestreamNotLive(details={"status": gate.status})
    if gate.muted_until is not None and gate.muted_until > now:
        raise ChatMuted(details={"until": gate.muted_until.isoformat()})
    organization_id = principal.organization_id
    is_host = organization_id == gate.supplier_id
    moderator = is_host or organization_id == gate.organizer_id
    if not moderator and gate.slow_mode_seconds and gate.last_sent_at is not None:
        wait = gate.last_sent_at + timedelta(seconds=gate.slow_mode_seconds) - now
        if wait > timedelta(0):
            raise ChatSlowMode(math.ceil(wait.total_seconds()))
    author_name = principal.user.full_name
    message_id = await repository.insert_message(
        session, livestream_id=livestream_id, user_id=principal.user_id,
        organization_id=organization_id, author_name=author_name, body=text, now=now,
        client_msg_id=client_msg_id,
    )
    if message_id is None:
        # A concurrent retry with this id stored the line first; it broadcasts it.
        stored = None if client_msg_id is None else await repository.stored_line(
            session, livestream_id, principal.user_id, client_msg_id)
        if stored is None:
            raise RuntimeError("chat line neither inserted nor found")
        return _retried(stored, gate.supplier_id)
    message = ChatMessageRead(
        id=message_id, user_id=principal.user_id, name=author_name,
        organization_id=organization_id, body=text, sent_at=now, is_host=is_host,
    )
    await publish(session, livestream_id, "chat.message", message.model_dump(mode="json"))
    return Posted(message, created=True)


async def post_message(
    session: AsyncSession, principal: Principal, livestream_id: int, body: str, *,
    client_msg_id: str | None = None, now: datetime | None = None,
) -> ChatMessageRead:
    """``post`` when whether the line is new does not matter (the socket's reply)."""
    posted = await post(session, principal, livestream_id, body,
                        client_msg_id=client_msg_id, now=now)
    return posted.message


async def replay(
    session: AsyncSession, livestream_id: int, after_id: int | None = None,
    before_id: int | None = None, limit: int = 50,
) -> list[ChatMessageRead]:
    """The chat as it stands, oldest first, deleted lines left out: the first ``limit``
    lines after ``after_id``; or else the last ``limit`` before ``before_id``, or the latest
    ``limit`` lines when neither is given. The caller has checked that the viewer may see
    the show."""
    livestream = await session.get(Livestream, livestream_id)
    if livestream is None:
        raise LivestreamNotFound()
    rows = await repository.messages(
        session, livestream_id, after_id=after_id, before_id=before_id,
        limit=max(1, min(limit, REPLAY_MAX)),
    )
    return [message_read(row, livestream.supplier_id) for row in rows]
