"""The two baselines TradeHall's scheduler is compared with (issue 6), written from the problem
alone (no code shared with the scheduler).

Both honour the same rules and the same order of importance: must-meets, then accepted
requests, then score.

- `greedy`: candidates best first (priority, then score); each takes the earliest slot where
  both parties are available and free, under max meetings and the slot's tables.
- `hungarian`: slot by slot, a maximum-weight assignment (scipy's `linear_sum_assignment`)
  between the buyers and suppliers still able to meet in that slot, over the candidate pairs
  that have not met yet; with limited tables, the slot keeps its heaviest assignments.
"""

from __future__ import annotations

import numpy as np

from app.matchmaking.scheduler import Placement, Problem


def _state(problem: Problem) -> tuple[dict[int, int], dict[int, int]]:
    return ({p.id: p.max_meetings for p in problem.buyers},
            {p.id: p.max_meetings for p in problem.suppliers})


def greedy(problem: Problem) -> list[Placement]:
    b_left, s_left = _state(problem)
    b_slots = {p.id: p.slots for p in problem.buyers}
    s_slots = {p.id: p.slots for p in problem.suppliers}
    busy: set[tuple[str, int, int]] = set()
    per_slot = [0] * problem.slot_count
    tables = problem.capacity
    out: list[Placement] = []
    for lock in problem.locked:
        busy.update({("b", lock.buyer, lock.slot), ("s", lock.supplier, lock.slot)})
        b_left[lock.buyer] -= 1
        s_left[lock.supplier] -= 1
        per_slot[lock.slot] += 1
        out.append(lock)
    locked = {(p.buyer, p.supplier) for p in problem.locked}
    order = sorted(problem.candidates, key=lambda c: (-c.priority, -c.score, c.buyer, c.supplier))
    for cand in order:
        if (cand.buyer, cand.supplier) in locked or not b_left[cand.buyer] \
                or not s_left[cand.supplier]:
            continue
        for t in sorted(b_slots[cand.buyer] & s_slots[cand.supplier]):
            if ("b", cand.buyer, t) in busy or ("s", cand.supplier, t) in busy:
                continue
            if tables is not None and per_slot[t] >= tables:
                continue
            busy.update({("b", cand.buyer, t), ("s", cand.supplier, t)})
            b_left[cand.buyer] -= 1
            s_left[cand.supplier] -= 1
            per_slot[t] += 1
            out.append(Placement(cand.buyer, cand.supplier, t))
            break
    return out


def hungarian(problem: Problem) -> list[Placement]:
    from scipy.optimize import linear_sum_assignment

    if problem.locked:
        raise ValueError("the per-slot Hungarian baseline does not handle locked meetings")
    b_left, s_left = _state(problem)
    b_slots = {p.id: p.slots for p in problem.buyers}
    s_slots = {p.id: p.slots for p in problem.suppliers}
    # Lexicographic weights within one slot's assignment (at most one meeting per buyer).
    per_slot_max = len(problem.buyers) * max((c.score for c in problem.candidates), default=0)
    w1 = per_slot_max + 1.0
    w2 = w1 * (len(problem.buyers) + 1)
    weight = {(c.buyer, c.supplier): c.score + w1 * (c.priority == 1) + w2 * (c.priority == 2)
              for c in problem.candidates}
    met: set[tuple[int, int]] = set()
    out: list[Placement] = []
    for t in range(problem.slot_count):
        pairs = [p for p, w in weight.items() if w > 0 and p not in met
                 and b_left[p[0]] and s_left[p[1]] and t in b_slots[p[0]] and t in s_slots[p[1]]]
        if not pairs:
            continue
        rows = sorted({b for b, _ in pairs})
        cols = sorted({s for _, s in pairs})
        row_of = {b: i for i, b in enumerate(rows)}
        col_of = {s: j for j, s in enumerate(cols)}
        matrix = np.zeros((len(rows), len(cols)))
        for b, s in pairs:
            matrix[row_of[b], col_of[s]] = weight[(b, s)]
        r_idx, c_idx = linear_sum_assignment(matrix, maximize=True)
        chosen = [(matrix[i, j], rows[i], cols[j]) for i, j in zip(r_idx, c_idx, strict=True)
                  if matrix[i, j] > 0]
        if problem.capacity is not None:
            chosen = sorted(chosen, key=lambda x: (-x[0], x[1], x[2]))[:problem.capacity]
        for _, b, s in chosen:
            met.add((b, s))
            b_left[b] -= 1
            s_left[s] -= 1
            out.append(Placement(b, s, t))
    return out
