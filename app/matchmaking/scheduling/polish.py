"""Optional CP-SAT polish on the full time-indexed model, started from the current schedule.

Off by default (`polish_seconds=0`). The limit is CP-SAT's *deterministic* time (its own work
units, roughly seconds on a recent core) and the search is single-threaded, so the same input
gives the same schedule whatever the machine's load; wall time can therefore differ from
`polish_seconds`. The result replaces the schedule only if its weighted objective is higher.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from app.matchmaking.scheduling.board import Board
from app.matchmaking.scheduling.slots import bits


def polish(board: Board, seconds: float, stats: dict[str, float]) -> None:
    m, slots = board.m, board.T
    model = cp_model.CpModel()
    free_b = [m.b_avail[b] & ~_locked_mask(board, True, b) for b in range(m.buyer_count)]
    free_s = [m.s_avail[s] & ~_locked_mask(board, False, s) for s in range(m.supplier_count)]
    by_buyer_slot: dict[int, list[cp_model.IntVar]] = {}
    by_supplier_slot: dict[int, list[cp_model.IntVar]] = {}
    by_buyer: dict[int, list[cp_model.IntVar]] = {}
    by_supplier: dict[int, list[cp_model.IntVar]] = {}
    by_slot: dict[int, list[cp_model.IntVar]] = {}
    variables: list[tuple[int, int, cp_model.IntVar]] = []
    terms: list[cp_model.IntVar] = []
    coeffs: list[int] = []
    for c in range(len(m.candidates)):
        if board.is_locked[c] or m.c_weight[c] <= 0:
            continue
        b, s = m.c_buyer[c], m.c_supplier[c]
        pair: list[cp_model.IntVar] = []
        for t in bits(m.c_common[c] & free_b[b] & free_s[s]):
            x = model.new_bool_var(f"x{c}_{t}")
            model.add_hint(x, board.slot_of[c] == t)
            variables.append((c, t, x))
            pair.append(x)
            terms.append(x)
            coeffs.append(m.c_weight[c])
            by_buyer_slot.setdefault(b * slots + t, []).append(x)
            by_supplier_slot.setdefault(s * slots + t, []).append(x)
            by_buyer.setdefault(b, []).append(x)
            by_supplier.setdefault(s, []).append(x)
            by_slot.setdefault(t, []).append(x)
        if len(pair) > 1:
            model.add_at_most_one(pair)
    for group in (*by_buyer_slot.values(), *by_supplier_slot.values()):
        if len(group) > 1:
            model.add_at_most_one(group)
    locked_b, locked_s, locked_t = _locked_counts(board)
    for b, xs in by_buyer.items():
        model.add(sum(xs) <= m.b_max[b] - locked_b[b])
    for s, xs in by_supplier.items():
        model.add(sum(xs) <= m.s_max[s] - locked_s[s])
    if m.capacity is not None:
        for t, xs in by_slot.items():
            model.add(sum(xs) <= m.capacity - locked_t[t])
    model.maximize(cp_model.LinearExpr.weighted_sum(terms, coeffs))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = seconds
    status = solver.solve(model)
    before = sum(m.c_weight[c] for c in board.placed())
    stats["polish_status"] = float(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value <= before:
        stats["polish_gain"] = 0.0
        return
    for c in board.placed():
        if not board.is_locked[c]:
            board.remove(c)
    for c, t, x in variables:
        if solver.boolean_value(x):
            board.place(c, t)
    stats["polish_gain"] = float(solver.objective_value - before)


def _locked_mask(board: Board, buyer_side: bool, party: int) -> int:
    slots = board.T
    at = board.b_at if buyer_side else board.s_at
    mask = 0
    for t in range(slots):
        e = at[party * slots + t]
        if e >= 0 and board.is_locked[e]:
            mask |= 1 << t
    return mask


def _locked_counts(board: Board) -> tuple[list[int], list[int], list[int]]:
    m = board.m
    per_b = [0] * m.buyer_count
    per_s = [0] * m.supplier_count
    per_t = [0] * board.T
    for c, t in m.locked:
        per_b[m.c_buyer[c]] += 1
        per_s[m.c_supplier[c]] += 1
        per_t[t] += 1
    return per_b, per_s, per_t
