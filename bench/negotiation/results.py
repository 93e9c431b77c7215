"""Result records of a negotiation run, and the tables printed from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HEADROOM_P99_MS = 250.0
"""'Messages/s at p99 <= 250 ms': the operating point the headroom step reports."""
COMPLETE = 0.99
"""A step counts as delivered when at least this share of sent messages reached the other
side within the drain time."""


@dataclass
class StepResult:
    server: str
    phase: str
    """`warmup`, `ladder` (headroom, rising rates) or `main` (the issue's load, last)."""
    step: int
    rate_per_side: float
    """Messages/s each client (each side of each negotiation) was asked to send."""
    clients: int
    seconds: float
    sent: int
    sent_per_s: float
    delivered: int
    """Events for a message received by the *other* side's client."""
    delivered_per_s: float
    """delivered / max(last receipt - first send, seconds)."""
    echoed: int
    """Events for a message received back by the sender's own client."""
    completeness: float
    """delivered / sent."""
    p50_ms: float | None
    p90_ms: float | None
    p99_ms: float | None
    p999_ms: float | None
    max_ms: float | None
    echo_p99_ms: float | None
    ack_p50_ms: float | None
    ack_p99_ms: float | None
    acks: int
    errors: dict[str, int]
    lost_connections: int
    frame_bytes: float
    server_cores: float
    server_rss_mib: float
    server_us_per_msg: float | None
    """Server CPU per message handled (acknowledged by TradeHall; sent, for the ceiling)."""
    db_cores: float | None
    """PostgreSQL backends of the benchmark's database (None on SQLite)."""
    db_us_per_msg: float | None
    loadgen_cores: float
    redis_cores: float | None
    machine_busy_pct: float
    others_cores: float
    """CPU of processes this run did not start (machine busy minus everything above)."""
    wall_s: float
    idle_wait_s: float = 0.0
    """How long the server stayed busy after the drain (working off a backlog)."""
    late_delivered: int = 0
    """Other-side deliveries that arrived after the drain (counted until the run's end)."""

    @property
    def ok(self) -> bool:
        return self.completeness >= COMPLETE and not self.errors and not self.lost_connections


@dataclass
class ServerRun:
    server: str
    label: str
    pairs: int
    part: str = "main"
    """`main` (warm-up, the issue's load) or `ladder` (warm-up, rising rates)."""
    connected: int = 0
    connect_failures: int = 0
    connect_errors: list[str] = field(default_factory=list)
    connect_seconds: float = 0.0
    rss_idle_mib: float = 0.0
    steps: list[StepResult] = field(default_factory=list)
    stop_reason: str = ""
    error: str = ""


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _cores(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _errors(step: StepResult) -> str:
    parts = [f"{code} {count}" for code, count in sorted(step.errors.items())]
    if step.lost_connections:
        parts.append(f"{step.lost_connections} disconnected")
    return ", ".join(parts) or "0"


COLUMNS = (
    "server | phase | msgs/s per side | sent/s | delivered/s (other side) | delivered | "
    "p50 / p90 / p99 / max ms | late | echo p99 ms | ack p50 / p99 ms | errors | server cores | "
    "server µs/msg | RSS MiB | PG cores | PG µs/msg | loadgen cores | others cores"
)


def row(run: ServerRun, step: StepResult) -> str:
    cells = [
        run.server, step.phase, f"{step.rate_per_side:g}", f"{step.sent_per_s:,.0f}",
        f"{step.delivered_per_s:,.0f}", f"{step.completeness:.2%}",
        " / ".join(_ms(v) for v in (step.p50_ms, step.p90_ms, step.p99_ms, step.max_ms)),
        f"{step.late_delivered:,}", _ms(step.echo_p99_ms),
        f"{_ms(step.ack_p50_ms)} / {_ms(step.ack_p99_ms)}" if step.acks else "–",
        _errors(step), _cores(step.server_cores),
        _ms(step.server_us_per_msg), f"{step.server_rss_mib:.0f}", _cores(step.db_cores),
        _ms(step.db_us_per_msg), _cores(step.loadgen_cores), _cores(step.others_cores),
    ]
    return "| " + " | ".join(cells) + " |"


def table(runs: list[ServerRun], *, phases: tuple[str, ...] = ("ladder", "main")) -> str:
    lines = ["| " + COLUMNS + " |", "|" + "---|" * len(COLUMNS.split(" | "))]
    for run in runs:
        lines.extend(row(run, step) for step in run.steps if step.phase in phases)
    return "\n".join(lines)


def headroom(run: ServerRun) -> StepResult | None:
    """The busiest step with every message delivered, no errors and p99 <= 250 ms."""
    good = [s for s in run.steps if s.phase != "warmup" and s.ok and s.p99_ms is not None
            and s.p99_ms <= HEADROOM_P99_MS]
    return max(good, key=lambda s: s.sent_per_s, default=None)


def summary(runs: list[ServerRun]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for run in runs:
        best = headroom(run)
        main = next((s for s in run.steps if s.phase == "main"), None)
        out[f"{run.server} {run.part}"] = {
            "main_p99_ms": main.p99_ms if main else None,
            "main_delivered_per_s": main.delivered_per_s if main else None,
            "headroom_sent_per_s": best.sent_per_s if best else None,
            "headroom_rate_per_side": best.rate_per_side if best else None,
            "stop_reason": run.stop_reason,
            "error": run.error,
        }
    return out
