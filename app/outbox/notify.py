"""Tell people: a durable ``user:{id}`` notification each, and an email when it matters.

Domains choose whom (their repositories read the members) and what to say; this is the one
place that turns that into realtime events and outbox rows in the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.outbox import service as outbox
from app.realtime.topics import emit


async def notify_users(
    session: AsyncSession,
    contacts: Sequence[tuple[int, str]],
    payload: dict[str, Any],
    email: tuple[str, str] | None = None,
) -> None:
    """``contacts``: (user id, email address); ``email``: (subject, body), or None for a
    live notification only."""
    for user_id, address in contacts:
        await emit(session, topic=f"user:{user_id}", event="notification", data=payload,
                   durable=True)
        if email is not None:
            subject, body = email
            await outbox.queue_email(session, to=address, subject=subject, body=body)
