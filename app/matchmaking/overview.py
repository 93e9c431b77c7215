"""The organizer's overview of a session: how the meeting requests stand.

Only the event's organizer reads it (403 ``organizer_required`` for anyone else who can see
the session, 404 for whoever cannot).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.matchmaking import overview_repository, service
from app.models.base import utcnow
from app.models.matchmaking import REQUEST_STATUSES


@dataclass(frozen=True)
class RequestStats:
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


async def request_stats(
    session: AsyncSession, viewer: Principal, session_id: int
) -> RequestStats:
    loaded = await service.organized(session, viewer, session_id)
    counts = await overview_repository.request_counts(session, loaded.session.id, utcnow())
    return RequestStats({status: counts.get(status, 0) for status in REQUEST_STATUSES})
