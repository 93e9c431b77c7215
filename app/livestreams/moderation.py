"""Moderation of a show's chat, by its booth's members and the event's organizer.

Deleting a line hides it for everyone, live (a ``chat.deleted`` event) and in the replay;
the row stays, with who deleted it. A mute silences one user in this show until a time
(replacing any earlier mute); the show's hosts and the event's organizer cannot be muted.
Slow mode sets the least seconds between two lines of one viewer. Deletions and mutes are
audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.kit.pagination import Page
from app.livestreams import access, cursors, repository
from app.livestreams.broadcast import audit_action, publish
from app.livestreams.errors import CannotMuteModerator, ChatMessageNotFound, UnknownUser
from app.livestreams.schemas import MuteRead, SettingsRead
from app.models.base import utcnow


async def delete_message(
    session: AsyncSession, moderator: Principal, livestream_id: int, message_id: int
) -> None:
    """Hide a line of the show's chat (404 ``chat_message_not_found`` if the show has no such
    line; deleting it again changes nothing)."""
    seen = await access.moderated(session, moderator, livestream_id)
    found = await repository.delete_message(
        session, seen.livestream.id, message_id, moderator.user_id, utcnow()
    )
    if found is None:
        raise ChatMessageNotFound()
    deleted, author_id = found
    if not deleted:
        return
    await publish(session, livestream_id, "chat.deleted", {"id": message_id})
    await audit_action(session, moderator, livestream_id, "livestream.chat_deleted",
                 {"message_id": message_id, "author_user_id": author_id})


async def mute(
    session: AsyncSession, moderator: Principal, livestream_id: int, user_id: int,
    minutes: int, now: datetime | None = None,
) -> MuteRead:
    """Silence ``user_id`` in this show's chat for ``minutes``."""
    seen = await access.moderated(session, moderator, livestream_id)
    found = await repository.user_and_organization(session, user_id)
    if found is None:
        raise UnknownUser(details=[{"loc": ["body", "user_id"], "msg": UnknownUser.message,
                                    "type": UnknownUser.code}])
    name, organization_id = found
    if organization_id is not None and organization_id in (
        seen.livestream.supplier_id, seen.event.organizer_id
    ):
        raise CannotMuteModerator()
    now = now or utcnow()
    until = now + timedelta(minutes=minutes)
    await repository.put_mute(session, seen.livestream.id, user_id, until,
                              moderator.user_id, now)
    await audit_action(session, moderator, livestream_id, "livestream.user_muted",
                 {"user_id": user_id, "until": until.isoformat()})
    return MuteRead(user_id=user_id, name=name, until=until,
                    muted_by_id=moderator.user_id)


async def unmute(
    session: AsyncSession, moderator: Principal, livestream_id: int, user_id: int
) -> None:
    """End a mute now (no mute: nothing changes)."""
    seen = await access.moderated(session, moderator, livestream_id)
    if await repository.delete_mute(session, seen.livestream.id, user_id):
        await audit_action(session, moderator, livestream_id, "livestream.user_unmuted",
                     {"user_id": user_id})


async def list_mutes(
    session: AsyncSession, moderator: Principal, livestream_id: int, limit: int,
    cursor: str | None, now: datetime | None = None,
) -> Page[MuteRead]:
    """The mutes still running, soonest to end first, ``limit`` a page; the cursor holds the
    last shown mute's (until, user_id)."""
    seen = await access.moderated(session, moderator, livestream_id)
    rows = await repository.active_mutes(session, seen.livestream.id, now or utcnow(), limit,
                                         cursors.moment_key(cursor))
    shown, next_cursor = cursors.split(
        rows, limit, lambda last: cursors.moment_cursor(last[0].until, last[0].user_id)
    )
    return Page(
        items=[MuteRead(user_id=m.user_id, name=name, until=m.until, muted_by_id=m.muted_by_id)
               for m, name in shown],
        next_cursor=next_cursor,
    )


async def set_slow_mode(
    session: AsyncSession, moderator: Principal, livestream_id: int, seconds: int
) -> SettingsRead:
    """Set slow mode (0: off); the room is told."""
    seen = await access.moderated(session, moderator, livestream_id)
    livestream = seen.livestream
    if livestream.slow_mode_seconds != seconds:
        livestream.slow_mode_seconds = seconds
        livestream.updated_at = utcnow()
        await session.flush()
        await publish(session, livestream.id, "settings", {"slow_mode_seconds": seconds})
        await audit_action(session, moderator, livestream.id, "livestream.slow_mode",
                     {"seconds": seconds})
    return SettingsRead(slow_mode_seconds=seconds)
