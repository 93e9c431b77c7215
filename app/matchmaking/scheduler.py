"""The matchmaking scheduler: which buyer meets which supplier in which slot.

Pure optimization, no database: the domain builds a `Problem`, calls `solve`, stores the
`Schedule`. Maximizes the total candidate score with must-meets (priority 2) first, then accepted
requests (priority 1), subject to one meeting per party per slot, common availability, max
meetings per party, table capacity per slot, no pair twice, only candidate pairs, and locked
meetings kept where they are.

Method (issue 6), in `scheduling/`:
1. `flow`: a min-cost flow picks who meets whom, ignoring slot clashes (optimal for that
   relaxation); the same network costed by plain scores is the reported upper bound.
2. `slots`: the chosen pairs go into slots, most constrained first, into the slot their
   parties' other pairs need least; a pair with no common free slot gets one through a
   Kempe-chain swap or a short ejection chain. Pairs that still do not fit free their
   budgets; the flow runs again on what is left (a few rounds). When every pair of the
   relaxation optimum is placed, the schedule is optimal and steps 3-4 are skipped.
3. `repair`: exchanges (a better leftover replaces the meetings in its way, which then try to
   go elsewhere), trades (one meeting out, two in), then a best-first fill of the remaining
   free room; the last, direct-only fill guarantees that no must-meet or accepted request is
   left out while it fits as is.
4. `polish` (optional, `polish_seconds` > 0): CP-SAT on the time-indexed model, started from
   the schedule above, under a deterministic time limit.

Deterministic: inputs are sorted by id, every solver runs single-threaded in a fixed order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from app.matchmaking.scheduling.audit import violations
from app.matchmaking.scheduling.board import Board
from app.matchmaking.scheduling.flow import best_pairs, flow_bound
from app.matchmaking.scheduling.model import (
    Candidate,
    Compiled,
    Party,
    Placement,
    Problem,
    Schedule,
    validate,
)
from app.matchmaking.scheduling.repair import Trader, exchange, sweep
from app.matchmaking.scheduling.slots import Placer

__all__ = [
    "Candidate",
    "Party",
    "Placement",
    "Problem",
    "Schedule",
    "check",
    "solve",
    "validate",
]

Progress = Callable[[str, float], None]

# Flow -> slots rounds; later rounds only refill the budgets freed by pairs that did not fit,
# and the gain after the third is negligible on the benchmark instances.
MAX_ROUNDS = 4


class _Phases:
    """Times each phase and reports progress at its boundaries."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.stats: dict[str, float] = {}
        self.started = time.perf_counter()
        self.last = self.started

    def done(self, phase: str, fraction: float) -> None:
        now = time.perf_counter()
        self.stats[f"seconds_{phase}"] = round(now - self.last, 6)
        self.last = now
        if self.progress is not None:
            self.progress(phase, fraction)


def _flow_rounds(board: Board, placer: Placer, stats: dict[str, float]) -> list[int]:
    """Flow, then slots, on what is left, until a round places nothing; returns the first
    round's choice (the relaxation optimum, which the priority-aware bound is read from)."""
    m = board.m
    first: list[int] = []
    for round_no in range(1, MAX_ROUNDS + 1):
        active = [c for c in range(len(m.candidates)) if board.free_slots(c)]
        chosen, _ = best_pairs(board, active, [m.c_weight[c] for c in active])
        if round_no == 1:
            first = chosen
        if not chosen:
            break
        placed = placer.assign(chosen)
        stats[f"round{round_no}_chosen"] = len(chosen)
        stats[f"round{round_no}_placed"] = placed
        stats["rounds"] = round_no
        if placed == 0:
            break
    return first


def _weight(model: Compiled, cands: Sequence[int]) -> int:
    return sum(model.c_weight[c] for c in cands)


def _priority_counts(model: Compiled, cands: Sequence[int]) -> tuple[int, int]:
    return (sum(1 for c in cands if model.c_priority[c] == 2),
            sum(1 for c in cands if model.c_priority[c] == 1))


