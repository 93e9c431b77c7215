"""The LP upper bound: HiGHS on the LP relaxation of the time-indexed model.

One variable x[c, t] in [0, 1] per candidate c and slot t both parties are available in;
maximize sum score[c] * x[c, t] subject to, per buyer and slot and per supplier and slot
sum <= 1, per pair sum <= 1, per party sum <= max meetings, per slot sum <= tables, and locked
meetings fixed at 1. Any feasible schedule is a 0/1 point of this polytope, so the LP optimum
bounds every schedule's objective (plain scores: priorities are not part of the bound).
"""

from __future__ import annotations

import numpy as np

from app.matchmaking.scheduler import Problem


def lp_size(problem: Problem) -> int:
    """Number of LP variables (pairs x common slots), to decide before building anything."""
    b_slots = {p.id: p.slots for p in problem.buyers}
    s_slots = {p.id: p.slots for p in problem.suppliers}
    return sum(len(b_slots[c.buyer] & s_slots[c.supplier]) for c in problem.candidates)


def lp_bound(problem: Problem, time_limit: float | None = None
             ) -> tuple[float, dict[str, float]]:
    """(LP optimum, sizes). Raises RuntimeError if HiGHS does not reach optimality (in
    `time_limit` seconds, when given)."""
    # Imported here: the rest of the harness runs without the bench extra (scipy).
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    slots = problem.slot_count
    b_index = {p.id: i for i, p in enumerate(problem.buyers)}
    s_index = {p.id: i for i, p in enumerate(problem.suppliers)}
    b_slots = [p.slots for p in problem.buyers]
    s_slots = [p.slots for p in problem.suppliers]
    locked = {(p.buyer, p.supplier): p.slot for p in problem.locked}
    nb, ns, nc = len(b_index), len(s_index), len(problem.candidates)
    # Row blocks: buyer x slot, supplier x slot, pair, buyer, supplier, slot.
    row_pair = nb * slots + ns * slots
    row_buyer = row_pair + nc
    row_supplier = row_buyer + nb
    row_slot = row_supplier + ns
    rows: list[int] = []
    cost: list[float] = []
    lower: list[float] = []
    var = 0
    for k, cand in enumerate(problem.candidates):
        b, s = b_index[cand.buyer], s_index[cand.supplier]
        fixed = locked.get((cand.buyer, cand.supplier))
        for t in sorted(b_slots[b] & s_slots[s]):
            rows += [b * slots + t, nb * slots + s * slots + t, row_pair + k, row_buyer + b,
                     row_supplier + s, row_slot + t]
            cost.append(-float(cand.score))
            lower.append(1.0 if fixed == t else 0.0)
            var += 1
    per_var = 6
    cols = np.repeat(np.arange(var), per_var)
    n_rows = row_slot + slots
    matrix = coo_matrix((np.ones(len(rows)), (np.asarray(rows), cols)),
                        shape=(n_rows, var)).tocsr()
    tables = problem.capacity if problem.capacity is not None else nb
    rhs = np.concatenate((
        np.ones(row_pair + nc),
        np.asarray([p.max_meetings for p in problem.buyers], dtype=float),
        np.asarray([p.max_meetings for p in problem.suppliers], dtype=float),
        np.full(slots, float(tables)),
    ))
    bounds = np.column_stack((np.asarray(lower), np.ones(var)))
    options = {"time_limit": time_limit} if time_limit else {}
    # Interior point: on instance A, HiGHS's default (simplex) had not finished after 12 CPU
    # minutes; interior point took about 5 minutes (both under other load).
    result = linprog(np.asarray(cost), A_ub=matrix, b_ub=rhs, bounds=bounds, method="highs-ipm",
                     options=options)
    if result.status != 0:
        raise RuntimeError(f"HiGHS did not solve the LP: {result.message}")
    return -float(result.fun), {"lp_variables": float(var), "lp_rows": float(n_rows),
                                "lp_nonzeros": float(len(rows))}
