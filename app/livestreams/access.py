"""Who may see a show, host it, and moderate it.

A show is seen by whoever may see its booth (approved booths in visible events: anyone;
otherwise the booth's two parties). Hosting (start, end, pin, flash offers, edits) is for the
booth's members; moderation also for the event's organizer. Someone who cannot see the show
gets 404, someone who sees it but may not act gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.booths import service as booths
from app.errors import NotFound
from app.events import service as events
from app.livestreams.errors import HostRequired, LivestreamNotFound, ModeratorRequired
from app.models import Booth, Event, Livestream


@dataclass(frozen=True)
class Seen:
    """A show the viewer may see, with its booth and event, and what the viewer is to it."""

    livestream: Livestream
    booth: Booth
    event: Event
    is_host: bool
    is_organizer: bool

    @property
    def is_moderator(self) -> bool:
        return self.is_host or self.is_organizer


async def seen(session: AsyncSession, viewer: Principal | None, livestream_id: int) -> Seen:
    """The show if the viewer may see it, else 404 ``livestream_not_found``."""
    livestream = await session.get(Livestream, livestream_id)
    if livestream is None:
        raise LivestreamNotFound()
    try:
        booth, event = await booths.visible_booth_and_event(session, viewer, livestream.booth_id)
    except NotFound as exc:
        raise LivestreamNotFound() from exc
    return Seen(
        livestream=livestream, booth=booth, event=event,
        is_host=viewer is not None and viewer.is_member_of(livestream.supplier_id),
        is_organizer=events.is_organizer(viewer, event),
    )


async def hosted(session: AsyncSession, viewer: Principal, livestream_id: int) -> Seen:
    """The show if the viewer is a member of its booth's organization (else 403/404)."""
    found = await seen(session, viewer, livestream_id)
    if not found.is_host:
        raise HostRequired()
    return found


async def moderated(session: AsyncSession, viewer: Principal, livestream_id: int) -> Seen:
    """The show if the viewer may moderate it: its booth's members or the event's
    organizer (else 403/404)."""
    found = await seen(session, viewer, livestream_id)
    if not found.is_moderator:
        raise ModeratorRequired()
    return found
