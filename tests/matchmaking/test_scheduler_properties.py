"""Property tests of the scheduler on random instances (issue 6).

Random problems: up to 12 x 12 parties, up to 6 slots, random availability, max meetings,
table capacity, priorities and locks. What must hold for every one of them: the schedule is
feasible (`check`), no must-meet or accepted request is left out while it still fits as is,
the result is deterministic, the objective is the sum of scores and within the bound. On tiny
problems the bound and the optimum are compared with a brute-force search.
"""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.matchmaking.scheduler import Candidate, Party, Placement, Problem, Schedule, check, solve

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


def _locks(rng_pick: list[tuple[int, int]], problem: Problem) -> list[Placement]:
    """Keep the drawn (candidate, slot) locks that are valid together, in draw order."""
    buyers = {p.id: p for p in problem.buyers}
    suppliers = {p.id: p for p in problem.suppliers}
    busy: set[tuple[str, int, int]] = set()
    count: dict[tuple[str, int], int] = {}
    per_slot: dict[int, int] = {}
    pairs: set[tuple[int, int]] = set()
    out: list[Placement] = []
    for index, slot in rng_pick:
        if not problem.candidates:
            break
        cand = problem.candidates[index % len(problem.candidates)]
        b, s = buyers[cand.buyer], suppliers[cand.supplier]
        keys = (("b", b.id, slot), ("s", s.id, slot))
        if (slot not in b.slots or slot not in s.slots or (b.id, s.id) in pairs
                or any(k in busy for k in keys)
                or count.get(("b", b.id), 0) >= b.max_meetings
                or count.get(("s", s.id), 0) >= s.max_meetings
                or (problem.capacity is not None
                    and per_slot.get(slot, 0) >= problem.capacity)):
            continue
        busy.update(keys)
        pairs.add((b.id, s.id))
        count[("b", b.id)] = count.get(("b", b.id), 0) + 1
        count[("s", s.id)] = count.get(("s", s.id), 0) + 1
        per_slot[slot] = per_slot.get(slot, 0) + 1
        out.append(Placement(b.id, s.id, slot))
    return out


@st.composite
def problems(draw: st.DrawFn, max_parties: int = 12, max_slots: int = 6,
             max_candidates: int = 60) -> Problem:
    slots = draw(st.integers(1, max_slots))
    slot_sets = st.frozensets(st.integers(0, slots - 1))
    meetings = st.integers(0, slots + 1)
    buyer_ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=max_parties))
    supplier_ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=max_parties))
    buyers = [Party(i, draw(meetings), draw(slot_sets)) for i in buyer_ids]
    suppliers = [Party(j, draw(meetings), draw(slot_sets)) for j in supplier_ids]
    pairs = [(b, s) for b in buyer_ids for s in supplier_ids]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=max_candidates)
                  ) if pairs else []
    candidates = [Candidate(b, s, draw(st.integers(0, 1000)),
                            draw(st.sampled_from((0, 0, 0, 0, 1, 1, 2))))
                  for b, s in chosen]
    capacity = draw(st.none() | st.integers(0, max(1, len(buyer_ids))))
    problem = Problem(buyers, suppliers, slots, candidates, capacity)
    picks = draw(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, slots - 1)),
                          max_size=4))
    return replace(problem, locked=_locks(picks, problem))


def _fits_as_is(problem: Problem, schedule: Schedule, cand: Candidate) -> list[int]:
    """Slots where `cand` could be added without moving anyone: both available and free,
    both under max meetings, the slot under capacity."""
    buyer = next(p for p in problem.buyers if p.id == cand.buyer)
    supplier = next(p for p in problem.suppliers if p.id == cand.supplier)
    mine = [m for m in schedule.meetings if m.buyer == cand.buyer]
    theirs = [m for m in schedule.meetings if m.supplier == cand.supplier]
    if len(mine) >= buyer.max_meetings or len(theirs) >= supplier.max_meetings:
        return []
    taken = {m.slot for m in mine} | {m.slot for m in theirs}
    return [t for t in sorted(buyer.slots & supplier.slots) if t not in taken and (
        problem.capacity is None
        or sum(1 for m in schedule.meetings if m.slot == t) < problem.capacity)]


