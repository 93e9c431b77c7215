"""Result records of a fan-out run and their summary (medians over repeats)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

P99_TARGET_MS = 100.0
NOISY_OTHERS_PCT = 50.0
"""A run whose peak step saw other processes use more than half a core is 'noisy': the
machine is shared, and such a run is left out of the medians when a clean repeat exists."""
COMPLETE = 0.999
"""A step counts as fully delivered when at least this share of expected messages arrived."""


@dataclass
class StepResult:
    step: int
    rate: float
    """Publish rate asked for (messages/s); each message goes to every subscriber."""
    published: int
    publish_seconds: float
    expected: int
    received: int
    completeness: float
    delivered_per_s: float
    """received / span_s: the delivery rate actually achieved."""
    span_s: float
    """max(last receipt - first publish, published / rate)."""
    p50_ms: float | None
    p90_ms: float | None
    p99_ms: float | None
    p999_ms: float | None
    max_ms: float | None
    frame_bytes: float
    server_cpu_s: float
    server_cpu_pct: float
    server_us_per_msg: float | None
    server_rss_mib: float
    loadgen_cpu_pct: float
    publisher_cpu_pct: float
    redis_cpu_pct: float | None
    machine_busy_pct: float
    """Busy share of all cores (100% = both cores busy)."""
    others_cpu_pct: float
    """CPU (% of one core) used by processes this run did not start (machine busy minus
    server, load generator, publisher and Redis): noise from whatever else shares the box."""
    wall_s: float
    others_before_pct: float
    """Others' CPU in the quiet check just before the step (see --quiet-threshold)."""
    late: int
    lost_connections: int


@dataclass
class ServerRun:
    server: str
    label: str
    clients: int
    repeat: int
    connected: int = 0
    connect_failures: int = 0
    connect_errors: list[str] = field(default_factory=list)
    connect_seconds: float = 0.0
    rss_start_mib: float = 0.0
    rss_warm_mib: float = 0.0
    rss_idle_mib: float = 0.0
    idle_kib_per_conn: float | None = None
    steps: list[StepResult] = field(default_factory=list)
    stop_reason: str = ""
    error: str | None = None

    def peak(self) -> StepResult | None:
        """The step with the most deliveries per second (saturation throughput)."""
        return max(self.steps, key=lambda s: s.delivered_per_s, default=None)

    def noisy(self) -> bool:
        peak = self.peak()
        return peak is not None and peak.others_cpu_pct > NOISY_OTHERS_PCT

    def best_within_target(self) -> StepResult | None:
        """Most deliveries/s among fully delivered steps with p99 <= 100 ms."""
        ok = [
            s for s in self.steps
            if s.completeness >= COMPLETE and s.p99_ms is not None and s.p99_ms <= P99_TARGET_MS
        ]
        return max(ok, key=lambda s: s.delivered_per_s, default=None)


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarize(runs: list[ServerRun]) -> list[dict[str, Any]]:
    """One row per (clients, server): medians over the repeats that ran."""
    groups: dict[tuple[int, str], list[ServerRun]] = {}
    for run in runs:
        groups.setdefault((run.clients, run.server), []).append(run)
    rows: list[dict[str, Any]] = []
    for (clients, server), group in groups.items():
        ran = [r for r in group if r.error is None and r.steps]
        clean = [r for r in ran if not r.noisy()]
        good = clean or ran
        # A run cut short by its time budget may not have reached saturation: its peak is
        # used only when no repeat saturated.
        saturated = [r for r in good if r.stop_reason != "time budget"] or good
        peaks = [p for r in saturated if (p := r.peak()) is not None]
        bests = [r.best_within_target() for r in good]
        row: dict[str, Any] = {
            "server": server,
            "label": group[0].label,
            "clients": clients,
            "repeats": len(good),
            "noisy_excluded": len(ran) - len(good),
            "saturated_repeats": len([r for r in good if r.stop_reason != "time budget"]),
            "errors": [r.error for r in group if r.error],
            "connected": _median([float(r.connected) for r in good]),
            "peak_delivered_per_s": _median([p.delivered_per_s for p in peaks]),
            "peak_rate": _median([p.rate for p in peaks]),
            "peak_p50_ms": _median([p.p50_ms for p in peaks]),
            "peak_p99_ms": _median([p.p99_ms for p in peaks]),
            "peak_server_cpu_pct": _median([p.server_cpu_pct for p in peaks]),
            "peak_server_us_per_msg": _median([p.server_us_per_msg for p in peaks]),
            "per_core_delivered_per_s": _median(
                [1e6 / p.server_us_per_msg if p.server_us_per_msg else None for p in peaks]
            ),
            "peak_server_rss_mib": _median([p.server_rss_mib for p in peaks]),
            "peak_loadgen_cpu_pct": _median([p.loadgen_cpu_pct for p in peaks]),
            "peak_machine_busy_pct": _median([p.machine_busy_pct for p in peaks]),
            "peak_others_cpu_pct": _median([p.others_cpu_pct for p in peaks]),
            "peak_redis_cpu_pct": _median([p.redis_cpu_pct for p in peaks]),
            "target_delivered_per_s": _median(
                [b.delivered_per_s if b else 0.0 for b in bests] if good else []
            ),
            "target_p50_ms": _median([b.p50_ms if b else None for b in bests]),
            "target_p99_ms": _median([b.p99_ms if b else None for b in bests]),
            "idle_kib_per_conn": _median([r.idle_kib_per_conn for r in ran]),
            "stop_reasons": [r.stop_reason for r in good],
        }
        rows.append(row)
    ceilings = {
        r["clients"]: r for r in rows if r["server"] == "websockets" and r["repeats"]
    }
    for row in rows:
        ceiling = ceilings.get(row["clients"])
        for key in ("peak_delivered_per_s", "target_delivered_per_s"):
            base = ceiling[key] if ceiling else None
            value = row[key]
            row[key.replace("delivered_per_s", "x_ceiling")] = (
                value / base if base and value is not None else None
            )
    return rows


