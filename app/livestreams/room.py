"""This node's side of each live room: the likes and viewers its sockets brought since the
last flush, and the room's audience (users counted across nodes).

A like is a click, many a second per viewer: it never touches the database on its own. The
node adds it to the room's pending count, and the room driver (room_driver.py) writes the sum
once a second. Likewise a joiner is counted in the audience at once (app.realtime.audience)
and recorded as a unique viewer with the next flush.

Nothing here reads or writes the database except ``joiner_state``, the ``state`` event a
joiner gets. Its pinned card (three statements: product, price tiers, images) is kept per
room for ``CARD_TTL`` seconds, keyed by what is pinned and when: thousands join as a show
starts, and they all see the same card. A new pin is never served stale (its pinned_at is
new); an edit of the pinned product reaches joiners within the TTL, and the room itself only
when the host pins again, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.livestreams import flash, pins, room_repository
from app.livestreams.broadcast import topic_of
from app.livestreams.errors import LivestreamNotFound
from app.models import Livestream
from app.models.base import utcnow
from app.realtime.audience import Audience

# The most likes one frame may carry: a page sums a burst of clicks into one frame.
MAX_LIKES_PER_FRAME = 50
# How long a room's pinned card is reused for joiners (see the module's docstring).
CARD_TTL = timedelta(seconds=5)

PinKey = tuple[int, datetime | None]  # (pinned product id, pinned_at)


@dataclass
class CachedCard:
    key: PinKey
    card: dict[str, Any] | None
    until: datetime


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
    card: CachedCard | None = None

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
    room = rooms.room(livestream_id)
    return {
        "status": show.status,
        "pinned": await _pinned(session, room, show, now),
        "slow_mode_seconds": show.slow_mode_seconds,
        "likes": show.like_count + room.pending_likes,
        "viewers": await rooms.viewers(livestream_id),
        "flash_offers": await flash.open_offers(session, livestream_id, now),
        "muted_until": muted_until.isoformat() if muted_until and muted_until > now else None,
    }


async def _pinned(
    session: AsyncSession, room: Room, show: Livestream, now: datetime
) -> dict[str, Any] | None:
    """The pinned card as JSON, from the room's cache while it is fresh and still the pin."""
    if show.pinned_product_id is None:
        return None
    key: PinKey = (show.pinned_product_id, show.pinned_at)
    cached = room.card
    if cached is None or cached.key != key or cached.until <= now:
        card = await pins.pinned_card(session, show)
        cached = room.card = CachedCard(
            key, card.model_dump(mode="json") if card else None, now + CARD_TTL
        )
    return cached.card