def _key(problem: Problem, meetings: tuple[Placement, ...]) -> tuple[int, int, int]:
    """(must-meets, accepted requests, score): what the scheduler maximizes, in order."""
    by_pair = {(c.buyer, c.supplier): c for c in problem.candidates}
    placed = [by_pair[(m.buyer, m.supplier)] for m in meetings]
    return (sum(c.priority == 2 for c in placed), sum(c.priority == 1 for c in placed),
            sum(c.score for c in placed))


def brute_force(problem: Problem) -> tuple[tuple[int, int, int], int]:
    """(best (must-meets, requests, score) key, best plain score) over every schedule."""
    buyers = {p.id: p for p in problem.buyers}
    suppliers = {p.id: p for p in problem.suppliers}
    locked = {(p.buyer, p.supplier): p.slot for p in problem.locked}
    # Locked meetings first, so that the others are checked against them.
    cands = sorted(problem.candidates, key=lambda c: (c.buyer, c.supplier) not in locked)
    busy: set[tuple[str, int, int]] = set()
    count: dict[tuple[str, int], int] = {}
    per_slot: dict[int, int] = {}
    best_key = (-1, -1, -1)
    best_plain = -1

    def fits(c: Candidate, t: int) -> bool:
        return (t in buyers[c.buyer].slots and t in suppliers[c.supplier].slots
                and ("b", c.buyer, t) not in busy and ("s", c.supplier, t) not in busy
                and count.get(("b", c.buyer), 0) < buyers[c.buyer].max_meetings
                and count.get(("s", c.supplier), 0) < suppliers[c.supplier].max_meetings
                and (problem.capacity is None or per_slot.get(t, 0) < problem.capacity))

    def move(c: Candidate, t: int, sign: int) -> None:
        for key in (("b", c.buyer, t), ("s", c.supplier, t)):
            (busy.add if sign > 0 else busy.discard)(key)
        for key2 in (("b", c.buyer), ("s", c.supplier)):
            count[key2] = count.get(key2, 0) + sign
        per_slot[t] = per_slot.get(t, 0) + sign

    def walk(i: int, key: tuple[int, int, int]) -> None:
        nonlocal best_key, best_plain
        if i == len(cands):
            best_key = max(best_key, key)
            best_plain = max(best_plain, key[2])
            return
        c = cands[i]
        fixed = locked.get((c.buyer, c.supplier))
        options = [fixed] if fixed is not None else [None, *range(problem.slot_count)]
        for t in options:
            if t is None:
                walk(i + 1, key)
            elif fixed is not None or fits(c, t):
                move(c, t, +1)
                walk(i + 1, (key[0] + (c.priority == 2), key[1] + (c.priority == 1),
                             key[2] + c.score))
                move(c, t, -1)

    walk(0, (0, 0, 0))
    return best_key, best_plain


@PROPERTY_SETTINGS
@given(problems())
def test_schedule_is_feasible_and_reports_its_score_within_the_bound(problem: Problem) -> None:
    schedule = solve(problem)
    assert check(problem, schedule) == []
    assert schedule.objective == _key(problem, schedule.meetings)[2]
    assert 0 <= schedule.objective <= schedule.upper_bound
    assert schedule.upper_bound <= schedule.stats["upper_bound_plain"]
    assert 0.0 <= schedule.gap <= 1.0


@PROPERTY_SETTINGS
@given(problems())
def test_no_must_meet_or_accepted_request_is_left_out_while_it_fits(problem: Problem) -> None:
    schedule = solve(problem)
    placed = {(m.buyer, m.supplier) for m in schedule.meetings}
    expected = tuple(c for c in sorted(problem.candidates, key=lambda c: (c.buyer, c.supplier))
                     if c.priority > 0 and (c.buyer, c.supplier) not in placed)
    assert schedule.unplaced_priority == expected
    for cand in schedule.unplaced_priority:
        assert _fits_as_is(problem, schedule, cand) == [], cand


