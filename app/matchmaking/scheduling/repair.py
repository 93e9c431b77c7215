"""After the flow rounds: trade weak meetings for better leftovers, then fill what is free.

`exchange` places an unplaced candidate at a slot by evicting at most the meetings in its way
(the parties' meetings in that slot, or their weakest meeting when a budget is spent) when it
gains weight, then tries to put the evicted meetings back elsewhere; `Trader` does the same
when the party an evicted meeting leaves free can take another candidate instead (one meeting
out, two in). `sweep` fills free room
best-first; its last, direct-only pass is what guarantees that no unplaced candidate (a must-meet
or accepted request in particular) still has a slot where both parties are free, available,
under their max meetings and the slot under capacity.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.matchmaking.scheduling.board import Board
from app.matchmaking.scheduling.slots import Placer, bits, lowest


def _lightest(board: Board, row: tuple[int, ...]) -> int:
    """The lightest movable meeting in a party's row of slots, or -1."""
    weight, locked = board.m.c_weight, board.is_locked
    best = -1
    for e in row:
        if e >= 0 and not locked[e] and (best < 0 or (weight[e], e) < (weight[best], best)):
            best = e
    return best


def _options(board: Board, cand: int) -> list[tuple[int, int, list[int]]]:
    """(weight gained, slot, meetings to evict) for each slot `cand` could take by evicting the
    meetings in its way: the parties' meetings in that slot, or a party's lightest meeting when
    its budget is spent. Slots blocked by a lock or a table-full slot are left out."""
    m, slots = board.m, board.T
    weight, locked, cap = m.c_weight, board.is_locked, m.capacity
    b, s = m.c_buyer[cand], m.c_supplier[cand]
    b_row = tuple(board.b_at[b * slots:(b + 1) * slots])
    s_row = tuple(board.s_at[s * slots:(s + 1) * slots])
    b_spare = _lightest(board, b_row) if board.b_left[b] <= 0 else -1
    s_spare = _lightest(board, s_row) if board.s_left[s] <= 0 else -1
    if (board.b_left[b] <= 0 and b_spare < 0) or (board.s_left[s] <= 0 and s_spare < 0):
        return []
    options = []
    for t in bits(m.c_common[cand]):
        out = []
        for here, spare in ((b_row[t], b_spare), (s_row[t], s_spare)):
            if here >= 0:
                out.append(here)
            elif spare >= 0:
                out.append(spare)
        if any(locked[e] for e in out):
            continue
        if cap is not None and board.slot_used[t] >= cap and not any(
            board.slot_of[e] == t for e in out
        ):
            continue
        options.append((weight[cand] - sum(weight[e] for e in out), t, out))
    return options


def _best_exchange(board: Board, cand: int) -> tuple[int, int, list[int]] | None:
    best = None
    for option in _options(board, cand):
        if option[0] > 0 and (best is None or option[0] > best[0]):
            best = option
    return best


def exchange(board: Board, placer: Placer, cands: Sequence[int]) -> int:
    """One pass over unplaced `cands` (best first); returns the weight gained."""
    m, slots = board.m, board.T
    weight = m.c_weight
    gained = 0
    for cand in cands:
        if board.slot_of[cand] >= 0:
            continue
        # Cheap necessary condition first (it rules out most candidates): a party whose
        # budget is spent gives up at least its lightest movable meeting, and either party
        # gives up something unless both are free in some common slot.
        b, s = m.c_buyer[cand], m.c_supplier[cand]
        b_light = _lightest(board, tuple(board.b_at[b * slots:(b + 1) * slots]))
        s_light = _lightest(board, tuple(board.s_at[s * slots:(s + 1) * slots]))
        floor = 0
        for light, left in ((b_light, board.b_left[b]), (s_light, board.s_left[s])):
            if left <= 0:
                if light < 0:
                    floor = -1
                    break
                floor += weight[light]
        if floor < 0 or weight[cand] <= floor:
            continue
        best = _best_exchange(board, cand)
        if best is None:
            continue
        gain, t, out = best
        for e in out:
            board.remove(e)
        board.place(cand, t)
        gained += gain
        for e in out:
            if placer.insert(e):
                gained += weight[e]
    return gained


