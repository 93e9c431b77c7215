"""Who meets whom: a min-cost flow that ignores which slot each meeting takes.

    source -> hub (cap: open table places) -> buyer (cap: room) -> supplier (cap 1 per
    candidate arc, cost -weight) -> sink (cap: room), plus a free source -> sink bypass,

so the flow sends a unit through a candidate only when that gains weight. Everything a slot
assignment must respect except "one meeting per party per slot" survives in the capacities
(budgets, free slots per party, table places), which is why the same network, costed by plain
scores, gives a valid upper bound on any schedule's objective.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ortools.graph.python import min_cost_flow

from app.matchmaking.scheduling.board import Board


def best_pairs(board: Board, cands: Sequence[int], weights: Sequence[int]) -> tuple[list[int], int]:
    """The candidates (of `cands`, each with a free common slot) an optimal flow uses, and the
    total weight they gain. Deterministic: arcs go in in the order given."""
    m = board.m
    nb, ns = m.buyer_count, m.supplier_count
    if not cands:
        return [], 0
    source, hub, sink = 0, 1, 2 + nb + ns
    b_room = [board.buyer_room(b) for b in range(nb)]
    s_room = [board.supplier_room(s) for s in range(ns)]
    total = min(sum(b_room), sum(s_room), board.open_room())
    if total <= 0:
        return [], 0
    c_arr = np.asarray(cands, dtype=np.int64)
    tails = np.concatenate((
        np.array([source, source], dtype=np.int32),
        np.full(nb, hub, dtype=np.int32),
        2 + np.asarray(m.c_buyer, dtype=np.int32)[c_arr],
        np.arange(2 + nb, 2 + nb + ns, dtype=np.int32),
    ))
    heads = np.concatenate((
        np.array([hub, sink], dtype=np.int32),
        np.arange(2, 2 + nb, dtype=np.int32),
        2 + nb + np.asarray(m.c_supplier, dtype=np.int32)[c_arr],
        np.full(ns, sink, dtype=np.int32),
    ))
    caps = np.concatenate((
        np.array([total, total], dtype=np.int64),
        np.asarray(b_room, dtype=np.int64),
        np.ones(len(cands), dtype=np.int64),
        np.asarray(s_room, dtype=np.int64),
    ))
    costs = np.concatenate((
        np.zeros(2 + nb, dtype=np.int64),
        -np.asarray(weights, dtype=np.int64),
        np.zeros(ns, dtype=np.int64),
    ))
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    first = 2 + nb
    used = flow.flows(arcs[first:first + len(cands)])
    chosen = [int(c) for c in c_arr[np.flatnonzero(used)]]
    return chosen, -int(flow.optimal_cost())


def flow_bound(board: Board) -> int:
    """Max total score of meetings on top of those on `board`, ignoring slot clashes."""
    m = board.m
    cands = [c for c in range(len(m.candidates)) if board.free_slots(c)]
    _, gained = best_pairs(board, cands, [m.c_score[c] for c in cands])
    return gained
