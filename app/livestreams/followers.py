"""Followers of a show ("Remind me"): anyone signed in who may see the show follows it, and
is told on their ``user:{id}`` topic when it goes live.

The notification is live only (no email): it is worth something at the moment the show
starts, and an email read later would point at a show that may be over.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.livestreams import access, repository
from app.models import Livestream
from app.models.base import utcnow
from app.outbox.notify import notify_users

LIVE_KIND = "livestream.live"


async def follow(session: AsyncSession, viewer: Principal, livestream_id: int) -> None:
    """Follow the show (again: nothing changes)."""
    seen = await access.seen(session, viewer, livestream_id)
    await repository.follow(session, seen.livestream.id, viewer.user_id, utcnow())


async def unfollow(session: AsyncSession, viewer: Principal, livestream_id: int) -> None:
    """Stop following the show (not following: nothing changes)."""
    seen = await access.seen(session, viewer, livestream_id)
    await repository.unfollow(session, seen.livestream.id, viewer.user_id)


async def notify_live(session: AsyncSession, livestream: Livestream) -> None:
    """Tell every follower that the show has just gone live."""
    contacts = await repository.follower_contacts(session, livestream.id)
    if not contacts:
        return
    await notify_users(session, contacts, {
        "kind": LIVE_KIND,
        "livestream_id": livestream.id,
        "event_id": livestream.event_id,
        "booth_id": livestream.booth_id,
        "title": livestream.title,
        "title_zh": livestream.title_zh,
    })
