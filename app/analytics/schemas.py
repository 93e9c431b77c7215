"""Response shapes for the dashboards' activity figures."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class ActivityCounts(BaseModel):
    """How many of each kind of activity (booth_visit, product_view, ...), since a moment."""

    counts: dict[str, int]
    since: datetime | None
