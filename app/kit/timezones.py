"""Time zones and locales the UI knows."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

SUPPORTED_LOCALES = ("en", "zh")
DEFAULT_LOCALE = "en"


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_time_zone(name: str) -> bool:
    if name not in _zones() and name != "UTC":
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_or_utc(name: str | None) -> ZoneInfo:
    if name and is_valid_time_zone(name):
        return ZoneInfo(name)
    return ZoneInfo("UTC")
