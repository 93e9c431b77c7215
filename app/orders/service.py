"""Rules for orders.

An order exists only by accepting an offer (``create_from_offer``, called in the accept's
transaction) and copies its terms. Only the buyer's and the supplier's members see it (404
``order_not_found`` for anyone else). Each step has one allowed party (``app.orders.states``):

- a step that does not follow from the current status → 409 ``illegal_transition``
  (``details.next_steps`` lists the legal ones), checked first;
- a legal step taken by the other party → 403 ``not_your_step``;
- a step naming an old ``version`` → 409 ``version_conflict`` (reload, then decide again).

Every change writes an audit entry and a durable event on ``negotiation:{id}``. An order
keeps the supplier's bank details of the moment it was made (``app.banking.service``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.banking import service as banking
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.kit.money import round_money, split
from app.kit.pagination import decode_cursor, encode_cursor
from app.models import Offer, OfferLine, Order, OrderLine, PaymentMilestone
from app.models.base import utcnow
from app.negotiations.notify import notify_side
from app.orders import repository, states
from app.orders.schemas import (
    MilestoneRead,
    OrderLineRead,
    OrderRead,
    PaymentCreate,
    TransitionCreate,
)
from app.orders.shipping import normalize_container_number
from app.realtime.topics import emit


class OrderNotFound(NotFound):
    code = "order_not_found"
    message = "No such order."


class IllegalTransition(Conflict):
    code = "illegal_transition"
    message = "The order cannot take this step from its current status."


class NotYourStep(PermissionDenied):
    code = "not_your_step"
    message = "This step is the other party's to take."


class VersionConflict(Conflict):
    code = "version_conflict"
    message = "The order changed since you loaded it. Reload it and try again."


class ShippingDetailsRequired(InvalidInput):
    code = "shipping_details_required"
    message = "Shipping needs the container number, the B/L number, the ETD and the ETA."


class InvalidContainerNumber(InvalidInput):
    code = "invalid_container_number"
    message = (
        "The container number is not a valid ISO 6346 number (4 letters, 7 digits, the "
        "last one a check digit). Copy it again from the booking."
    )


class PaymentReferenceRequired(InvalidInput):
    code = "payment_reference_required"
    message = "Give the payment's reference (and date) to confirm the deposit."


class MilestoneNotFound(NotFound):
    code = "milestone_not_found"
    message = "This order has no such payment milestone."


class MilestoneAlreadyPaid(Conflict):
    code = "milestone_already_paid"
    message = "This payment is already recorded."


class EtaBeforeEtd(InvalidInput):
    code = "eta_before_etd"
    message = "The ETA cannot be before the ETD."


def _org(principal: Principal) -> int:
    if principal.organization_id is None:
        raise OrderNotFound()
    return principal.organization_id


async def visible(session: AsyncSession, principal: Principal, order_id: int) -> Order:
    order = await repository.get(session, order_id)
    org = principal.organization_id
    if order is None or org not in (order.buyer_id, order.supplier_id):
        raise OrderNotFound()
    return order


def _money(amount: Decimal, currency: str) -> str:
    return format(round_money(amount, currency), "f")


async def read(session: AsyncSession, principal: Principal, order: Order) -> OrderRead:
    lines = await repository.lines_of(session, order.id)
    milestones = await repository.milestones_of(session, order.id)
    deposit_due = any(m.kind == "deposit" for m in milestones)
    bank_details, bank_details_warning = await banking.for_order(session, order)
    return OrderRead(
        id=order.id, offer_id=order.offer_id, negotiation_id=order.negotiation_id,
        buyer_id=order.buyer_id, supplier_id=order.supplier_id,
        your_side="buyer" if principal.organization_id == order.buyer_id else "supplier",
        status=order.status, version=order.version,
        next_steps=states.next_steps(order.status, deposit_due=deposit_due),
        currency=order.currency, incoterm=order.incoterm, named_place=order.named_place,
        shipment_date=order.shipment_date, deposit_percent=order.deposit_percent,
        balance_terms=order.balance_terms, notes=order.notes,
        total=_money(order.total, order.currency),
        lines=[
            OrderLineRead(
                position=line.position, product_id=line.product_id,
                description=line.description, quantity=line.quantity, unit=line.unit,
                unit_price=line.unit_price,
                line_total=_money(line.line_total, order.currency),
            )
            for line in lines
        ],
        milestones=[
            MilestoneRead(
                kind=m.kind, percent=m.percent, amount=_money(m.amount, m.currency),
                currency=m.currency, terms=m.terms, paid_on=m.paid_on, reference=m.reference,
                recorded_at=m.recorded_at,
            )
            for m in milestones
        ],
        container_number=order.container_number, bl_number=order.bl_number,
        etd=order.etd, eta=order.eta, created_at=order.created_at,
        updated_at=order.updated_at,
        bank_details=bank_details, bank_details_warning=bank_details_warning,
    )


async def create_from_offer(
    session: AsyncSession, principal: Principal, offer: Offer, lines: list[OfferLine],
    *, buyer_id: int, supplier_id: int,
) -> Order:
    """The order for an offer just accepted, in the accept's transaction.

    ``orders.offer_id`` is unique: should two accepts ever both pass the offer's status
    guard, the second insert fails and its whole transaction (the accept) rolls back.
    Deposit and balance are computed from the terms in the currency's minor units and
    always add up to the total.
    """
    now = utcnow()
    order = Order(
        offer_id=offer.id, negotiation_id=offer.negotiation_id, buyer_id=buyer_id,
        supplier_id=supplier_id, status="confirmed", version=1, currency=offer.currency,
        incoterm=offer.incoterm, named_place=offer.named_place,
        shipment_date=offer.shipment_date, deposit_percent=offer.deposit_percent,
        balance_terms=offer.balance_terms, notes=offer.notes, total=offer.total,
        created_at=now,
    )
    session.add(order)
    await session.flush()
    for line in lines:
        session.add(OrderLine(
            order_id=order.id, position=line.position, product_id=line.product_id,
            description=line.description, quantity=line.quantity, unit=line.unit,
            unit_price=line.unit_price, line_total=line.line_total,
        ))
    deposit, balance = split(offer.total, offer.deposit_percent, offer.currency)
    if offer.deposit_percent > 0:
        session.add(PaymentMilestone(
            order_id=order.id, kind="deposit", percent=offer.deposit_percent, amount=deposit,
            currency=offer.currency, terms="deposit",
        ))
    if offer.deposit_percent < 100:
        session.add(PaymentMilestone(
            order_id=order.id, kind="balance", percent=100 - offer.deposit_percent,
            amount=balance, currency=offer.currency, terms=offer.balance_terms,
        ))
    await session.flush()
    await banking.snapshot_for_order(session, order)
    await audit.record(
        session, actor_user_id=principal.user_id, organization_id=principal.organization_id,
        action="order.created", subject_type="order", subject_id=order.id,
        details={"offer_id": offer.id, "total": str(offer.total), "currency": offer.currency},
    )
    return order


async def list_orders(
    session: AsyncSession, principal: Principal, limit: int, cursor: str | None
) -> tuple[list[OrderRead], str | None]:
    """The caller's organization's orders (as buyer or supplier), newest first."""
    org = principal.organization_id
    if org is None:
        return [], None
    before: int | None = None
    if cursor is not None:
        values = decode_cursor(cursor)
        if not values or not isinstance(values[0], int):
            raise InvalidInput("The cursor is not valid; start again without it.",
                               code="invalid_cursor")
        before = values[0]
    rows = await repository.list_for(session, org, limit + 1, before)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [await read(session, principal, o) for o in rows]
    return items, (encode_cursor([rows[-1].id]) if more and rows else None)


def _shipping_values(data: TransitionCreate) -> dict[str, Any]:
    if not (data.container_number and data.bl_number and data.etd and data.eta):
        raise ShippingDetailsRequired()
    container = normalize_container_number(data.container_number)
    if container is None:
        raise InvalidContainerNumber()
    if data.eta < data.etd:
        raise EtaBeforeEtd()
    return {"container_number": container, "bl_number": data.bl_number,
            "etd": data.etd, "eta": data.eta}


async def transition(
    session: AsyncSession, principal: Principal, order_id: int, data: TransitionCreate
) -> OrderRead:
    """Move the order one step, if the step is legal, the caller's party's, and the
    order is still at the version the caller saw.
    """
    order = await visible(session, principal, order_id)
    milestones = await repository.milestones_of(session, order.id)
    deposit_due = any(m.kind == "deposit" for m in milestones)
    legal = states.next_steps(order.status, deposit_due=deposit_due)
    if data.to not in legal:
        raise IllegalTransition(
            f"An order that is {order.status} cannot become {data.to}.",
            details={"status": order.status, "next_steps": legal},
        )
    party = states.party_for(order.status, data.to)
    side = "buyer" if _org(principal) == order.buyer_id else "supplier"
    if party != "either" and party != side:
        raise NotYourStep(details={"party": party})
    now = utcnow()
    values: dict[str, Any] = {"status": data.to, "updated_at": now}
    if data.to == "shipped":
        values.update(_shipping_values(data))
    if data.to == "deposit_paid" and data.payment_reference is None:
        raise PaymentReferenceRequired()
    if data.version != order.version or not await repository.advance(
        session, order.id, from_status=order.status, version=data.version, values=values
    ):
        raise VersionConflict(details={"version": order.version})
    if data.to == "deposit_paid":
        await _record_paid(session, principal, order.id, "deposit",
                           data.payment_reference or "", data.paid_on or now.date())
    previous = order.status
    order = await visible(session, principal, order_id)  # reloaded: the UPDATE changed it
    details: dict[str, Any] = {"from": previous, "to": data.to, "version": order.version}
    if data.reason:
        details["reason"] = data.reason
    await audit.record(
        session, actor_user_id=principal.user_id, organization_id=principal.organization_id,
        action=f"order.{data.to}", subject_type="order", subject_id=order.id, details=details,
    )
    result = await read(session, principal, order)
    await _announce(session, principal, order, result, details)
    return result


async def _announce(
    session: AsyncSession, principal: Principal, order: Order, result: OrderRead,
    details: dict[str, Any],
) -> None:
    event = result.model_dump(mode="json")
    event.pop("your_side")
    await emit(
        session, topic=f"negotiation:{order.negotiation_id}", event="order.status_changed",
        data={"order": event, **details}, durable=True, sender_user_id=principal.user_id,
    )
    other = order.supplier_id if principal.organization_id == order.buyer_id else order.buyer_id
    await notify_side(
        session, organization_id=other, kind="order.status_changed",
        negotiation_id=order.negotiation_id, title=f"Order {order.id}",
        data={"order_id": order.id, "status": order.status},
    )


async def _record_paid(
    session: AsyncSession, principal: Principal, order_id: int, kind: str,
    reference: str, paid_on: date,
) -> PaymentMilestone:
    milestone = await repository.milestone(session, order_id, kind)
    if milestone is None:
        raise MilestoneNotFound()
    if milestone.recorded_at is not None:
        raise MilestoneAlreadyPaid()
    milestone.reference = reference
    milestone.paid_on = paid_on
    milestone.recorded_at = utcnow()
    milestone.recorded_by_user_id = principal.user_id
    await session.flush()
    return milestone


async def record_payment(
    session: AsyncSession, principal: Principal, order_id: int, kind: str,
    data: PaymentCreate,
) -> OrderRead:
    """The supplier records that a milestone's money arrived (reference and date).

    Bumps the order's version, so a step taken on an older view fails loudly.
    """
    order = await visible(session, principal, order_id)
    if _org(principal) != order.supplier_id:
        raise NotYourStep("Only the supplier records a payment it received.")
    if order.status == "cancelled":
        raise IllegalTransition("A cancelled order takes no payments.")
    await _record_paid(session, principal, order.id, kind, data.reference, data.paid_on)
    if not await repository.advance(
        session, order.id, from_status=order.status, version=order.version,
        values={"updated_at": utcnow()},
    ):
        raise VersionConflict(details={"version": order.version})
    order = await visible(session, principal, order_id)
    details: dict[str, Any] = {"milestone": kind, "reference": data.reference,
                               "paid_on": data.paid_on.isoformat()}
    await audit.record(
        session, actor_user_id=principal.user_id, organization_id=principal.organization_id,
        action="order.payment_recorded", subject_type="order", subject_id=order.id,
        details=details,
    )
    result = await read(session, principal, order)
    await _announce(session, principal, order, result, details)
    return result
