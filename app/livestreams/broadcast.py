"""What a show's changes leave behind, in the caller's unit of work: events on its
``livestream:{id}`` topic, and entries in the audit trail.

The topic is ephemeral (no per-event storage: chat lines have their own table for replay);
the hub publishes what was recorded once the unit of work commits, never before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.realtime.topics import emit


def topic_of(livestream_id: int) -> str:
    return f"livestream:{livestream_id}"


async def publish(
    session: AsyncSession, livestream_id: int, event: str, data: dict[str, Any]
) -> None:
    await emit(session, topic=topic_of(livestream_id), event=event, data=data, durable=False)


async def audit_action(
    session: AsyncSession, actor: Principal, livestream_id: int, action: str,
    details: dict[str, Any],
) -> None:
    """Record in the audit trail that ``actor`` did ``action`` to the show."""
    await audit.record(
        session, actor_user_id=actor.user_id, organization_id=actor.organization_id,
        action=action, subject_type="livestream", subject_id=livestream_id, details=details,
    )
