"""Put chosen pairs into slots: directly, else by a Kempe-chain swap or an ejection chain.

A pair (b, s) that has no slot where both are free can often still be placed at a slot t where
one of them is busy: the busy side's meetings in t and in some slot t2 where it is free form an
alternating path (a Kempe chain: meetings alternately in t and t2). Swapping t and t2 along the
whole path frees the party at t and keeps every other party's schedule valid, provided everyone
on the path is available in both slots. This is the step of König's edge-colouring proof, with
availability, locks and table capacity checked. Failing that, an ejection chain moves the
(at most two) meetings in the way to other slots, recursively a few levels deep, and undoes
everything if any step fails.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable, Sequence

from app.matchmaking.scheduling.board import Board

# Longest chain walked (meetings). Chains are short in practice; the cap bounds the worst case.
CHAIN_LIMIT = 40
# Partner slots tried per chain start: keeps sessions of hundreds of slots linear-ish.
CHAIN_PARTNERS = 24
# Ejection chains: how many levels of "move the meeting in the way" and how many placement
# attempts one insertion may spend (bounds the time on hopeless pairs).
EJECT_DEPTH = 4
EJECT_BUDGET = 3000


def lowest(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


@functools.lru_cache(maxsize=1 << 17)
def bits(mask: int) -> tuple[int, ...]:
    """The slots in `mask`, ascending (cached: masks repeat constantly, 2**T of them at most)."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return tuple(out)


