"""Slots are the event's local windows cut into real minutes, correct across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.matchmaking.slots import (
    DayWindow,
    LocalRange,
    NonexistentLocalTime,
    Slot,
    available_slots,
    derive_slots,
    local_range,
    merge,
    to_utc,
)

NEW_YORK = ZoneInfo("America/New_York")
MADRID = ZoneInfo("Europe/Madrid")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_a_plain_morning_is_cut_into_slots_in_utc() -> None:
    slots = derive_slots(
        [DayWindow(date(2031, 5, 12), time(9), time(12))], [], 30, SHANGHAI
    )
    assert len(slots) == 6
    assert slots[0] == Slot(0, utc(2031, 5, 12, 1), utc(2031, 5, 12, 1, 30))
    assert slots[-1].ends_at == utc(2031, 5, 12, 4)
    assert [s.index for s in slots] == list(range(6))


def test_breaks_are_cut_out_and_slots_restart_after_them() -> None:
    slots = derive_slots(
        [DayWindow(date(2031, 5, 12), time(9), time(12))],
        [LocalRange(time(10, 30), time(10, 45))], 30, SHANGHAI,
    )
    starts = [s.starts_at.astimezone(SHANGHAI).strftime("%H:%M") for s in slots]
    # 9:00-10:30 gives three slots; 10:45-12:00 gives two (the last 15 minutes are dropped).
    assert starts == ["09:00", "09:30", "10:00", "10:45", "11:15"]


def test_windows_on_several_days_are_numbered_in_time_order() -> None:
    slots = derive_slots(
        [DayWindow(date(2031, 5, 13), time(9), time(10)),
         DayWindow(date(2031, 5, 12), time(14), time(15))], [], 30, SHANGHAI,
    )
    assert [s.starts_at for s in slots] == sorted(s.starts_at for s in slots)
    assert slots[0].starts_at == utc(2031, 5, 12, 6)


def test_fall_back_night_in_new_york_has_its_real_five_hours() -> None:
    # 2026-11-01: clocks go from 02:00 EDT back to 01:00 EST; 00:00-04:00 lasts five hours.
    slots = derive_slots(
        [DayWindow(date(2026, 11, 1), time(0), time(4))], [], 30, NEW_YORK
    )
    assert len(slots) == 10
    assert slots[0].starts_at == utc(2026, 11, 1, 4)
    assert slots[-1].ends_at == utc(2026, 11, 1, 9)
    assert all(s.ends_at - s.starts_at == timedelta(minutes=30) for s in slots)


def test_spring_forward_morning_in_madrid_has_one_hour_less() -> None:
    # 2026-03-29: Madrid skips 02:00-03:00; 00:00-06:00 is five real hours.
    slots = derive_slots([DayWindow(date(2026, 3, 29), time(0), time(6))], [], 60, MADRID)
    assert len(slots) == 5


def test_fall_back_in_madrid_on_2026_10_25() -> None:
    slots = derive_slots([DayWindow(date(2026, 10, 25), time(1), time(4))], [], 60, MADRID)
    assert len(slots) == 4
    assert slots[0].starts_at == utc(2026, 10, 24, 23)


def test_a_skipped_local_time_is_refused() -> None:
    with pytest.raises(NonexistentLocalTime):
        to_utc(date(2026, 3, 8), time(2, 30), NEW_YORK)


def test_a_repeated_local_time_starts_early_and_ends_late() -> None:
    assert to_utc(date(2026, 11, 1), time(1, 30), NEW_YORK) == utc(2026, 11, 1, 5, 30)
    assert to_utc(date(2026, 11, 1), time(1, 30), NEW_YORK, latest=True) == utc(
        2026, 11, 1, 6, 30
    )


def test_availability_covers_only_whole_slots() -> None:
    slots = derive_slots([DayWindow(date(2031, 5, 12), time(9), time(12))], [], 30, SHANGHAI)
    available = available_slots(slots, [(utc(2031, 5, 12, 1, 15), utc(2031, 5, 12, 2, 30))])
    # 09:30 and 10:00 local are wholly inside 09:15-10:30; 09:00 is only half inside.
    assert available == {1, 2}


def test_touching_availability_windows_join() -> None:
    slots = derive_slots([DayWindow(date(2031, 5, 12), time(9), time(12))], [], 60, SHANGHAI)
    windows = [(utc(2031, 5, 12, 1), utc(2031, 5, 12, 1, 30)),
               (utc(2031, 5, 12, 1, 30), utc(2031, 5, 12, 2))]
    assert merge(windows) == [(utc(2031, 5, 12, 1), utc(2031, 5, 12, 2))]
    assert available_slots(slots, windows) == {0}


def test_no_availability_means_no_slots() -> None:
    slots = derive_slots([DayWindow(date(2031, 5, 12), time(9), time(12))], [], 60, SHANGHAI)
    assert available_slots(slots, []) == frozenset()


def test_new_york_availability_on_the_fall_back_night_maps_to_the_right_slots() -> None:
    """A participant free "01:00-02:00" in New York that night is free two real hours."""
    slots = derive_slots([DayWindow(date(2026, 11, 1), time(0), time(4))], [], 30, NEW_YORK)
    start = to_utc(date(2026, 11, 1), time(1), NEW_YORK)
    end = to_utc(date(2026, 11, 1), time(2), NEW_YORK, latest=True)
    assert (start, end) == (utc(2026, 11, 1, 5), utc(2026, 11, 1, 7))
    assert available_slots(slots, [(start, end)]) == {2, 3, 4, 5}


def test_local_range_shows_an_interval_back_in_a_zone() -> None:
    day, start, end = local_range(utc(2031, 5, 12, 1), utc(2031, 5, 12, 4), SHANGHAI)
    assert (day, start, end) == (date(2031, 5, 12), time(9), time(12))
