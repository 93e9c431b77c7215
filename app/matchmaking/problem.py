"""The scheduler's problem built from a session's registrations: pure CPU work.

``compute`` scores the plausible pairs and runs the solver. It needs no database and imports
little, so a job runs it in a worker process (app/matchmaking/solver.py) as well as in a
thread, and tests call it directly.

Which pairs are scored: a buyer who asked for particular products is scored against the
suppliers that sell any of them (by category, HS chapter, named product or species) and
those it has a request or must-meet with; a buyer who asked for nothing in particular,
against every supplier. That keeps a 2,000 × 4,000 session from scoring eight million pairs
of which almost all are irrelevant (scoring finds them irrelevant anyway).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from app.matchmaking.scheduler import Candidate, Party, Placement, Problem, Schedule, solve
from app.matchmaking.scoring import BuyerNeeds, Interest, SupplierOffer, score
from app.matchmaking.slots import Slot

Pair = tuple[int, int]
# Share of the progress bar spent scoring pairs before the solver reports its own phases.
SCORING_SHARE = 0.1


@dataclass
class Inputs:
    """Everything the problem is built from, as plain data (safe to hand to a thread)."""

    slots: list[Slot]
    capacity: int | None
    buyers: list[Party]
    suppliers: list[Party]
    needs: dict[int, BuyerNeeds]
    offers: dict[int, SupplierOffer]
    interests: dict[Pair, Interest]
    locked: list[Placement]


@dataclass
class Scored:
    value: int
    reasons: list[dict[str, Any]]
    priority: int


@dataclass
class Built:
    problem: Problem
    scores: dict[Pair, Scored] = field(default_factory=dict)


def candidate_pairs(
    needs: dict[int, BuyerNeeds], offers: dict[int, SupplierOffer], also: Iterable[Pair]
) -> list[Pair]:
    """The pairs worth scoring (see the module docstring), sorted."""
    by_category: dict[str, set[int]] = defaultdict(set)
    by_chapter: dict[str, set[int]] = defaultdict(set)
    by_product: dict[int, int] = {}
    by_species: dict[str, set[int]] = defaultdict(set)
    for supplier_id, offer in offers.items():
        for category in offer.categories | {i.category for i in offer.items}:
            by_category[category].add(supplier_id)
        for code in offer.hs_codes | {i.hs_code for i in offer.items}:
            by_chapter[code[:2]].add(supplier_id)
        for item in offer.items:
            by_product[item.product_id] = supplier_id
        for name in offer.species | {s for i in offer.items for s in i.species}:
            by_species[name].add(supplier_id)
    every = set(offers)
    pairs: set[Pair] = set()
    for buyer_id, want in needs.items():
        if not want.asks_for_products:
            pairs.update((buyer_id, s) for s in every)
            continue
        found: set[int] = set()
        for category in want.categories:
            found |= by_category.get(category, set())
        for prefix in want.hs_prefixes:
            found |= by_chapter.get(prefix[:2], set())
        for product_id in want.product_ids:
            if product_id in by_product:
                found.add(by_product[product_id])
        for name in want.species:
            found |= by_species.get(name, set())
        pairs.update((buyer_id, s) for s in found)
    pairs.update(p for p in also if p[0] in needs and p[1] in offers)
    return sorted(pairs)


def build_problem(inputs: Inputs) -> Built:
    """Score the plausible pairs and build the problem (pure; runs off the event loop)."""
    locked_pairs = {(p.buyer, p.supplier) for p in inputs.locked}
    built = Built(Problem(inputs.buyers, inputs.suppliers, len(inputs.slots), [],
                          inputs.capacity, inputs.locked))
    candidates: list[Candidate] = []
    for pair in candidate_pairs(inputs.needs, inputs.offers,
                                [*inputs.interests, *locked_pairs]):
        result = score(inputs.needs[pair[0]], inputs.offers[pair[1]], inputs.interests.get(pair))
        if result.is_candidate or pair in locked_pairs:
            built.scores[pair] = Scored(result.value, list(result.reasons), result.priority)
            candidates.append(Candidate(pair[0], pair[1], result.value, result.priority))
    built.problem = Problem(inputs.buyers, inputs.suppliers, len(inputs.slots), candidates,
                            inputs.capacity, inputs.locked)
    return built


def compute(inputs: Inputs, progress: Callable[[str, float], None], polish_seconds: float
            ) -> tuple[Built, Schedule]:
    """Score the pairs, then solve; ``progress(phase, fraction)`` runs along."""
    progress("scoring", 0.0)
    built = build_problem(inputs)
    progress("scoring", SCORING_SHARE)

    def solver_progress(phase: str, fraction: float) -> None:
        progress(phase, SCORING_SHARE + (1 - SCORING_SHARE) * fraction)

    return built, solve(built.problem, progress=solver_progress, polish_seconds=polish_seconds)
