"""The scheduler's input and output types, input validation, and the compiled index model.

The public names are re-exported by `app.matchmaking.scheduler`; the domain imports them from
there. Everything else in `scheduling/` works on `Compiled`: parties and candidates turned into
dense indexes sorted by id, availability as slot bit masks, and the lexicographic weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Scores are small integers (the domain scales them to 0..1000); the bound keeps the
# lexicographic priority weights far from int64 overflow inside the min-cost flow solver.
MAX_SCORE = 1_000_000
# The domain allows up to 500 slots (a multi-day session of short slots).
MAX_SLOTS = 1024
PRIORITIES = (0, 1, 2)


@dataclass(frozen=True, slots=True)
class Party:
    """A buyer or a supplier participant; `slots` are the slot indexes it is available in."""

    id: int
    max_meetings: int
    slots: frozenset[int]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pair that may meet. Priority 0 normal, 1 accepted meeting request, 2 must meet."""

    buyer: int
    supplier: int
    score: int
    priority: int = 0


@dataclass(frozen=True, slots=True)
class Placement:
    """A meeting fixed in a slot."""

    buyer: int
    supplier: int
    slot: int


@dataclass(frozen=True)
class Problem:
    """Who may meet whom (`candidates`, each pair at most once) in `slot_count` slots, with at
    most `capacity` meetings per slot (tables; None = unlimited); `locked` meetings are kept
    as they are and count towards every limit."""

    buyers: Sequence[Party]
    suppliers: Sequence[Party]
    slot_count: int
    candidates: Sequence[Candidate]
    capacity: int | None = None
    locked: Sequence[Placement] = ()


@dataclass(frozen=True)
class Schedule:
    """The result. `meetings` include the locked ones, sorted (slot, buyer, supplier);
    `objective` is the sum of their scores (priorities not counted); `upper_bound` bounds the
    score of the best schedule for the problem as posed (see `solve`); `gap` is
    (upper_bound - objective) / upper_bound, 0.0 when the bound is 0; `unplaced_priority` lists
    the must-meets and accepted requests left out (none of them fits as is); `stats` holds
    timings per phase (which vary from run to run), sizes and the bounds."""

    meetings: tuple[Placement, ...]
    objective: int
    upper_bound: int
    gap: float
    unplaced_priority: tuple[Candidate, ...]
    stats: Mapping[str, float]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate_parties(side: str, parties: Sequence[Party], slot_count: int) -> dict[int, Party]:
    by_id: dict[int, Party] = {}
    for party in parties:
        if not _is_int(party.id):
            raise ValueError(f"{side} id {party.id!r} is not an integer")
        if party.id in by_id:
            raise ValueError(f"{side} {party.id} is listed twice")
        if not _is_int(party.max_meetings) or party.max_meetings < 0:
            raise ValueError(
                f"{side} {party.id}: max_meetings must be an integer >= 0, "
                f"got {party.max_meetings!r}"
            )
        for slot in party.slots:
            if not _is_int(slot) or not 0 <= slot < slot_count:
                raise ValueError(
                    f"{side} {party.id}: slot {slot!r} is outside 0..{slot_count - 1}"
                )
        by_id[party.id] = party
    return by_id


def _validate_candidates(
    candidates: Sequence[Candidate], buyers: Mapping[int, Party], suppliers: Mapping[int, Party]
) -> dict[tuple[int, int], Candidate]:
    pairs: dict[tuple[int, int], Candidate] = {}
    for cand in candidates:
        pair = (cand.buyer, cand.supplier)
        if cand.buyer not in buyers:
            raise ValueError(f"candidate {pair}: unknown buyer {cand.buyer}")
        if cand.supplier not in suppliers:
            raise ValueError(f"candidate {pair}: unknown supplier {cand.supplier}")
        if not _is_int(cand.score) or not 0 <= cand.score <= MAX_SCORE:
            raise ValueError(
                f"candidate {pair}: score must be an integer in 0..{MAX_SCORE}, "
                f"got {cand.score!r}"
            )
        if cand.priority not in PRIORITIES or not _is_int(cand.priority):
            raise ValueError(f"candidate {pair}: priority must be 0, 1 or 2, got {cand.priority!r}")
        if pair in pairs:
            raise ValueError(f"candidate {pair} is listed twice; each pair may meet at most once")
        pairs[pair] = cand
    return pairs


