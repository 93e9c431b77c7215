"""Read models of offers and messages, and the field-by-field diff of a counter-offer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.catalog.schemas import format_quantity
from app.kit.money import round_money
from app.models import Attachment, Message, Offer, OfferLine
from app.negotiations.schemas import (
    AttachmentRead,
    FieldChange,
    MessageRead,
    OfferLineRead,
    OfferRead,
)


def effective_status(offer: Offer, now: datetime) -> str:
    """An open offer past its valid_until is expired, whether or not that is stored yet."""
    if offer.status == "proposed" and offer.valid_until <= now:
        return "expired"
    return offer.status


def money(amount: Decimal, currency: str) -> str:
    return format(round_money(amount, currency), "f")


def offer_read(
    offer: Offer, lines: list[OfferLine], now: datetime, *,
    order_id: int | None = None, changes: list[FieldChange] | None = None,
) -> OfferRead:
    return OfferRead(
        id=offer.id,
        negotiation_id=offer.negotiation_id,
        status=effective_status(offer, now),
        proposed_by_org_id=offer.proposed_by_org_id,
        proposed_by_user_id=offer.proposed_by_user_id,
        answers_offer_id=offer.answers_offer_id,
        currency=offer.currency,
        incoterm=offer.incoterm,
        named_place=offer.named_place,
        shipment_date=offer.shipment_date,
        deposit_percent=offer.deposit_percent,
        balance_terms=offer.balance_terms,
        valid_until=offer.valid_until,
        notes=offer.notes,
        lines=[
            OfferLineRead(
                position=line.position,
                product_id=line.product_id,
                description=line.description,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                line_total=money(line.line_total, offer.currency),
            )
            for line in lines
        ],
        total=money(offer.total, offer.currency),
        created_at=offer.created_at,
        decided_at=offer.decided_at,
        changes=changes,
        order_id=order_id,
    )


def attachment_url(attachment: Attachment, *, thumbnail: bool = False) -> str:
    return (f"/api/v1/negotiations/{attachment.negotiation_id}/attachments/{attachment.id}"
            + ("/thumbnail" if thumbnail else ""))


def attachment_read(attachment: Attachment) -> AttachmentRead:
    return AttachmentRead(
        id=attachment.id,
        name=attachment.file_name,
        kind="image" if attachment.kind == "image" else "pdf",
        content_type=attachment.content_type,
        size_bytes=attachment.size_bytes,
        sha256=attachment.sha256,
        url=attachment_url(attachment),
        thumbnail_url=(attachment_url(attachment, thumbnail=True)
                       if attachment.thumbnail_key else None),
        width=attachment.width,
        height=attachment.height,
    )


def message_read(message: Message, attachments: Sequence[Attachment] = ()) -> MessageRead:
    return MessageRead(
        id=message.id,
        negotiation_id=message.negotiation_id,
        seq=message.seq,
        kind=message.kind,
        sender_user_id=message.sender_user_id,
        sender_org_id=message.sender_org_id,
        body=message.body,
        data=message.data,
        offer_id=message.offer_id,
        client_msg_id=message.client_msg_id,
        created_at=message.created_at,
        attachments=[attachment_read(a) for a in attachments],
    )


_TERMS = (
    "currency", "incoterm", "named_place", "shipment_date", "deposit_percent",
    "balance_terms", "valid_until", "notes", "total",
)
_LINE_FIELDS = ("product_id", "description", "quantity", "unit", "unit_price", "line_total")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format_quantity(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def diff(before: OfferRead, after: OfferRead) -> list[FieldChange]:
    """What a counter-offer changed: terms by name, lines by position (``lines.0.quantity``).

    Values are compared as numbers where they are numbers, so "6.80" and "6.8" are equal.
    """
    changes: list[FieldChange] = []
    old, new = before.model_dump(), after.model_dump()

    def compare(name: str, a: Any, b: Any) -> None:
        left, right = _plain(_number(a)), _plain(_number(b))
        if left != right:
            changes.append(FieldChange(field=name, before=left, after=right))

    for name in _TERMS:
        compare(name, old[name], new[name])
    for index in range(max(len(before.lines), len(after.lines))):
        a = old["lines"][index] if index < len(before.lines) else None
        b = new["lines"][index] if index < len(after.lines) else None
        if a is None or b is None:
            changes.append(FieldChange(field=f"lines.{index}", before=a and _line(a),
                                       after=b and _line(b)))
            continue
        for name in _LINE_FIELDS:
            compare(f"lines.{index}.{name}", a[name], b[name])
    return changes


def _number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


def _line(line: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(_number(line[k])) for k in _LINE_FIELDS}

