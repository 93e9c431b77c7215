"""The keyset cursors of the livestream lists: what each one holds, written by the service
that serves the page and read back here. Anything else is 422 ``invalid_cursor``, as for
every list of the API: a client can only start again, so the refusal says so."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from app.events import service as events
from app.kit.pagination import decode_cursor, encode_cursor
from app.livestreams.repository import SCHEDULE_RANKS

K = TypeVar("K")
R = TypeVar("R")


def _moment(value: object) -> datetime:
    """An ISO 8601 time with its offset (a naive one could mean any zone), in UTC."""
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("naive")
    return parsed.astimezone(UTC)


def _rank(value: object) -> int:
    rank = events.cursor_int(value)
    if rank not in SCHEDULE_RANKS.values():
        raise ValueError("no such rank")
    return rank


def _read(cursor: str | None, parse: Callable[[list[Any]], K]) -> K | None:
    if cursor is None:
        return None
    values = decode_cursor(cursor)
    try:
        return parse(values)
    except (TypeError, ValueError, OverflowError) as exc:
        raise events.invalid_cursor() from exc


def _pair(values: list[Any]) -> tuple[datetime, int]:
    moment, last_id = values
    return _moment(moment), events.cursor_int(last_id)


def _triple(values: list[Any]) -> tuple[int, datetime, int]:
    rank, moment, last_id = values
    return _rank(rank), _moment(moment), events.cursor_int(last_id)


def moment_key(cursor: str | None) -> tuple[datetime, int] | None:
    """(a time, an id): a booth's shows by (scheduled_start, id), mutes by (until, user_id)."""
    return _read(cursor, _pair)


def moment_cursor(moment: datetime, last_id: int) -> str:
    return encode_cursor([moment.isoformat(), last_id])


def schedule_key(cursor: str | None) -> tuple[int, datetime, int] | None:
    """(rank of the status, scheduled_start, id) of the last show of the previous page."""
    return _read(cursor, _triple)


def schedule_cursor(status: str, scheduled_start: datetime, last_id: int) -> str:
    return encode_cursor([SCHEDULE_RANKS[status], scheduled_start.isoformat(), last_id])


def split(rows: Sequence[R], limit: int, cursor_of: Callable[[R], str]
          ) -> tuple[list[R], str | None]:
    """The rows to show of rows fetched with ``limit + 1``, and the next page's cursor: the
    extra row, if any, only says that another page follows, after the last shown row."""
    shown = list(rows[:limit])
    return shown, cursor_of(shown[-1]) if len(rows) > limit else None