def _validate_locked(problem: Problem, buyers: Mapping[int, Party],
                     suppliers: Mapping[int, Party],
                     pairs: Mapping[tuple[int, int], Candidate]) -> None:
    busy: set[tuple[str, int, int]] = set()
    seen_pairs: set[tuple[int, int]] = set()
    per_party: dict[tuple[str, int], int] = {}
    per_slot: dict[int, int] = {}
    for lock in problem.locked:
        pair = (lock.buyer, lock.supplier)
        where = f"locked meeting buyer {lock.buyer} - supplier {lock.supplier} in slot {lock.slot}"
        if pair not in pairs:
            raise ValueError(f"{where}: the pair is not a candidate (add it, score 0 is fine)")
        if not _is_int(lock.slot) or not 0 <= lock.slot < problem.slot_count:
            raise ValueError(f"{where}: slot is outside 0..{problem.slot_count - 1}")
        if lock.slot not in buyers[lock.buyer].slots:
            raise ValueError(f"{where}: the buyer is not available in that slot")
        if lock.slot not in suppliers[lock.supplier].slots:
            raise ValueError(f"{where}: the supplier is not available in that slot")
        if pair in seen_pairs:
            raise ValueError(f"{where}: the pair is locked twice; a pair meets at most once")
        seen_pairs.add(pair)
        for key in (("buyer", lock.buyer, lock.slot), ("supplier", lock.supplier, lock.slot)):
            if key in busy:
                raise ValueError(f"{where}: the {key[0]} already has a locked meeting then")
            busy.add(key)
        for side, party in (("buyer", buyers[lock.buyer]), ("supplier", suppliers[lock.supplier])):
            count = per_party.get((side, party.id), 0) + 1
            if count > party.max_meetings:
                raise ValueError(f"{where}: more locked meetings than the {side}'s max_meetings")
            per_party[(side, party.id)] = count
        per_slot[lock.slot] = per_slot.get(lock.slot, 0) + 1
        if problem.capacity is not None and per_slot[lock.slot] > problem.capacity:
            raise ValueError(f"{where}: more locked meetings in the slot than its capacity")


def validate(problem: Problem) -> None:
    """Raise ValueError naming the first thing wrong with `problem`, or return None."""
    if not _is_int(problem.slot_count) or not 0 <= problem.slot_count <= MAX_SLOTS:
        raise ValueError(f"slot_count must be an integer in 0..{MAX_SLOTS}, "
                         f"got {problem.slot_count!r}")
    if problem.capacity is not None and (not _is_int(problem.capacity) or problem.capacity < 0):
        raise ValueError(f"capacity must be None or an integer >= 0, got {problem.capacity!r}")
    buyers = _validate_parties("buyer", problem.buyers, problem.slot_count)
    suppliers = _validate_parties("supplier", problem.suppliers, problem.slot_count)
    pairs = _validate_candidates(problem.candidates, buyers, suppliers)
    _validate_locked(problem, buyers, suppliers, pairs)


def mask_of(slots: frozenset[int]) -> int:
    mask = 0
    for slot in slots:
        mask |= 1 << slot
    return mask


class Compiled:
    """Dense, id-sorted view of a validated problem. Sorting by id (never by hash order)
    makes every later step independent of the order the caller listed things in."""

    def __init__(self, problem: Problem) -> None:
        buyers = sorted(problem.buyers, key=lambda p: p.id)
        suppliers = sorted(problem.suppliers, key=lambda p: p.id)
        self.slot_count = problem.slot_count
        self.capacity = problem.capacity
        self.buyer_ids = [p.id for p in buyers]
        self.supplier_ids = [p.id for p in suppliers]
        b_index = {pid: i for i, pid in enumerate(self.buyer_ids)}
        s_index = {pid: i for i, pid in enumerate(self.supplier_ids)}
        self.b_avail = [mask_of(p.slots) for p in buyers]
        self.s_avail = [mask_of(p.slots) for p in suppliers]
        self.b_max = [p.max_meetings for p in buyers]
        self.s_max = [p.max_meetings for p in suppliers]
        cands = sorted(problem.candidates, key=lambda c: (c.buyer, c.supplier))
        self.candidates = cands
        self.c_buyer = [b_index[c.buyer] for c in cands]
        self.c_supplier = [s_index[c.supplier] for c in cands]
        self.c_score = [c.score for c in cands]
        self.c_priority = [c.priority for c in cands]
        self.c_common = [self.b_avail[b] & self.s_avail[s]
                         for b, s in zip(self.c_buyer, self.c_supplier, strict=True)]
        self.pair_index = {(c.buyer, c.supplier): i for i, c in enumerate(cands)}
        self.locked = sorted(
            (self.pair_index[(lock.buyer, lock.supplier)], lock.slot) for lock in problem.locked
        )
        self.c_weight = self._weights()

    def _weights(self) -> list[int]:
        """score + W1*[priority 1] + W2*[priority 2], with W1 above any total of scores and W2
        above any total of W1 weights: every placeable must-meet beats every accepted request,
        which beats any amount of score (the order the organizer asked for)."""
        slots = self.slot_count
        most = min(
            sum(min(m, slots) for m in self.b_max),
            sum(min(m, slots) for m in self.s_max),
            len(self.c_score),
            self.capacity * slots if self.capacity is not None else len(self.c_score),
        )
        top = max(self.c_score, default=0)
        w1 = most * top + 1
        w2 = (most + 1) * w1
        steps = (0, w1, w2)
        return [s + steps[p] for s, p in zip(self.c_score, self.c_priority, strict=True)]

    @property
    def buyer_count(self) -> int:
        return len(self.buyer_ids)

    @property
    def supplier_count(self) -> int:
        return len(self.supplier_ids)
