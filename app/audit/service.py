from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEntry


async def record(
    session: AsyncSession,
    *,
    actor_user_id: int | None,
    organization_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | str,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            actor_user_id=actor_user_id,
            organization_id=organization_id,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            details=details or {},
        )
    )
    await session.flush()


async def entries_for(
    session: AsyncSession, subject_type: str, subject_id: int | str
) -> list[AuditEntry]:
    result = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id == str(subject_id))
        .order_by(AuditEntry.id)
    )
    return list(result)
