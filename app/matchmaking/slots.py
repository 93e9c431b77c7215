"""Slots: a session's local windows cut into real meeting slots, stored as UTC instants.

An organizer thinks in the event's wall clock ("9:00 to 12:30, break at 10:30"); meetings
happen at real instants. Every local time is turned into an instant with ``zoneinfo`` on its
own date, and the cutting is done on instants, so a window on a day when the clocks change
holds its real number of minutes (00:00-04:00 in New York on the night clocks fall back is
five hours: ten 30-minute slots, not eight).

Local times that are ambiguous (the hour repeated when clocks fall back) are read as the
earliest instant when they start a range and the latest when they end one, so a range never
loses the repeated hour. Local times that do not exist (skipped when clocks spring forward)
are refused: nobody can be somewhere at 02:30 on a night that has none.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The scheduler's own limit (app/matchmaking/scheduling/model.py): enough for a multi-day
# session of short slots.
MAX_SLOTS = 256


class NonexistentLocalTime(ValueError):
    """A wall-clock time the zone skips on that date (clocks spring forward)."""

    def __init__(self, day: date, at: time, zone: str) -> None:
        super().__init__(f"{day.isoformat()} {at.strftime('%H:%M')} does not exist in {zone}")
        self.day = day
        self.at = at
        self.zone = zone


@dataclass(frozen=True, slots=True)
class DayWindow:
    """A local range on one date: ``start`` to ``end`` on ``day``."""

    day: date
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class LocalRange:
    """A local time range without a date (a break that applies every day)."""

    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Slot:
    index: int
    starts_at: datetime
    ends_at: datetime


Interval = tuple[datetime, datetime]


def to_utc(day: date, at: time, zone: ZoneInfo, *, latest: bool = False) -> datetime:
    """The UTC instant of a local date and time in ``zone``.

    ``latest`` picks the later of two instants a repeated local time has; a local time the
    zone skips raises ``NonexistentLocalTime``.
    """
    naive = datetime.combine(day, at.replace(tzinfo=None))
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    chosen = second if latest else first
    instant = chosen.astimezone(UTC)
    # A skipped local time does not survive the round trip back to the zone.
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(day, at, zone.key)
    return instant


def window_to_utc(window: DayWindow, zone: ZoneInfo) -> Interval:
    return (to_utc(window.day, window.start, zone),
            to_utc(window.day, window.end, zone, latest=True))


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same instants (touching ones joined)."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(interval: Interval, holes: Sequence[Interval]) -> list[Interval]:
    """What is left of ``interval`` once every hole is cut out of it."""
    pieces = [interval]
    for hole_start, hole_end in holes:
        next_pieces: list[Interval] = []
        for start, end in pieces:
            if hole_end <= start or hole_start >= end:
                next_pieces.append((start, end))
                continue
            if start < hole_start:
                next_pieces.append((start, hole_start))
            if hole_end < end:
                next_pieces.append((hole_end, end))
        pieces = next_pieces
    return pieces


def derive_slots(
    windows: Sequence[DayWindow],
    breaks: Sequence[LocalRange],
    slot_minutes: int,
    zone: ZoneInfo,
) -> list[Slot]:
    """The session's slots in time order: each window minus that day's breaks, cut into
    ``slot_minutes`` of real time (a remainder shorter than a slot is dropped)."""
    length = timedelta(minutes=slot_minutes)
    pieces: list[Interval] = []
    for window in windows:
        span = window_to_utc(window, zone)
        holes = [
            (to_utc(window.day, pause.start, zone), to_utc(window.day, pause.end, zone,
                                                           latest=True))
            for pause in breaks
        ]
        pieces.extend(subtract(span, holes))
    slots: list[Slot] = []
    for start, end in merge(pieces):
        cursor = start
        while cursor + length <= end:
            slots.append(Slot(len(slots), cursor, cursor + length))
            cursor += length
    return slots


def available_slots(slots: Sequence[Slot], availability: Iterable[Interval]) -> frozenset[int]:
    """Indexes of the slots that lie wholly inside the availability (any number of windows).

    No availability at all means none: callers decide what an empty list stands for.
    """
    covered = merge(availability)
    starts = [start for start, _ in covered]
    found: set[int] = set()
    for slot in slots:
        position = bisect.bisect_right(starts, slot.starts_at) - 1
        if position >= 0 and covered[position][1] >= slot.ends_at:
            found.add(slot.index)
    return frozenset(found)


def local_range(start: datetime, end: datetime, zone: ZoneInfo) -> tuple[date, time, time]:
    """An interval as its zone's wall clock: (date of the start, start time, end time)."""
    local_start = start.astimezone(zone)
    local_end = end.astimezone(zone)
    return local_start.date(), local_start.time().replace(tzinfo=None), local_end.time().replace(
        tzinfo=None
    )