class Placer:
    """Places candidates on a board: directly, else by a Kempe-chain swap, else by an ejection
    chain (move the meetings in the way elsewhere, recursively, a few levels deep)."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self.flips = 0
        self.ejections = 0
        self._log: list[tuple[int, int]] = []
        self._calls = 0
        self._slot_need: list[float] = []

    def insert(self, cand: int, *, chains: bool = True, pick: Callable[[int], int] | None = None
               ) -> bool:
        """Place `cand` if it can be done without dropping any meeting; `pick` chooses among
        the free slots (default: the earliest)."""
        board = self.board
        free = board.free_slots(cand)
        if free:
            board.place(cand, pick(free) if pick is not None else lowest(free))
            return True
        if not chains:
            return False
        m = board.m
        b, s = m.c_buyer[cand], m.c_supplier[cand]
        # A party without a free, open, available slot cannot gain a meeting by moving others.
        if (board.slot_of[cand] >= 0 or not board.buyer_room(b)
                or not board.supplier_room(s)):
            return False
        if any(self._insert_by_chains(cand, t) for t in bits(m.c_common[cand])):
            return True
        self.begin()
        self._calls = 0
        if self._eject(cand, EJECT_DEPTH):
            self.ejections += 1
            return True
        return False

    def assign(self, chosen: Sequence[int]) -> int:
        """Place `chosen` (pairs a flow picked), most constrained first: the pair with the
        fewest free slots goes next (re-counted as its parties and the slots fill up), into the
        slot least needed by the other pending pairs of its parties and, when tables are
        limited, by all pending pairs. Returns how many were placed."""
        board = self.board
        m = board.m
        pending_of: dict[tuple[bool, int], list[int]] = {}
        for c in chosen:
            pending_of.setdefault((True, m.c_buyer[c]), []).append(c)
            pending_of.setdefault((False, m.c_supplier[c]), []).append(c)
        self._slot_need = [0.0] * board.T
        if m.capacity is not None:
            for c in chosen:
                self._add_need(c, 1.0)
        done: set[int] = set()
        key = {c: board.free_slots(c).bit_count() for c in chosen}
        heap = [(-m.c_priority[c], key[c], -m.c_weight[c], c) for c in chosen]
        heapq.heapify(heap)

        def rekey(cands: Sequence[int]) -> None:
            for o in cands:
                if o not in done:
                    count = board.free_slots(o).bit_count()
                    if count != key[o]:
                        key[o] = count
                        heapq.heappush(heap, (-m.c_priority[o], count, -m.c_weight[o], o))

        placed = 0
        while heap:
            _, count, _, c = heapq.heappop(heap)
            if c in done or key[c] != count:
                continue
            done.add(c)
            if m.capacity is not None:
                self._add_need(c, -1.0)
            neighbours = [o for o in (*pending_of[(True, m.c_buyer[c])],
                                      *pending_of[(False, m.c_supplier[c])]) if o not in done]
            was_open = board.open_mask
            pick = functools.partial(self._least_needed, neighbours=neighbours)
            if not self.insert(c, pick=pick):
                continue
            placed += 1
            rekey(neighbours if board.open_mask == was_open else chosen)
        return placed

    def _add_need(self, cand: int, sign: float) -> None:
        common = self.board.m.c_common[cand]
        share = sign / max(1, common.bit_count())
        for t in bits(common):
            self._slot_need[t] += share

    def _least_needed(self, free: int, *, neighbours: list[int]) -> int:
        """The slot of `free` that the pending pairs sharing a party need least, each pair
        counting 1 / (its number of free slots): a pair with one option left counts fully.
        With limited tables, a slot's places wanted by all pending pairs per place left count
        too."""
        board = self.board
        need = [0.0] * board.T
        for o in neighbours:
            options = board.free_slots(o)
            if options & free:
                share = 1.0 / options.bit_count()
                for t in bits(options & free):
                    need[t] += share
        cap = board.m.capacity
        if cap is not None:
            for t in bits(free):
                need[t] += self._slot_need[t] / max(1, cap - board.slot_used[t])
        return min(bits(free), key=lambda t: (need[t], t))

    # -- Kempe chains ------------------------------------------------------------------------

    def _path(self, buyer_side: bool, party: int, ta: int, tb: int) -> list[int] | None:
        """Meetings on the alternating ta/tb path that starts at `party`'s meeting in `ta`;
        None if a meeting on it is locked, cannot move, or the path is too long."""
        board = self.board
        m, slots = board.m, board.T
        both = (1 << ta) | (1 << tb)
        path: list[int] = []
        slot, other = ta, tb
        while True:
            at = board.b_at if buyer_side else board.s_at
            e = at[party * slots + slot]
            if e < 0:
                return path
            if board.is_locked[e] or m.c_common[e] & both != both or len(path) >= CHAIN_LIMIT:
                return None
            path.append(e)
            party = m.c_supplier[e] if buyer_side else m.c_buyer[e]
            buyer_side = not buyer_side
            slot, other = other, slot

    def _flip(self, path: list[int], ta: int, tb: int) -> None:
        board = self.board
        old = [board.slot_of[e] for e in path]
        for e in path:
            board.remove(e)
        for e, slot in zip(path, old, strict=True):
            board.place(e, tb if slot == ta else ta)

    def _free_party_at(self, buyer_side: bool, party: int, t: int) -> tuple[list[int], int] | None:
        """Flip one chain so that `party` is free at `t`; returns (path, other slot) to undo."""
        board = self.board
        m = board.m
        busy = board.b_busy[party] if buyer_side else board.s_busy[party]
        avail = m.b_avail[party] if buyer_side else m.s_avail[party]
        for t2 in bits(avail & ~busy)[:CHAIN_PARTNERS]:
            path = self._path(buyer_side, party, t, t2)
            if path:
                self._flip(path, t, t2)
                return path, t2
        return None

    def _insert_by_chains(self, cand: int, t: int) -> bool:
        board = self.board
        m = board.m
        b, s = m.c_buyer[cand], m.c_supplier[cand]
        bit = 1 << t
        done: list[tuple[list[int], int]] = []
        for buyer_side, party in ((False, s), (True, b)):
            busy = board.b_busy[party] if buyer_side else board.s_busy[party]
            if busy & bit:
                flipped = self._free_party_at(buyer_side, party, t)
                if flipped is None:
                    self._undo(done, t)
                    return False
                done.append(flipped)
        if (board.b_busy[b] | board.s_busy[s]) & bit:
            self._undo(done, t)
            return False
        board.place(cand, t)
        touched = (t, *(t2 for _, t2 in done))
        if board.over_capacity(touched):
            board.remove(cand)
            self._undo(done, t)
            return False
        self.flips += len(done)
        return True

    def _undo(self, done: list[tuple[list[int], int]], t: int) -> None:
        for path, t2 in reversed(done):
            self._flip(path, t, t2)

    # -- ejection chains ---------------------------------------------------------------------

    def _eject(self, cand: int, depth: int) -> bool:
        """Place `cand` at a slot after moving the (at most two) meetings in its way, each of
        which is placed the same way one level down; undone entirely if any step fails."""
        board = self.board
        m, slots = board.m, board.T
        self._calls += 1
        free = board.free_slots(cand)
        if free:
            self.trial_place(cand, lowest(free))
            return True
        b, s = m.c_buyer[cand], m.c_supplier[cand]
        if depth == 0 or self._calls > EJECT_BUDGET or board.b_left[b] <= 0 or board.s_left[s] <= 0:
            return False
        options = []
        for t in bits(m.c_common[cand]):
            blockers = [e for e in (board.b_at[b * slots + t], board.s_at[s * slots + t]) if e >= 0]
            if any(board.is_locked[e] for e in blockers):
                continue
            if m.capacity is not None and board.slot_used[t] - len(blockers) >= m.capacity:
                continue
            options.append((len(blockers), t, blockers))
        options.sort()
        for _, t, blockers in options:
            mark = len(self._log)
            for e in blockers:
                self.trial_remove(e)
            self.trial_place(cand, t)
            if all(self._eject(e, depth - 1) for e in blockers):
                return True
            self.rollback(mark)
        return False

    # -- tentative moves (ejection chains and trades are undone unless they work) -----------

    def begin(self) -> None:
        """Start recording tentative moves (forgets earlier ones: they are kept)."""
        self._log.clear()

    def trial_place(self, cand: int, slot: int) -> None:
        self.board.place(cand, slot)
        self._log.append((cand, -1))

    def trial_remove(self, cand: int) -> None:
        self._log.append((cand, self.board.slot_of[cand]))
        self.board.remove(cand)

    def rollback(self, mark: int = 0) -> None:
        """Undo the tentative moves recorded after `mark`, newest first."""
        while len(self._log) > mark:
            cand, slot = self._log.pop()
            if slot < 0:
                self.board.remove(cand)
            else:
                self.board.place(cand, slot)
