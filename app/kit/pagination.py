"""Keyset pagination with opaque cursors: ``{"items": [...], "next_cursor": ...}``."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, Protocol, TypeVar, overload

from fastapi import Depends, Query
from pydantic import BaseModel

from app.errors import InvalidInput
from app.kit.validation import MAX_ID

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


class PageParams(BaseModel):
    limit: int
    cursor: str | None


# A coroutine although it does no I/O: FastAPI would run a plain def in a worker thread.
async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


PageDep = Annotated[PageParams, Depends(page_params)]


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _invalid_cursor() -> InvalidInput:
    return InvalidInput("The cursor is not valid; start again without it.", code="invalid_cursor")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _invalid_cursor() from exc
    if not isinstance(values, list):
        raise _invalid_cursor()
    return values


def cursor_id(cursor: str | None) -> int | None:
    """The id an id-keyed cursor holds (``invalid_cursor`` for anything else)."""
    if cursor is None:
        return None
    values = decode_cursor(cursor)
    if (
        len(values) != 1
        or not isinstance(values[0], int)
        or isinstance(values[0], bool)
        or not 0 < values[0] <= MAX_ID
    ):
        raise _invalid_cursor()
    return values[0]


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=_HasId)


@overload
def id_page(rows: Sequence[R], limit: int) -> Page[R]: ...
@overload
def id_page(rows: Sequence[R], limit: int, shape: Callable[[R], T]) -> Page[T]: ...
def id_page(
    rows: Sequence[R], limit: int, shape: Callable[[R], Any] | None = None
) -> Page[Any]:
    """The page for rows fetched with ``limit + 1`` in id order: the extra row, if any, only
    says that another page follows, whose cursor is the last shown row's id."""
    shown = rows[:limit]
    next_cursor = encode_cursor([shown[-1].id]) if len(rows) > limit else None
    items = [shape(row) for row in shown] if shape else list(shown)
    return Page(items=items, next_cursor=next_cursor)
