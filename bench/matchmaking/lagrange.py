"""A Lagrangian upper bound of the time-indexed model, for instances whose full LP is too big.

Relax "one meeting per party per slot" (multipliers u[b, t], v[s, t] >= 0) and the tables per
slot (lam[t] >= 0). What is left — each pair at most once, per-party max meetings (and at most
as many as the party's available slots, which the relaxed rules imply) — is a bipartite
b-matching on the pairs' best reduced weights

    r[c] = max(0, max over common slots t of score[c] - u[b, t] - v[s, t] - lam[t]),

solved exactly by a min-cost flow. For ANY multipliers >= 0,

    L(u, v, lam) = sum u + sum v + sum lam * tables + b-matching(r)

bounds every schedule's score (weak duality); r is rounded up to 1/1000 for the integer flow,
which can only raise L. Subgradient steps (Polyak, towards a known schedule's score) lower it;
the best L seen is the bound. Its limit is the LP optimum; how close it gets is measured against
HiGHS on the instances where HiGHS finishes.
"""

from __future__ import annotations

import math

import numpy as np
from ortools.graph.python import min_cost_flow

from app.matchmaking.scheduler import Problem

SCALE = 1000
THETA = 2.0


def matching(nb: int, ns: int, pair_b: np.ndarray, pair_s: np.ndarray, weights: np.ndarray,
             b_cap: np.ndarray, s_cap: np.ndarray, total_cap: int | None
             ) -> tuple[int, np.ndarray]:
    """Max total integer weight of a b-matching (per-party caps, at most `total_cap` pairs);
    (value, chosen mask over pairs)."""
    source, hub, sink = nb + ns, nb + ns + 1, nb + ns + 2
    keep = np.flatnonzero(weights > 0)
    total = int(min(b_cap.sum(), s_cap.sum()))
    if total_cap is not None:
        total = min(total, total_cap)
    tails = np.concatenate(([source, source], np.full(nb, hub), pair_b[keep],
                            nb + np.arange(ns)))
    heads = np.concatenate(([sink, hub], np.arange(nb), nb + pair_s[keep], np.full(ns, sink)))
    caps = np.concatenate(([total, total], b_cap, np.ones(len(keep), dtype=np.int64), s_cap))
    costs = np.concatenate((np.zeros(2 + nb, dtype=np.int64), -weights[keep],
                            np.zeros(ns, dtype=np.int64)))
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64),
        costs.astype(np.int64))
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("min-cost flow failed")
    chosen = np.zeros(len(weights), dtype=bool)
    chosen[keep[flow.flows(arcs[2 + nb:2 + nb + len(keep)]) > 0]] = True
    return -int(flow.optimal_cost()), chosen


class Pairs:
    """The candidates as arrays, and the time-indexed variables (pair, common slot)."""

    def __init__(self, problem: Problem) -> None:
        b_index = {p.id: i for i, p in enumerate(problem.buyers)}
        s_index = {p.id: i for i, p in enumerate(problem.suppliers)}
        self.nb, self.ns = len(b_index), len(s_index)
        var_c: list[int] = []
        var_t: list[int] = []
        for k, cand in enumerate(problem.candidates):
            common = problem.buyers[b_index[cand.buyer]].slots & \
                problem.suppliers[s_index[cand.supplier]].slots
            for t in sorted(common):
                var_c.append(k)
                var_t.append(t)
        self.vc, self.vt = np.asarray(var_c, dtype=np.int64), np.asarray(var_t, dtype=np.int64)
        self.pair_b = np.asarray([b_index[c.buyer] for c in problem.candidates], dtype=np.int64)
        self.pair_s = np.asarray([s_index[c.supplier] for c in problem.candidates],
                                 dtype=np.int64)
        self.score = np.asarray([c.score for c in problem.candidates], dtype=np.int64)
        self.priority = np.asarray([c.priority for c in problem.candidates], dtype=np.int64)
        self.has_var = np.zeros(len(self.score), dtype=bool)
        self.has_var[self.vc] = True
        self.b_cap = np.asarray([min(p.max_meetings, len(p.slots)) for p in problem.buyers],
                                dtype=np.int64)
        self.s_cap = np.asarray([min(p.max_meetings, len(p.slots)) for p in problem.suppliers],
                                dtype=np.int64)
        self.total_cap = (problem.capacity * problem.slot_count
                          if problem.capacity is not None else None)

    def match(self, weights: np.ndarray) -> tuple[int, np.ndarray]:
        return matching(self.nb, self.ns, self.pair_b, self.pair_s,
                        np.where(self.has_var, weights, 0), self.b_cap, self.s_cap,
                        self.total_cap)