def sweep(placer: Placer, cands: Sequence[int], *, chains: bool) -> int:
    """Insert every still-unplaced candidate of `cands` that fits; returns how many did."""
    board = placer.board
    return sum(1 for c in cands if board.slot_of[c] < 0 and placer.insert(c, chains=chains))


class Trader:
    """Trades one meeting for two: `cand` takes a slot by evicting the meetings in its way
    (which go elsewhere if they can), and the party each evicted meeting leaves free takes its
    best unplaced candidate that then fits as is. Kept only when the total weight rises; this
    finds what one-for-one exchanges miss ("A meets X instead of B; B now meets Y")."""

    # Candidates of a freed party looked at for the refill (they are sorted best first).
    REFILL_SCAN = 32

    def __init__(self, board: Board, placer: Placer) -> None:
        self.board = board
        self.placer = placer
        m = board.m
        order = sorted(range(len(m.candidates)), key=lambda c: (-m.c_weight[c], c))
        self.of_buyer: list[list[int]] = [[] for _ in range(m.buyer_count)]
        self.of_supplier: list[list[int]] = [[] for _ in range(m.supplier_count)]
        for c in order:
            if m.c_weight[c] > 0:
                self.of_buyer[m.c_buyer[c]].append(c)
                self.of_supplier[m.c_supplier[c]].append(c)
        self.trades = 0

    def run(self, cands: Sequence[int]) -> int:
        """One pass over unplaced `cands` (best first); returns the weight gained."""
        gained = 0
        for cand in cands:
            if self.board.slot_of[cand] < 0:
                gained += self._try(cand)
        return gained

    def _try(self, cand: int) -> int:
        board, placer = self.board, self.placer
        weight = board.m.c_weight
        for gain, t, out in sorted(_options(board, cand), key=lambda o: (-o[0], o[1])):
            # What each evicted meeting can bring back, judged before moving anything: itself
            # in another free slot, else the freed party's best candidate that would fit.
            plan = [self._comeback(cand, e, t) for e in out]
            if gain + sum(weight[c] for c in plan if c >= 0) <= 0:
                continue
            placer.begin()
            for e in out:
                placer.trial_remove(e)
            placer.trial_place(cand, t)
            for c in plan:
                free = board.free_slots(c) if c >= 0 else 0
                if free:
                    placer.trial_place(c, lowest(free))
                    gain += weight[c]
            if gain > 0:
                self.trades += 1
                return gain
            placer.rollback()
        return 0

    def _comeback(self, cand: int, evicted: int, t: int) -> int:
        """The evicted meeting itself if it has another free slot (not t), else the best
        unplaced candidate of the party it frees that would then fit as is; -1 if none.
        Inlined masks: this is the hot loop of the pass."""
        board = self.board
        m = board.m
        b, s, slot = m.c_buyer[evicted], m.c_supplier[evicted], board.slot_of[evicted]
        bit = 1 << slot
        if slot == t and m.c_common[evicted] & ~board.b_busy[b] & ~board.s_busy[s] \
                & board.open_mask & ~(1 << t):
            return evicted
        if b == m.c_buyer[cand]:
            cands, partner, left, busy = self.of_supplier[s], m.c_buyer, board.b_left, board.b_busy
            own = m.s_avail[s] & ~(board.s_busy[s] & ~bit)
        else:
            cands, partner, left, busy = self.of_buyer[b], m.c_supplier, board.s_left, board.s_busy
            own = m.b_avail[b] & ~(board.b_busy[b] & ~bit)
        own &= board.open_mask | bit
        slot_of, common = board.slot_of, m.c_common
        for c in cands[:self.REFILL_SCAN]:
            if (c != evicted and slot_of[c] < 0 and left[partner[c]] > 0
                    and common[c] & own & ~busy[partner[c]]):
                return c
        return -1
