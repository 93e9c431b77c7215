"""The slot grid being filled: who is busy when, budgets left, meetings per slot.

Slot sets are int bit masks (bit t = slot t); `b_at`/`s_at` are flat `party * T + slot` tables
of the candidate index meeting there (-1 free), which the Kempe chains walk.
"""

from __future__ import annotations

from app.matchmaking.scheduling.model import Compiled


class Board:
    def __init__(self, model: Compiled) -> None:
        self.m = model
        slots = model.slot_count
        self.T = slots
        self.all_mask = (1 << slots) - 1
        self.b_busy = [0] * model.buyer_count
        self.s_busy = [0] * model.supplier_count
        self.b_left = list(model.b_max)
        self.s_left = list(model.s_max)
        self.b_at = [-1] * (model.buyer_count * slots)
        self.s_at = [-1] * (model.supplier_count * slots)
        self.slot_used = [0] * slots
        self.slot_of = [-1] * len(model.candidates)
        self.is_locked = [False] * len(model.candidates)
        self.open_mask = self.all_mask if model.capacity != 0 else 0
        for cand, slot in model.locked:
            self.place(cand, slot)
            self.is_locked[cand] = True

    # -- primitive moves (callers keep the board feasible) ---------------------------------

    def place(self, cand: int, slot: int) -> None:
        m = self.m
        b, s = m.c_buyer[cand], m.c_supplier[cand]
        bit = 1 << slot
        self.b_busy[b] |= bit
        self.s_busy[s] |= bit
        self.b_left[b] -= 1
        self.s_left[s] -= 1
        self.b_at[b * self.T + slot] = cand
        self.s_at[s * self.T + slot] = cand
        self.slot_used[slot] += 1
        self.slot_of[cand] = slot
        if m.capacity is not None and self.slot_used[slot] >= m.capacity:
            self.open_mask &= ~bit

    def remove(self, cand: int) -> None:
        m = self.m
        slot = self.slot_of[cand]
        b, s = m.c_buyer[cand], m.c_supplier[cand]
        bit = 1 << slot
        self.b_busy[b] &= ~bit
        self.s_busy[s] &= ~bit
        self.b_left[b] += 1
        self.s_left[s] += 1
        self.b_at[b * self.T + slot] = -1
        self.s_at[s * self.T + slot] = -1
        self.slot_used[slot] -= 1
        self.slot_of[cand] = -1
        if m.capacity is None or self.slot_used[slot] < m.capacity:
            self.open_mask |= bit

    # -- queries -----------------------------------------------------------------------------

    def free_slots(self, cand: int) -> int:
        """Slots where `cand` fits as is: both available and free, budgets left, slot open."""
        m = self.m
        b, s = m.c_buyer[cand], m.c_supplier[cand]
        if self.slot_of[cand] >= 0 or self.b_left[b] <= 0 or self.s_left[s] <= 0:
            return 0
        return m.c_common[cand] & ~self.b_busy[b] & ~self.s_busy[s] & self.open_mask

    def buyer_room(self, b: int) -> int:
        """How many more meetings buyer `b` could take: budget and free open slots."""
        free = self.m.b_avail[b] & ~self.b_busy[b] & self.open_mask
        return max(0, min(self.b_left[b], free.bit_count()))

    def supplier_room(self, s: int) -> int:
        free = self.m.s_avail[s] & ~self.s_busy[s] & self.open_mask
        return max(0, min(self.s_left[s], free.bit_count()))

    def open_room(self) -> int:
        """Meetings the slots can still take in total (a large number when unlimited)."""
        cap = self.m.capacity
        if cap is None:
            return sum(self.m.b_max) + 1
        return sum(max(0, cap - used) for used in self.slot_used)

    def placed(self) -> list[int]:
        return [c for c, slot in enumerate(self.slot_of) if slot >= 0]

    def over_capacity(self, slots: tuple[int, ...]) -> bool:
        cap = self.m.capacity
        return cap is not None and any(self.slot_used[t] > cap for t in slots)
