"""The scheduler's edge cases and rules, one behaviour per test (issue 6)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.matchmaking.scheduler import (
    Candidate,
    Party,
    Placement,
    Problem,
    Schedule,
    check,
    solve,
    validate,
)
from app.matchmaking.scheduling.board import Board
from app.matchmaking.scheduling.model import Compiled
from app.matchmaking.scheduling.slots import Placer


def party(pid: int, slots: set[int] | range, max_meetings: int = 4) -> Party:
    return Party(pid, max_meetings, frozenset(slots))


def key(problem: Problem, schedule: Schedule) -> tuple[int, int, int]:
    """(must-meets, accepted requests, score) placed: what the scheduler maximizes, in order."""
    by_pair = {(c.buyer, c.supplier): c for c in problem.candidates}
    placed = [by_pair[(m.buyer, m.supplier)] for m in schedule.meetings]
    return (sum(c.priority == 2 for c in placed), sum(c.priority == 1 for c in placed),
            sum(c.score for c in placed))


def pairs_by_slot(schedule: Schedule) -> list[tuple[int, int, int]]:
    return [(m.buyer, m.supplier, m.slot) for m in schedule.meetings]


def test_nobody_available_gives_an_empty_schedule() -> None:
    problem = Problem([party(1, set()), party(2, set())], [party(10, set())], 4,
                      [Candidate(1, 10, 900, 2), Candidate(2, 10, 500)])
    schedule = solve(problem)
    assert schedule.meetings == ()
    assert schedule.objective == 0
    assert schedule.upper_bound == 0
    assert schedule.gap == 0.0
    assert schedule.unplaced_priority == (Candidate(1, 10, 900, 2),)


def test_no_slots_no_parties_no_candidates_is_fine() -> None:
    assert solve(Problem([], [], 0, [])).meetings == ()


def test_party_with_zero_max_meetings_meets_nobody() -> None:
    problem = Problem([party(1, range(3), max_meetings=0), party(2, range(3))],
                      [party(10, range(3)), party(11, range(3))], 3,
                      [Candidate(1, 10, 1000, 1), Candidate(2, 10, 10), Candidate(2, 11, 20)])
    schedule = solve(problem)
    assert all(m.buyer != 1 for m in schedule.meetings)
    assert {(m.buyer, m.supplier) for m in schedule.meetings} == {(2, 10), (2, 11)}
    assert schedule.unplaced_priority == (Candidate(1, 10, 1000, 1),)


def test_capacity_one_allows_one_meeting_per_slot() -> None:
    buyers = [party(b, range(2)) for b in (1, 2, 3)]
    suppliers = [party(s, range(2)) for s in (10, 11, 12)]
    candidates = [Candidate(b, s, 100 * b + s) for b in (1, 2, 3) for s in (10, 11, 12)]
    schedule = solve(Problem(buyers, suppliers, 2, candidates, capacity=1))
    assert check(Problem(buyers, suppliers, 2, candidates, capacity=1), schedule) == []
    # One table: the two best pairs, one per slot (buyer 3 may meet in both slots).
    assert [m.slot for m in schedule.meetings] == [0, 1]
    assert schedule.objective == 312 + 311


def test_capacity_zero_schedules_nothing() -> None:
    problem = Problem([party(1, range(2))], [party(10, range(2))], 2,
                      [Candidate(1, 10, 500, 2)], capacity=0)
    schedule = solve(problem)
    assert schedule.meetings == ()
    assert schedule.upper_bound == 0


def test_a_pair_meets_at_most_once_even_with_free_slots_left() -> None:
    problem = Problem([party(1, range(4))], [party(10, range(4))], 4, [Candidate(1, 10, 700)])
    assert pairs_by_slot(solve(problem)) == [(1, 10, 0)]


def test_only_candidate_pairs_meet() -> None:
    problem = Problem([party(1, range(2)), party(2, range(2))],
                      [party(10, range(2)), party(11, range(2))], 2,
                      [Candidate(1, 10, 5), Candidate(2, 11, 5)])
    assert {(m.buyer, m.supplier) for m in solve(problem).meetings} == {(1, 10), (2, 11)}


def test_meetings_are_only_in_slots_both_parties_are_available() -> None:
    problem = Problem([party(1, {0, 2})], [party(10, {1, 2})], 3, [Candidate(1, 10, 5)])
    assert pairs_by_slot(solve(problem)) == [(1, 10, 2)]


def test_locked_meeting_stays_and_the_chosen_pair_goes_around_it() -> None:
    # Buyer 1's best pair (1, 10) could take slot 0 or 1; the organizer locked (1, 11) in
    # slot 0, so (1, 10) must take slot 1.
    problem = Problem([party(1, {0, 1})], [party(10, {0, 1}), party(11, {0, 1})], 2,
                      [Candidate(1, 10, 900), Candidate(1, 11, 10)],
                      locked=[Placement(1, 11, 0)])
    schedule = solve(problem)
    assert pairs_by_slot(schedule) == [(1, 11, 0), (1, 10, 1)]
    assert schedule.objective == 910
    assert check(problem, schedule) == []


def test_locked_meeting_wins_over_a_better_pair_that_needs_its_slot() -> None:
    problem = Problem([party(1, {0})], [party(10, {0}), party(11, {0})], 1,
                      [Candidate(1, 10, 900, 1), Candidate(1, 11, 10)],
                      locked=[Placement(1, 11, 0)])
    schedule = solve(problem)
    assert pairs_by_slot(schedule) == [(1, 11, 0)]
    assert schedule.unplaced_priority == (Candidate(1, 10, 900, 1),)


def test_locked_meetings_count_towards_max_meetings_and_capacity() -> None:
    problem = Problem([party(1, range(3), max_meetings=1), party(2, range(3))],
                      [party(10, range(3)), party(11, range(3))], 3,
                      [Candidate(1, 10, 1), Candidate(1, 11, 999), Candidate(2, 11, 50)],
                      capacity=1, locked=[Placement(1, 10, 1)])
    schedule = solve(problem)
    assert check(problem, schedule) == []
    assert all(not (m.buyer == 1 and m.supplier == 11) for m in schedule.meetings)
    assert pairs_by_slot(schedule) == [(2, 11, 0), (1, 10, 1)]


def test_must_meet_comes_before_any_amount_of_score() -> None:
    # Supplier 10 has one meeting to give: the must-meet (score 1) beats two requests...
    problem = Problem([party(1, {0}), party(2, {0}), party(3, {0})],
                      [party(10, {0}, max_meetings=1)], 1,
                      [Candidate(1, 10, 1, 2), Candidate(2, 10, 1000, 1),
                       Candidate(3, 10, 1000)])
    schedule = solve(problem)
    assert pairs_by_slot(schedule) == [(1, 10, 0)]
    assert schedule.unplaced_priority == (Candidate(2, 10, 1000, 1),)


def test_accepted_request_comes_before_a_higher_score() -> None:
    problem = Problem([party(1, {0}), party(2, {0})], [party(10, {0}, max_meetings=1)], 1,
                      [Candidate(1, 10, 5, 1), Candidate(2, 10, 1000)])
    schedule = solve(problem)
    assert pairs_by_slot(schedule) == [(1, 10, 0)]
    assert schedule.unplaced_priority == ()
    # The bound is for the problem as posed (requests first), so this is optimal ...
    assert schedule.upper_bound == 5
    assert schedule.gap == 0.0
    # ... while ignoring priorities a schedule could score 1000.
    assert schedule.stats["upper_bound_plain"] == 1000


def test_upper_bound_and_gap_are_reported() -> None:
    problem = Problem([party(1, {0, 1}), party(2, {0, 1})], [party(10, {0, 1})], 2,
                      [Candidate(1, 10, 100), Candidate(2, 10, 100)])
    schedule = solve(problem)
    assert schedule.objective == 200
    assert schedule.upper_bound == 200
    assert schedule.gap == 0.0
    # Both buyers can only meet supplier 10 in slot 0: the flow relaxation (which ignores
    # slot clashes) counts both meetings, a schedule has room for one.
    clash = Problem([party(1, {0}), party(2, {0})], [party(10, {0, 1}, max_meetings=2)], 2,
                    [Candidate(1, 10, 100), Candidate(2, 10, 60)])
    schedule = solve(clash)
    assert schedule.objective == 100
    assert schedule.upper_bound == 160
    assert schedule.gap == pytest.approx(60 / 160)


def test_schedule_is_sorted_by_slot_buyer_supplier() -> None:
    buyers = [party(b, range(3)) for b in (5, 3, 9)]
    suppliers = [party(s, range(3)) for s in (40, 20, 30)]
    candidates = [Candidate(b, s, (b * s) % 97) for b in (5, 3, 9) for s in (40, 20, 30)]
    meetings = solve(Problem(buyers, suppliers, 3, candidates)).meetings
    assert list(meetings) == sorted(meetings, key=lambda m: (m.slot, m.buyer, m.supplier))


def test_progress_is_reported_at_phase_boundaries_up_to_one() -> None:
    calls: list[tuple[str, float]] = []
    problem = Problem([party(1, range(2))], [party(10, range(2))], 2, [Candidate(1, 10, 1)])
    solve(problem, progress=lambda phase, fraction: calls.append((phase, fraction)))
    assert [phase for phase, _ in calls] == ["prepare", "bound", "assign", "repair"]
    fractions = [fraction for _, fraction in calls]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


def test_polish_reports_progress_and_keeps_the_schedule_feasible() -> None:
    calls: list[str] = []
    buyers = [party(b, range(3), 2) for b in range(4)]
    suppliers = [party(s, range(3), 2) for s in range(10, 14)]
    candidates = [Candidate(b, s, (7 * b + 3 * s) % 50 + 1, int(b == s - 10))
                  for b in range(4) for s in range(10, 14)]
    problem = Problem(buyers, suppliers, 3, candidates, capacity=3)
    plain = solve(problem)
    polished = solve(problem, polish_seconds=2.0,
                     progress=lambda phase, _: calls.append(phase))
    assert calls[-1] == "polish"
    assert check(problem, polished) == []
    assert key(problem, polished) >= key(problem, plain)


def test_kempe_chain_swap_places_a_pair_that_has_no_common_free_slot() -> None:
    # Slots 0 and 1. A meets X in 0, B meets Y in 1. The pair (A, Y) has no slot where both
    # are free; moving the chain A-X from 0 to 1 frees A in 0, where Y is free.
    problem = Problem([party(1, {0, 1}), party(2, {0, 1})], [party(10, {0, 1}),
                      party(11, {0, 1})], 2,
                      [Candidate(1, 10, 1), Candidate(2, 11, 1), Candidate(1, 11, 1)])
    model = Compiled(problem)
    board = Board(model)
    a_x, b_y, a_y = (model.pair_index[p] for p in ((1, 10), (2, 11), (1, 11)))
    board.place(a_x, 0)
    board.place(b_y, 1)
    assert board.free_slots(a_y) == 0
    placer = Placer(board)
    assert placer.insert(a_y)
    assert placer.flips == 1
    assert (board.slot_of[a_y], board.slot_of[a_x], board.slot_of[b_y]) == (0, 1, 1)


def test_kempe_chain_never_moves_a_locked_meeting() -> None:
    problem = Problem([party(1, {0, 1}), party(2, {0, 1})], [party(10, {0, 1}),
                      party(11, {0, 1})], 2,
                      [Candidate(1, 10, 1), Candidate(2, 11, 1), Candidate(1, 11, 1)],
                      locked=[Placement(2, 11, 1), Placement(1, 10, 0)])
    schedule = solve(problem)
    assert pairs_by_slot(schedule) == [(1, 10, 0), (2, 11, 1)]


def test_check_reports_every_broken_rule() -> None:
    problem = Problem([party(1, {0}, max_meetings=1)], [party(10, {0, 1}), party(11, {1})], 2,
                      [Candidate(1, 10, 5), Candidate(1, 11, 7)], capacity=1,
                      locked=[Placement(1, 10, 0)])
    bad = Schedule(
        meetings=(Placement(1, 11, 0), Placement(1, 12, 0), Placement(1, 11, 1)),
        objective=1, upper_bound=0, gap=0.0, unplaced_priority=(), stats={})
    problems = check(problem, bad)
    text = "\n".join(problems)
    for expected in ("supplier not available", "not a candidate pair", "buyer not available",
                     "meets 2 times", "has 2 meetings in slot 0", "has 3 meetings, max 1",
                     "slot 0 has 2 meetings, capacity 1", "was moved",
                     "objective 1 != sum of scores 14"):
        assert expected in text, (expected, problems)


def test_check_accepts_a_feasible_schedule() -> None:
    problem = Problem([party(1, {0, 1})], [party(10, {0, 1})], 2, [Candidate(1, 10, 5)])
    assert check(problem, solve(problem)) == []


BUYERS = [party(1, {0, 1})]
SUPPLIERS = [party(10, {0, 1}), party(11, {1})]
GOOD = Problem(BUYERS, SUPPLIERS, 2, [Candidate(1, 10, 5), Candidate(1, 11, 5)])


@pytest.mark.parametrize(("change", "message"), [
    ({"candidates": [Candidate(2, 10, 5)]}, "unknown buyer 2"),
    ({"candidates": [Candidate(1, 12, 5)]}, "unknown supplier 12"),
    ({"candidates": [Candidate(1, 10, 5), Candidate(1, 10, 6)]}, "listed twice"),
    ({"candidates": [Candidate(1, 10, -1)]}, "score must be an integer"),
    ({"candidates": [Candidate(1, 10, 10_000_000)]}, "score must be an integer"),
    ({"candidates": [Candidate(1, 10, 5, 3)]}, "priority must be 0, 1 or 2"),
    ({"buyers": [party(1, {2})]}, "slot 2 is outside 0..1"),
    ({"buyers": [party(1, {-1})]}, "slot -1 is outside"),
    ({"buyers": [party(1, {0}), party(1, {1})]}, "buyer 1 is listed twice"),
    ({"suppliers": [party(10, {0}, max_meetings=-1), party(11, {1})]}, "max_meetings"),
    ({"slot_count": -1}, "slot_count"),
    ({"capacity": -2}, "capacity"),
    ({"locked": [Placement(1, 11, 0)]}, "the supplier is not available in that slot"),
    ({"locked": [Placement(1, 10, 5)]}, "slot is outside"),
    ({"locked": [Placement(1, 12, 0)]}, "not a candidate"),
    ({"locked": [Placement(1, 10, 1), Placement(1, 11, 1)]}, "already has a locked meeting"),
    ({"locked": [Placement(1, 10, 0), Placement(1, 10, 1)]}, "locked twice"),
    ({"locked": [Placement(1, 10, 0)], "buyers": [party(1, {0, 1}, 0)]}, "max_meetings"),
    ({"locked": [Placement(1, 10, 0)], "capacity": 0}, "capacity"),
])
def test_invalid_input_is_refused_with_a_clear_message(change: dict[str, object],
                                                       message: str) -> None:
    problem = replace(GOOD, **change)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        validate(problem)
    with pytest.raises(ValueError, match=message):
        solve(problem)


def test_valid_input_passes_validation() -> None:
    validate(GOOD)
