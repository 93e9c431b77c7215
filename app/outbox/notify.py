"""Tell people: a durable ``user:{id}`` notification each, and an email when it matters.

Domains choose whom (their repositories read the members) and what to say; this is the one
place that turns that into realtime events and outbox rows in the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.outbox import service as outbox
from app.realtime.topics import emit_to_many


async def notify_users(
    session: AsyncSession,
    contacts: Sequence[tuple[int, str]],
    payload: dict[str, Any],
    email: tuple[str, str] | None = None,
) -> None:
    """``contacts``: (user id, email address); ``email``: (subject, body), or None for a
    live notification only. The notifications are written together, whatever their number
    (a show's followers may be thousands)."""
    await emit_to_many(session, topics=[f"user:{user_id}" for user_id, _ in contacts],
                       event="notification", data=payload)
    if email is not None:
        subject, body = email
        for _, address in contacts:
            await outbox.queue_email(session, to=address, subject=subject, body=body)
