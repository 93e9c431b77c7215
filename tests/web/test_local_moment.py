"""``local_moment``: how the pages read a datetime-local field (the matchmaking session's
deadline, an event's dates, a show's start) in the zone the form is about."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.web.forms import local_moment

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("zone", [SHANGHAI, "Asia/Shanghai"])
def test_a_typed_time_is_read_in_the_forms_zone(zone: ZoneInfo | str) -> None:
    moment = local_moment("2031-05-10T09:00", zone)
    assert isinstance(moment, datetime)
    assert moment.astimezone(UTC) == datetime(2031, 5, 10, 1, 0, tzinfo=UTC)


def test_an_empty_field_is_none_and_a_time_with_an_offset_keeps_it() -> None:
    assert local_moment("", SHANGHAI) is None
    assert local_moment("2031-05-10T09:00+02:00", SHANGHAI) == datetime(
        2031, 5, 10, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(("value", "zone"), [
    ("next Tuesday", SHANGHAI),  # not a moment: the schema refuses it next to the field
    ("2031-05-10T09:00", "Mars/Olympus"),  # the zone typed on the form is not a zone
])
def test_what_cannot_be_read_comes_back_as_the_text(value: str, zone: ZoneInfo | str) -> None:
    assert local_moment(value, zone) == value