@PROPERTY_SETTINGS
@given(problems(), st.randoms(use_true_random=False))
def test_same_input_in_any_order_gives_the_same_schedule(problem: Problem,
                                                         rng: random.Random) -> None:
    first = solve(problem)
    again = solve(problem)
    buyers, suppliers = list(problem.buyers), list(problem.suppliers)
    candidates, locked = list(problem.candidates), list(problem.locked)
    rng.shuffle(buyers)
    rng.shuffle(suppliers)
    rng.shuffle(candidates)
    rng.shuffle(locked)
    other = solve(replace(problem, buyers=buyers, suppliers=suppliers, candidates=candidates,
                          locked=locked))
    for schedule in (again, other):
        assert schedule.meetings == first.meetings
        assert schedule.objective == first.objective
        assert schedule.upper_bound == first.upper_bound
        assert set(schedule.unplaced_priority) == set(first.unplaced_priority)


@PROPERTY_SETTINGS
@given(problems(max_parties=4, max_slots=3, max_candidates=7))
def test_bound_holds_against_brute_force_and_a_zero_gap_is_optimal(problem: Problem) -> None:
    schedule = solve(problem)
    best, best_plain = brute_force(problem)
    mine = _key(problem, schedule.meetings)
    assert mine <= best
    # The reported bound covers the best schedule for the problem as posed; the plain one
    # covers every schedule.
    assert best[2] <= schedule.upper_bound
    assert best_plain <= schedule.stats["upper_bound_plain"]
    if schedule.objective == schedule.upper_bound:
        assert mine == best


@PROPERTY_SETTINGS
@given(problems(max_parties=4, max_slots=3, max_candidates=7))
def test_polish_reaches_the_optimum_on_tiny_problems(problem: Problem) -> None:
    polished = solve(problem, polish_seconds=5.0)
    assert check(problem, polished) == []
    best, _ = brute_force(problem)
    assert _key(problem, polished.meetings) == best


def _seeded(seed: int) -> Problem:
    """A small random problem from a fixed seed (for the gap measurement below)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    slots = rng.randint(3, 6)
    availability = rng.uniform(0.4, 0.9)

    def party(i: int) -> Party:
        return Party(i, rng.randint(1, slots),
                     frozenset(t for t in range(slots) if rng.random() < availability))

    buyers = [party(i) for i in range(rng.randint(4, 12))]
    suppliers = [party(j) for j in range(rng.randint(4, 12))]
    pairs = [(b.id, s.id) for b in buyers for s in suppliers]
    picked = rng.sample(pairs, min(len(pairs), rng.randint(len(buyers), 4 * len(buyers))))
    candidates = [Candidate(b, s, rng.randint(1, 1000), rng.choice((0, 0, 0, 0, 0, 1, 2)))
                  for b, s in picked]
    return Problem(buyers, suppliers, slots, candidates,
                   rng.choice((None, None, len(buyers) // 2 + 1)))


def test_heuristic_gap_to_the_exact_optimum_on_seeded_small_problems() -> None:
    """The method is a heuristic: this pins how close it gets to the exact optimum (CP-SAT
    run to proven optimality through the polish) on 100 fixed problems of up to 12 x 12
    parties and 6 slots. Deterministic, so not flaky. Measured when written: 99 of 100
    optimal, the same must-meets and requests placed in all 100, score ratio mean 0.9999,
    worst 0.987 (before the one-out-two-in trades: 93 optimal, worst 0.83)."""
    optimal = 0
    same_priorities = 0
    ratios = []
    for seed in range(100):
        problem = _seeded(seed)
        heuristic = solve(problem)
        exact = solve(problem, polish_seconds=30.0)
        assert exact.stats["polish_status"] == 4  # cp_model.OPTIMAL: proven
        mine, best = _key(problem, heuristic.meetings), _key(problem, exact.meetings)
        assert mine <= best
        assert best[2] <= heuristic.upper_bound
        optimal += mine == best
        if mine[:2] == best[:2]:
            same_priorities += 1
            ratios.append(mine[2] / best[2] if best[2] else 1.0)
    assert optimal >= 97
    assert same_priorities >= 99
    assert sum(ratios) / len(ratios) >= 0.998
    assert min(ratios) >= 0.95
