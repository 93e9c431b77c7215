from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import OutboxEmail


async def queue_email(session: AsyncSession, *, to: str, subject: str, body: str) -> OutboxEmail:
    """Store an email to send; it is committed (or dropped) with the change that caused it."""
    email = OutboxEmail(to_address=to, subject=subject, body_text=body)
    session.add(email)
    await session.flush()
    return email


async def recent_emails(session: AsyncSession, limit: int = 50) -> list[OutboxEmail]:
    result = await session.scalars(
        select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(limit)
    )
    return list(result)
