"""The live day's slot clock: a pure function of the stored slot table and the server's now.

Every node computes the same clock from the same rows, so no node leads and none needs to
talk to another: each tells its own subscribers. Browsers only count down relative to the
server's ``now`` (corrected by their own offset); they never decide that a slot changed.

``CLOCK`` is the one source of "now" for the live day. It is a settable function so that
tests move time by setting it, never by sleeping; in production it is the system clock.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.matchmaking.slots import Slot
from app.models.base import utcnow


class Clock:
    """Now, for the live day (a settable function: tests move time, never sleep)."""

    def __init__(self) -> None:
        self._now: Callable[[], datetime] = utcnow

    def now(self) -> datetime:
        return self._now()

    def set(self, now: Callable[[], datetime] | None) -> None:
        """Use ``now`` from here on (None: the system clock again)."""
        self._now = now or utcnow


CLOCK = Clock()


@dataclass(frozen=True)
class ClockState:
    """Where a session is in its slot table at ``now``."""

    now: datetime
    slot: Slot | None  # the slot running now (None: before, between or after the slots)
    next_slot: Slot | None  # the next slot to start after now

    def as_event(self, session_status: str, grace: timedelta) -> dict[str, Any]:
        """The ``clock`` event's data (ISO instants with offset, UTC)."""
        return {
            "now": self.now.isoformat(),
            "session_status": session_status,
            "slot_index": self.slot.index if self.slot else None,
            "starts_at": self.slot.starts_at.isoformat() if self.slot else None,
            "ends_at": self.slot.ends_at.isoformat() if self.slot else None,
            "next_slot_index": self.next_slot.index if self.next_slot else None,
            "next_starts_at": self.next_slot.starts_at.isoformat() if self.next_slot else None,
            "grace_seconds": int(grace.total_seconds()),
        }


def clock_at(slots: Sequence[Slot], now: datetime) -> ClockState:
    """The running slot and the next one at ``now`` (slots sorted by start, not overlapping;
    a slot runs from its start, inclusive, to its end, exclusive)."""
    starts = [s.starts_at for s in slots]
    i = bisect.bisect_right(starts, now)  # slots[:i] started at or before now
    running = slots[i - 1] if i > 0 and now < slots[i - 1].ends_at else None
    upcoming = slots[i] if i < len(slots) else None
    return ClockState(now, running, upcoming)


def boundaries(slots: Sequence[Slot], grace: timedelta) -> list[datetime]:
    """Every instant at which the live state changes: slot starts (meetings begin), ends
    (meetings end) and starts + grace (absent parties become no-shows); sorted, distinct."""
    points = {s.starts_at for s in slots} | {s.ends_at for s in slots}
    points |= {s.starts_at + grace for s in slots}
    return sorted(points)


def next_boundary(slots: Sequence[Slot], grace: timedelta, after: datetime) -> datetime | None:
    points = boundaries(slots, grace)
    i = bisect.bisect_right(points, after)
    return points[i] if i < len(points) else None


def started_between(slots: Sequence[Slot], after: datetime | None, upto: datetime
                    ) -> list[Slot]:
    """Slots that started in (after, upto] (``after`` None: none, a first look sends no
    'go to your meeting' for slots that began before this node was watching)."""
    if after is None:
        return []
    return [s for s in slots if after < s.starts_at <= upto]


def crossed(slots: Sequence[Slot], after: datetime | None, upto: datetime) -> bool:
    """Whether a slot started or ended in (after, upto]: the clock event changes then."""
    if after is None:
        return False
    return any(after < s.starts_at <= upto or after < s.ends_at <= upto for s in slots)
