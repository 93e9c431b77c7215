"""Result records of a livestream run, their summary over repeats, and the printed table."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from bench.ws.results import NOISY_OTHERS_PCT

P99_TARGET_MS = 250.0
"""The issue's target: p99 chat delivery latency below 250 ms, no dropped connection."""
COMPLETE = 0.999
"""A step counts as delivered when at least this share of the expected deliveries arrived
within the drain."""
REFERENCE = "ceiling-batched"
"""The ceiling the TradeHall rows are compared with: the bare stack sending the same frames
(100 ms batches); the unbatched ceiling is shown next to it."""


@dataclass
class StepResult:
    server: str
    phase: str
    """`warmup` or `main` (the issue's load, measured)."""
    step: int
    repeat: int
    nodes: int
    seconds: float
    joined: int
    """Viewers joined and open when the step began (deliveries expected to each)."""
    joined_per_node: list[int]
    chat_sent: int
    chat_per_s: float
    likes_sent: int
    likes_per_s: float
    accepted: int
    """chat.send acknowledged by a reply (TradeHall); chat lines sent (the ceiling)."""
    expected: int
    """accepted x joined: every accepted line to every viewer (the sender included)."""
    delivered: int
    completeness: float
    delivered_per_node: list[float]
    """Per node: deliveries received by its viewers / accepted x its viewers."""
    p50_ms: float | None
    p90_ms: float | None
    p99_ms: float | None
    p999_ms: float | None
    max_ms: float | None
    p99_per_node_ms: list[float | None]
    ack_p50_ms: float | None
    ack_p99_ms: float | None
    errors: dict[str, int]
    closed: dict[str, int]
    """Connections the server closed during the step, by close code and reason."""
    lost_connections: int
    frames_per_s: float
    """Frames with events (single or batched) the viewers received, per second."""
    batched_share: float
    bytes_per_frame: float
    stats_per_viewer_s: float
    """`stats` events received per viewer per second."""
    viewers_shown: int
    """Highest `viewers` any stats event of the step showed."""
    likes_shown: int
    """How much the highest `likes` the stats events showed grew during the step (likes
    are counted on each node and written in batches, so the last second's may be missing)."""
    node_cpu_pct: list[float]
    """Each node's user+sys CPU over the step, % of one core."""
    server_cpu_pct: float
    """All nodes together (% of one core)."""
    server_us_per_delivery: float | None
    node_rss_mib: list[float]
    db_cpu_pct: float | None
    """PostgreSQL backends of the benchmark's database (None on SQLite and for the ceiling)."""
    redis_cpu_pct: float | None
    loadgen_cpu_pct: float
    machine_busy_pct: float
    """Busy share of all cores (100 % = every core busy)."""
    others_cpu_pct: float
    """CPU of processes this run did not start (% of one core)."""
    others_before_pct: float
    wall_s: float
    idle_wait_s: float = 0.0
    late_delivered: int = 0

    @property
    def meets_target(self) -> bool:
        return (self.p99_ms is not None and self.p99_ms < P99_TARGET_MS
                and self.completeness >= COMPLETE and self.lost_connections == 0)


@dataclass
class ServerRun:
    server: str
    label: str
    nodes: int
    repeat: int
    viewers: int
    connected: int = 0
    connected_per_node: list[int] = field(default_factory=list)
    connect_failures: int = 0
    connect_errors: list[str] = field(default_factory=list)
    connect_seconds: float = 0.0
    rss_start_mib: list[float] = field(default_factory=list)
    """Each node's RSS before any client connected."""
    rss_joined_mib: list[float] = field(default_factory=list)
    """... with every viewer joined, before the load."""
    closed_after_join: dict[str, int] = field(default_factory=dict)
    """Connections the server closed between the join and the first step (close codes)."""
    steps: list[StepResult] = field(default_factory=list)
    error: str = ""

    def main(self) -> StepResult | None:
        return next((s for s in self.steps if s.phase == "main"), None)


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summary(runs: list[ServerRun]) -> list[dict[str, Any]]:
    """One row per server: medians over the repeats' main steps, and ratios to the
    reference ceiling's medians."""
    rows: list[dict[str, Any]] = []
    for server in dict.fromkeys(r.server for r in runs):
        ran = [m for r in runs if r.server == server and (m := r.main()) is not None]
        # The machine is shared: a main step during which others took more than half a core
        # is left out when a quieter repeat exists (as in bench.ws.results).
        mains = [m for m in ran if m.others_cpu_pct <= NOISY_OTHERS_PCT] or ran
        errors = [r.error for r in runs if r.server == server and r.error]
        row: dict[str, Any] = {"server": server, "repeats": len(mains),
                               "noisy_excluded": len(ran) - len(mains), "errors": errors}
        if mains:
            row.update({
                "nodes": mains[0].nodes,
                "p50_ms": _median([m.p50_ms for m in mains]),
                "p99_ms": _median([m.p99_ms for m in mains]),
                "p99_ms_each": [m.p99_ms for m in mains],
                "max_ms": _median([m.max_ms for m in mains]),
                "completeness": _median([m.completeness for m in mains]),
                "chat_per_s": _median([m.chat_per_s for m in mains]),
                "likes_per_s": _median([m.likes_per_s for m in mains]),
                "server_cpu_pct": _median([m.server_cpu_pct for m in mains]),
                "node_cpu_pct": [_median([m.node_cpu_pct[i] for m in mains])
                                 for i in range(mains[0].nodes)],
                "rss_mib": [_median([m.node_rss_mib[i] for m in mains])
                            for i in range(mains[0].nodes)],
                "db_cpu_pct": _median([m.db_cpu_pct for m in mains]),
                "redis_cpu_pct": _median([m.redis_cpu_pct for m in mains]),
                "loadgen_cpu_pct": _median([m.loadgen_cpu_pct for m in mains]),
                "others_cpu_pct": _median([m.others_cpu_pct for m in mains]),
                "others_cpu_pct_each": [round(m.others_cpu_pct) for m in mains],
                "frames_per_s": _median([m.frames_per_s for m in mains]),
                "lost_connections": sum(m.lost_connections for m in mains),
                "errors_by_code": _sum_codes([m.errors for m in mains]),
                "meets_target": all(m.meets_target for m in mains),
            })
        rows.append(row)
    reference = next((r for r in rows if r["server"] == REFERENCE and r["repeats"]), None)
    for row in rows:
        for key in ("p99_ms", "server_cpu_pct"):
            base = reference.get(key) if reference else None
            value = row.get(key)
            row[f"{key}_x_ceiling"] = value / base if base and value is not None else None
        base_rss = sum(reference["rss_mib"]) if reference else None
        row["rss_x_ceiling"] = (sum(row["rss_mib"]) / base_rss
                                if base_rss and row.get("rss_mib") else None)
    return rows


