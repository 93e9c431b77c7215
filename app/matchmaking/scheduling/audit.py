"""An independent feasibility check of a schedule against its problem.

Written straight from the rules, sharing no code with the solver, so that tests and the
benchmark can trust a `[]` from it.
"""

from __future__ import annotations

from collections import Counter

from app.matchmaking.scheduling.model import Problem, Schedule


def violations(problem: Problem, schedule: Schedule) -> list[str]:
    buyers = {p.id: p for p in problem.buyers}
    suppliers = {p.id: p for p in problem.suppliers}
    scores = {(c.buyer, c.supplier): c.score for c in problem.candidates}
    out: list[str] = []
    pairs: Counter[tuple[int, int]] = Counter()
    buyer_slot: Counter[tuple[int, int]] = Counter()
    supplier_slot: Counter[tuple[int, int]] = Counter()
    per_buyer: Counter[int] = Counter()
    per_supplier: Counter[int] = Counter()
    per_slot: Counter[int] = Counter()
    objective = 0
    for meet in schedule.meetings:
        pair = (meet.buyer, meet.supplier)
        what = f"meeting buyer {meet.buyer} - supplier {meet.supplier} in slot {meet.slot}"
        if pair not in scores:
            out.append(f"{what}: not a candidate pair")
        else:
            objective += scores[pair]
        if not 0 <= meet.slot < problem.slot_count:
            out.append(f"{what}: slot out of range")
        buyer = buyers.get(meet.buyer)
        supplier = suppliers.get(meet.supplier)
        if buyer is None or meet.slot not in buyer.slots:
            out.append(f"{what}: buyer not available")
        if supplier is None or meet.slot not in supplier.slots:
            out.append(f"{what}: supplier not available")
        pairs[pair] += 1
        buyer_slot[(meet.buyer, meet.slot)] += 1
        supplier_slot[(meet.supplier, meet.slot)] += 1
        per_buyer[meet.buyer] += 1
        per_supplier[meet.supplier] += 1
        per_slot[meet.slot] += 1
    out += [f"pair {pair} meets {n} times" for pair, n in sorted(pairs.items()) if n > 1]
    out += [f"buyer {b} has {n} meetings in slot {t}"
            for (b, t), n in sorted(buyer_slot.items()) if n > 1]
    out += [f"supplier {s} has {n} meetings in slot {t}"
            for (s, t), n in sorted(supplier_slot.items()) if n > 1]
    out += [f"buyer {b} has {n} meetings, max {buyers[b].max_meetings}"
            for b, n in sorted(per_buyer.items()) if b in buyers and n > buyers[b].max_meetings]
    out += [f"supplier {s} has {n} meetings, max {suppliers[s].max_meetings}"
            for s, n in sorted(per_supplier.items())
            if s in suppliers and n > suppliers[s].max_meetings]
    if problem.capacity is not None:
        out += [f"slot {t} has {n} meetings, capacity {problem.capacity}"
                for t, n in sorted(per_slot.items()) if n > problem.capacity]
    kept = {(p.buyer, p.supplier, p.slot) for p in schedule.meetings}
    out += [f"locked meeting buyer {p.buyer} - supplier {p.supplier} in slot {p.slot} was moved"
            for p in problem.locked if (p.buyer, p.supplier, p.slot) not in kept]
    if objective != schedule.objective:
        out.append(f"objective {schedule.objective} != sum of scores {objective}")
    if list(schedule.meetings) != sorted(schedule.meetings,
                                         key=lambda p: (p.slot, p.buyer, p.supplier)):
        out.append("meetings are not sorted by (slot, buyer, supplier)")
    return out
