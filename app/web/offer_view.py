"""An offer's words in the viewer's language: statuses, thread notes, and a counter's diff.

The diff (app/negotiations/views.py) names fields (``lines.0.unit_price``) and gives plain
values (decimal strings, ISO times); here each row gets a translated label and values
formatted like the offer card shows them, so "what changed" reads the same as the terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.negotiations.schemas import FieldChange, OfferRead
from app.web.exhibition_view import Formats
from app.web.messages import N_

STATUS_LABELS = {
    "proposed": N_("Open"),
    "accepted": N_("Accepted"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
    "countered": N_("Countered"),
    "expired": N_("Expired"),
}
# System and offer messages carry a key (data.key), shown in each reader's language.
THREAD_NOTES = {
    "offer.proposed": N_("%(party)s proposed offer #%(offer)s."),
    "offer.countered": N_("%(party)s countered with offer #%(offer)s."),
    "offer.accepted": N_("%(party)s accepted offer #%(offer)s: the order is created."),
    "offer.rejected": N_("%(party)s rejected offer #%(offer)s."),
    "offer.withdrawn": N_("%(party)s withdrew offer #%(offer)s."),
    "offer.expired": N_("Offer #%(offer)s expired."),
}
FIELD_LABELS = {
    "currency": N_("Currency"),
    "incoterm": N_("Incoterm"),
    "named_place": N_("Named place"),
    "shipment_date": N_("Shipment date"),
    "deposit_percent": N_("Deposit"),
    "balance_terms": N_("Balance terms"),
    "valid_until": N_("Valid until"),
    "notes": N_("Notes"),
    "total": N_("Total"),
    "product_id": N_("Product"),
    "description": N_("Goods"),
    "quantity": N_("Quantity"),
    "unit": N_("Unit"),
    "unit_price": N_("Unit price"),
    "line_total": N_("Line total"),
}
LINE_LABEL = N_("Line %(n)s")
NO_LINE = N_("(none)")


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str


class OfferWords:
    """``w`` in the negotiation templates: one viewer's translations and formats."""

    def __init__(self, x: Formats, gettext: Any, fmt_time: Any) -> None:
        self.x = x
        self._ = gettext
        self.fmt_time = fmt_time

    def status(self, status: str) -> str:
        return str(self._(STATUS_LABELS.get(status, status)))

    def note(self, data: dict[str, Any], party: str) -> str:
        key = str(data.get("key", ""))
        template = THREAD_NOTES.get(key)
        if template is None:
            return key
        return str(self._(template, party=party, offer=data.get("offer_id", "")))

    def changes(self, changes: list[FieldChange], after: OfferRead) -> list[ChangeRow]:
        return [self._row(c, after) for c in changes]

    def _row(self, change: FieldChange, after: OfferRead) -> ChangeRow:
        parts = change.field.split(".")
        if parts[0] == "lines":
            line = str(self._(LINE_LABEL, n=int(parts[1]) + 1))
            if len(parts) == 2:  # a line added or removed
                return ChangeRow(line, self._line(change.before, after),
                                 self._line(change.after, after))
            name = parts[2]
            label = f"{line} · {self._(FIELD_LABELS.get(name, name))}"
        else:
            name = parts[0]
            label = str(self._(FIELD_LABELS.get(name, name)))
        return ChangeRow(label, self.value(name, change.before, after),
                         self.value(name, change.after, after))

    def _line(self, line: dict[str, Any] | None, offer: OfferRead) -> str:
        if not line:
            return str(self._(NO_LINE))
        return (f"{line.get('description', '')} · "
                f"{self.x.amount(line.get('quantity'), str(line.get('unit', '')))} × "
                f"{self.x.money(line.get('unit_price'), offer.currency)}")

    def value(self, name: str, value: Any, offer: OfferRead) -> str:
        """One term's value as the offer card shows it."""
        if value is None or value == "":
            return "—"
        if name in ("unit_price", "line_total", "total"):
            return self.x.money(str(value), offer.currency)
        if name == "quantity":
            return self.x.quantity(str(value))
        if name == "unit":
            return self.x.unit(str(value))
        if name == "deposit_percent":
            return f"{self.x.quantity(str(value))}%"
        if name == "incoterm":
            return str(value)
        if name == "valid_until":
            return str(self.fmt_time(datetime.fromisoformat(str(value))))
        if name == "shipment_date":
            return self.x.day(date.fromisoformat(str(value)))
        return str(value)