def _sum_codes(items: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for item in items:
        for code, count in item.items():
            total[code] = total.get(code, 0) + count
    return total


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _pct(values: list[float]) -> str:
    return " + ".join(f"{v:.0f}" for v in values)


COLUMNS = (
    "server | rep | phase | nodes | viewers | chat/s | likes/s | delivered | "
    "p50 / p90 / p99 / max ms | p99 per node ms | ack p99 ms | errors | lost conn. | "
    "frames/s | stats /viewer/s | viewers shown | likes shown / sent | server CPU % (per node) | "
    "µs / delivery | RSS MiB (per node) | PG CPU % | Redis CPU % | loadgen CPU % | others %"
)


def row(step: StepResult) -> str:
    codes = {**step.errors, **{f"closed {k}": v for k, v in step.closed.items()}}
    cells = [
        step.server, str(step.repeat), step.phase, str(step.nodes), f"{step.joined:,}",
        f"{step.chat_per_s:.1f}", f"{step.likes_per_s:.0f}", f"{step.completeness:.2%}",
        " / ".join(_ms(v) for v in (step.p50_ms, step.p90_ms, step.p99_ms, step.max_ms)),
        " / ".join(_ms(v) for v in step.p99_per_node_ms), _ms(step.ack_p99_ms),
        ", ".join(f"{k} {v}" for k, v in sorted(codes.items())) or "0",
        str(step.lost_connections), f"{step.frames_per_s:,.0f}",
        f"{step.stats_per_viewer_s:.2f}", f"{step.viewers_shown:,}",
        f"{step.likes_shown:,} / {step.likes_sent:,}",
        f"{step.server_cpu_pct:.0f} ({_pct(step.node_cpu_pct)})",
        _ms(step.server_us_per_delivery), f"{sum(step.node_rss_mib):.0f} "
        f"({_pct(step.node_rss_mib)})",
        "–" if step.db_cpu_pct is None else f"{step.db_cpu_pct:.0f}",
        "–" if step.redis_cpu_pct is None else f"{step.redis_cpu_pct:.1f}",
        f"{step.loadgen_cpu_pct:.0f}", f"{step.others_cpu_pct:.0f}",
    ]
    return "| " + " | ".join(cells) + " |"


def table(runs: list[ServerRun], *, phases: tuple[str, ...] = ("main",)) -> str:
    lines = ["| " + COLUMNS + " |", "|" + "---|" * len(COLUMNS.split(" | "))]
    for run in runs:
        lines.extend(row(step) for step in run.steps if step.phase in phases)
    return "\n".join(lines)


SUMMARY_COLUMNS = (
    "server | nodes | runs (noisy left out) | p50 ms | p99 ms (each run) | × ceiling p99 | "
    "delivered | server CPU % | × ceiling CPU | RSS MiB | × ceiling RSS | lost conn. | errors | "
    "others % (each run) | p99 < 250 ms, nothing lost"
)


def summary_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| " + SUMMARY_COLUMNS + " |", "|" + "---|" * len(SUMMARY_COLUMNS.split(" | "))]
    for item in rows:
        if not item["repeats"]:
            lines.append(f"| {item['server']} | – | 0 | " + " | ".join(["–"] * 11)
                         + f" | {'; '.join(item['errors'])} |")
            continue

        def ratio(key: str, item: dict[str, Any] = item) -> str:
            value = item.get(key)
            return "–" if value is None else f"{value:.2f}"

        lines.append("| " + " | ".join([
            item["server"], str(item["nodes"]),
            f"{item['repeats']} ({item['noisy_excluded']})", _ms(item["p50_ms"]),
            f"{_ms(item['p99_ms'])} ({', '.join(_ms(v) for v in item['p99_ms_each'])})",
            ratio("p99_ms_x_ceiling"), f"{item['completeness']:.2%}",
            f"{item['server_cpu_pct']:.0f}", ratio("server_cpu_pct_x_ceiling"),
            f"{sum(item['rss_mib']):.0f}", ratio("rss_x_ceiling"),
            str(item["lost_connections"]),
            ", ".join(f"{k} {v}" for k, v in sorted(item["errors_by_code"].items())) or "0",
            ", ".join(str(v) for v in item["others_cpu_pct_each"]),
            "yes" if item["meets_target"] else "no",
        ]) + " |")
    return "\n".join(lines)