def solve(problem: Problem, *, progress: Progress | None = None,
          polish_seconds: float = 0.0) -> Schedule:
    """Schedule `problem` (see the module docstring for the rules). Raises ValueError for
    bad input (see `validate`). `progress(phase, fraction)` is called after each phase.

    `upper_bound` bounds the score of the best schedule for the problem as posed (must-meets
    first, then accepted requests, then score): when this schedule places as many of each as
    the flow relaxation does, no schedule can place more, and the relaxation's best score
    with that many is the bound; otherwise the plain relaxation bound (valid for any schedule,
    priorities ignored) is used. Both are in `stats` (`upper_bound_plain`,
    `upper_bound_priorities`, -1 when not applicable)."""
    phases = _Phases(progress)
    validate(problem)
    model = Compiled(problem)
    board = Board(model)
    phases.done("prepare", 0.05)

    locked_cands = [c for c, _ in model.locked]
    locked_score = sum(model.c_score[c] for c in locked_cands)
    plain_bound = locked_score + flow_bound(board)
    phases.done("bound", 0.15)

    placer = Placer(board)
    relaxed = _flow_rounds(board, placer, phases.stats)
    phases.done("assign", 0.6)

    by_weight = sorted((c for c in range(len(model.candidates)) if model.c_weight[c] > 0),
                       key=lambda c: (-model.c_weight[c], c))
    # Every pair of the relaxation optimum placed: the schedule is optimal (nothing to repair).
    if _weight(model, board.placed()) < _weight(model, relaxed) + _weight(model, locked_cands):
        exchange(board, placer, by_weight)
        trader = Trader(board, placer)
        trader.run(by_weight)
        phases.stats["trades"] = trader.trades
        sweep(placer, by_weight, chains=True)
    sweep(placer, by_weight, chains=False)
    phases.done("repair", 0.85 if polish_seconds > 0 else 1.0)

    if polish_seconds > 0:
        # Imported here: CP-SAT (and protobuf) cost memory and start-up time that the default
        # path does not need.
        from app.matchmaking.scheduling.polish import polish

        polish(board, polish_seconds, phases.stats)
        # The polished schedule may leave room a candidate fits in as is: fill it, so the
        # "nothing placeable is left out" guarantee holds after polishing too.
        sweep(placer, by_weight, chains=False)
        phases.done("polish", 1.0)

    placed_free = [c for c in board.placed() if not board.is_locked[c]]
    priority_bound = -1
    if _priority_counts(model, placed_free) == _priority_counts(model, relaxed):
        priority_bound = locked_score + sum(model.c_score[c] for c in relaxed)
    phases.stats["upper_bound_plain"] = plain_bound
    phases.stats["upper_bound_priorities"] = priority_bound
    upper_bound = min(plain_bound, priority_bound) if priority_bound >= 0 else plain_bound
    return _schedule(model, board, upper_bound, phases)


def _schedule(model: Compiled, board: Board, upper_bound: int, phases: _Phases) -> Schedule:
    placed = board.placed()
    meetings = tuple(sorted(
        (Placement(model.buyer_ids[model.c_buyer[c]], model.supplier_ids[model.c_supplier[c]],
                   board.slot_of[c]) for c in placed),
        key=lambda p: (p.slot, p.buyer, p.supplier),
    ))
    objective = sum(model.c_score[c] for c in placed)
    unplaced = tuple(model.candidates[c] for c in range(len(model.candidates))
                     if model.c_priority[c] > 0 and board.slot_of[c] < 0)
    stats = phases.stats
    stats.update({
        "buyers": model.buyer_count,
        "suppliers": model.supplier_count,
        "slots": model.slot_count,
        "candidates": len(model.candidates),
        "meetings": len(meetings),
        "seconds_total": round(time.perf_counter() - phases.started, 6),
    })
    return Schedule(
        meetings=meetings,
        objective=objective,
        upper_bound=upper_bound,
        gap=(upper_bound - objective) / upper_bound if upper_bound else 0.0,
        unplaced_priority=unplaced,
        stats=stats,
    )


def check(problem: Problem, schedule: Schedule) -> list[str]:
    """Every rule `schedule` breaks for `problem`, as sentences; [] when it is feasible."""
    return violations(problem, schedule)