def requests_bound(problem: Problem) -> int | None:
    """The flow relaxation's best score among pair sets that contain every must-meet and
    accepted request (a big bonus per request, taken off again); None if the relaxation
    cannot hold them all. When a schedule places every request (which proves they fit
    together), the best schedule for the problem as posed places them all too, so this bounds
    its score."""
    if problem.locked:
        raise ValueError("the requests bound does not handle locked meetings")
    pairs = Pairs(problem)
    wanted = (pairs.priority > 0) & pairs.has_var
    bonus = int(pairs.score.sum()) + 1
    value, chosen = pairs.match(pairs.score + bonus * wanted)
    if int(chosen[wanted].sum()) < int(wanted.sum()):
        return None
    return value - bonus * int(wanted.sum())


def lagrangian_bound(problem: Problem, target: float, iterations: int = 150
                     ) -> tuple[float, dict[str, float]]:
    """(best bound, details). `target`: the score of a known schedule (steers the steps)."""
    if problem.locked:
        raise ValueError("the Lagrangian bound does not handle locked meetings")
    slots = problem.slot_count
    pairs = Pairs(problem)
    nb, ns, vc, vt = pairs.nb, pairs.ns, pairs.vc, pairs.vt
    score = pairs.score.astype(float)
    has_var = pairs.has_var
    starts = np.flatnonzero(np.r_[True, vc[1:] != vc[:-1]]) if len(vc) else vc
    vb, vs = pairs.pair_b[vc] * slots + vt, pairs.pair_s[vc] * slots + vt
    tables = problem.capacity
    u = np.zeros(nb * slots)
    v = np.zeros(ns * slots)
    lam = np.zeros(slots)
    best = math.inf
    theta, stall = THETA, 0
    for _ in range(iterations):
        reduced = score[vc] - u[vb] - v[vs] - lam[vt]
        group_max = np.maximum.reduceat(reduced, starts) if len(vc) else reduced
        r = np.zeros(len(score))
        r[has_var] = np.maximum(group_max, 0.0)
        weights = np.ceil(r * SCALE).astype(np.int64)
        value, chosen = pairs.match(weights)
        bound = u.sum() + v.sum() + (lam.sum() * tables if tables is not None else 0.0) \
            + value / SCALE
        if bound < best - 1e-9:
            best, stall = bound, 0
        else:
            stall += 1
            if stall >= 10:
                theta, stall = theta / 2, 0
        # The slot each chosen pair takes in the inner optimum: its first best one.
        at_max = reduced >= np.repeat(group_max, np.diff(np.r_[starts, len(vc)])) - 1e-12
        first = np.minimum.reduceat(np.where(at_max, np.arange(len(vc)), len(vc)), starts)
        used = first[chosen[has_var]]
        g_b = 1.0 - np.bincount(vb[used], minlength=nb * slots)
        g_s = 1.0 - np.bincount(vs[used], minlength=ns * slots)
        g_t = (tables - np.bincount(vt[used], minlength=slots)).astype(float) \
            if tables is not None else np.zeros(slots)
        # Projected subgradient: a multiplier at 0 with slack cannot go lower; leaving those
        # components in would only shrink the step.
        g_b[(u <= 0) & (g_b > 0)] = 0.0
        g_s[(v <= 0) & (g_s > 0)] = 0.0
        g_t[(lam <= 0) & (g_t > 0)] = 0.0
        norm = float((g_b ** 2).sum() + (g_s ** 2).sum() + (g_t ** 2).sum())
        if norm == 0 or bound - target <= 1e-6:
            break
        step = theta * (bound - target) / norm
        u = np.maximum(0.0, u - step * g_b)
        v = np.maximum(0.0, v - step * g_s)
        if tables is not None:
            lam = np.maximum(0.0, lam - step * g_t)
    return best, {"lagrange_iterations": float(iterations), "lagrange_variables": float(len(vc))}
