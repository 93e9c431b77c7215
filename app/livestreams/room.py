"""This node's side of each live room: the likes and viewers its sockets brought since the
last flush, and the room's audience (users counted across nodes).

A like is a click, many a second per viewer: it never touches the database on its own. The
node adds it to the room's pending count, and the room driver (room_driver.py) writes the sum
once a second. Likewise a joiner is counted in the audience at once (app.realtime.audience)
and recorded as a unique viewer with the next flush.

Nothing here reads or writes the database except ``joiner_state``, the ``state`` event a
joiner gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.livestreams import flash, pins, room_repository
from app.livestreams.broadcast import topic_of
from app.livestreams.errors import LivestreamNotFound
from app.models.base import utcnow
from app.realtime.audience import Audience

# The most likes one frame may carry: a page sums a burst of clicks into one frame.
MAX_LIKES_PER_FRAME = 50


@dataclass
class Room:
    livestream_id: int
    pending_likes: int = 0
    # Joined here, not yet recorded as viewers of the show (recorded once it is live).
    unrecorded: set[int] = field(default_factory=set)
    # Recorded by this node already: a rejoin writes nothing.
    recorded: set[int] = field(default_factory=set)
    # What the last flush learnt and sent: totals from the database, the audience count.
    likes: int = 0
    peak_viewers: int = 0
    viewers: int = 0
    sent: tuple[int, int] | None = None

    @property
    def topic(self) -> str:
        return topic_of(self.livestream_id)

    @property
    def idle(self) -> bool:
        return not self.pending_likes and not self.unrecorded


class Rooms:
    """Every room this node has sockets in (or had, until its last flush)."""

    def __init__(self, audience: Audience) -> None:
        self.audience = audience
        self.rooms: dict[int, Room] = {}

    def room(self, livestream_id: int) -> Room:
        room = self.rooms.get(livestream_id)
        if room is None:
            room = self.rooms[livestream_id] = Room(livestream_id)
        return room

    async def joined(self, livestream_id: int, user_id: int) -> Room:
        room = self.room(livestream_id)
        await self.audience.add(room.topic, user_id)
        if user_id not in room.recorded:
            room.unrecorded.add(user_id)
        return room

    async def left(self, livestream_id: int, user_id: int) -> None:
        await self.audience.remove(topic_of(livestream_id), user_id)

    def like(self, livestream_id: int, count: int) -> None:
        self.room(livestream_id).pending_likes += count

    async def viewers(self, livestream_id: int) -> int:
        return await self.audience.count(topic_of(livestream_id))


async def joiner_state(
    session: AsyncSession, rooms: Rooms, user_id: int, livestream_id: int,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The ``state`` event for a joiner: the show as it is now, and the joiner's mute."""
    found = await room_repository.show_and_mute(session, livestream_id, user_id)
    if found is None:
        raise LivestreamNotFound()
    show, muted_until = found
    now = now or utcnow()
    pinned = await pins.pinned_card(session, show)
    room = rooms.room(livestream_id)
    return {
        "status": show.status,
        "pinned": pinned.model_dump(mode="json") if pinned else None,
        "slow_mode_seconds": show.slow_mode_seconds,
        "likes": show.like_count + room.pending_likes,
        "viewers": await rooms.viewers(livestream_id),
        "flash_offers": await flash.open_offers(session, livestream_id, now),
        "muted_until": muted_until.isoformat() if muted_until and muted_until > now else None,
    }
