"""The order lifecycle: which step follows which, and which party may take it.

``confirmed → deposit_paid → in_production → shipped → delivered → completed``; an order
without a deposit goes from ``confirmed`` straight to ``in_production``; ``cancelled`` from
the early states, before production starts.

The supplier confirms the money it received and moves the goods; the buyer confirms what
arrived. Either party may cancel while nothing has been produced.
"""

from __future__ import annotations

from typing import Literal

Party = Literal["buyer", "supplier", "either"]

STEPS: dict[tuple[str, str], Party] = {
    ("confirmed", "deposit_paid"): "supplier",
    ("confirmed", "in_production"): "supplier",  # only when the terms ask no deposit
    ("deposit_paid", "in_production"): "supplier",
    ("in_production", "shipped"): "supplier",
    ("shipped", "delivered"): "buyer",
    ("delivered", "completed"): "buyer",
    ("confirmed", "cancelled"): "either",
    ("deposit_paid", "cancelled"): "either",
}

FINAL = frozenset({"completed", "cancelled"})


def next_steps(status: str, *, deposit_due: bool) -> list[str]:
    """The statuses an order in ``status`` may move to."""
    return [
        to for (frm, to) in STEPS
        if frm == status and not (frm == "confirmed" and to == "in_production" and deposit_due)
        and not (frm == "confirmed" and to == "deposit_paid" and not deposit_due)
    ]


def party_for(status: str, to: str) -> Party | None:
    return STEPS.get((status, to))
