"""Latency percentiles that can be merged across load-generator processes.

Each process sorts its latencies for a step and keeps the values at every 0.1% rank
(1,001 points); merging weights each point by its process's count. With one process the
percentiles are exact to the 0.1% rank grid.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

POINTS = 1001


@dataclass(frozen=True)
class Sketch:
    count: int
    points: list[int]
    """Latency (us) at ranks 0, 0.1%, ..., 100%; empty when count == 0."""

    @classmethod
    def of(cls, values: array[int]) -> Sketch:
        if not values:
            return cls(0, [])
        ordered = sorted(values)
        last = len(ordered) - 1
        return cls(len(ordered), [ordered[round(i * last / (POINTS - 1))] for i in range(POINTS)])

    def to_json(self) -> dict[str, object]:
        return {"count": self.count, "points": self.points}

    @classmethod
    def from_json(cls, raw: dict[str, object]) -> Sketch:
        count = raw["count"]
        points = raw["points"]
        if not isinstance(count, int) or not isinstance(points, list):
            raise ValueError(f"not a sketch: {raw!r:.80}")
        return cls(count, [int(p) for p in points])


def percentile(sketches: list[Sketch], q: float) -> float | None:
    """The q-th percentile (0..100) in milliseconds over the merged sketches."""
    weighted: list[tuple[int, float]] = []
    total = 0
    for sketch in sketches:
        if sketch.count == 0:
            continue
        weight = sketch.count / POINTS
        weighted.extend((value, weight) for value in sketch.points)
        total += sketch.count
    if total == 0:
        return None
    if len([s for s in sketches if s.count]) == 1:
        only = next(s for s in sketches if s.count)
        return only.points[round(q / 100 * (POINTS - 1))] / 1000
    weighted.sort()
    target = q / 100 * total
    running = 0.0
    for value, weight in weighted:
        running += weight
        if running >= target:
            return value / 1000
    return weighted[-1][0] / 1000