def _fmt(value: Any, spec: str) -> str:
    if value is None:
        return "-"
    return format(value, spec)


COLUMNS: list[tuple[str, str, str]] = [
    ("server", "server", "<"),
    ("clients", "clients", "d"),
    ("runs", "repeats", "d"),
    ("peak deliv/s", "peak_delivered_per_s", ",.0f"),
    ("x ceil", "peak_x_ceiling", ".2f"),
    ("rate", "peak_rate", ".0f"),
    ("p50 ms", "peak_p50_ms", ".1f"),
    ("p99 ms", "peak_p99_ms", ".1f"),
    ("deliv/s p99<=100", "target_delivered_per_s", ",.0f"),
    ("x ceil", "target_x_ceiling", ".2f"),
    ("p99 ms", "target_p99_ms", ".1f"),
    ("srv CPU%", "peak_server_cpu_pct", ".0f"),
    ("us/msg", "peak_server_us_per_msg", ".2f"),
    ("deliv/s per core", "per_core_delivered_per_s", ",.0f"),
    ("RSS MiB", "peak_server_rss_mib", ".0f"),
    ("idle KiB/conn", "idle_kib_per_conn", ".1f"),
    ("loadgen CPU%", "peak_loadgen_cpu_pct", ".0f"),
    ("machine%", "peak_machine_busy_pct", ".0f"),
    ("others%", "peak_others_cpu_pct", ".0f"),
]


def table(rows: list[dict[str, Any]]) -> str:
    """Plain-text table (also valid Markdown) of the summary rows."""
    header = [title for title, _, _ in COLUMNS]
    body = []
    for row in rows:
        cells = []
        for _, key, spec in COLUMNS:
            value = row.get(key)
            cells.append(str(value) if spec == "<" else _fmt(value, spec))
        body.append(cells)
    left = [spec == "<" for _, _, spec in COLUMNS]
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(header)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for cells in body:
        lines.append(
            "| "
            + " | ".join(
                c.ljust(w) if lj else c.rjust(w)
                for c, w, lj in zip(cells, widths, left, strict=True)
            )
            + " |"
        )
    return "\n".join(lines)


def step_table(run: ServerRun) -> str:
    """Per-step detail of one run (for the log and the docs)."""
    lines = [
        f"{run.server} x{run.clients} (repeat {run.repeat}): "
        f"connected {run.connected}, idle {_fmt(run.idle_kib_per_conn, '.1f')} KiB/conn, "
        f"stop: {run.stop_reason or run.error}",
        "   rate   deliv/s   compl  p50ms   p99ms  srvCPU%  us/msg  RSS  loadgen%  mach%  other%",
    ]
    for s in run.steps:
        lines.append(
            f"  {s.rate:>5.0f} {s.delivered_per_s:>9,.0f} {s.completeness:>7.4f} "
            f"{_fmt(s.p50_ms, '>6.1f')} {_fmt(s.p99_ms, '>7.1f')} {s.server_cpu_pct:>8.0f} "
            f"{_fmt(s.server_us_per_msg, '>7.2f')} {s.server_rss_mib:>4.0f} "
            f"{s.loadgen_cpu_pct:>9.0f} {s.machine_busy_pct:>6.0f} {s.others_cpu_pct:>7.0f}"
        )
    return "\n".join(lines)
