"""Rules for offers in a negotiation.

- Either party proposes; only one offer is open (``proposed``) at a time in a negotiation:
  another → 409 ``offer_already_open`` (a partial unique index backs the rule).
- The other party accepts, rejects or counters it; its own party → 403 ``own_offer``.
- The proposing party withdraws it; the other party → 403 ``not_your_offer``.
- Acting on an offer that is no longer open → 409 ``offer_not_open``; on one past its
  valid_until → 409 ``offer_expired``.
- An offer past valid_until *is* expired: reads show it so at once; the first write in its
  negotiation stores the status (with its event and audit entry), so no background job is
  needed and no reader ever sees an expired offer as open.
- Accepting creates exactly one order in the same transaction: a conditional UPDATE moves
  the offer from ``proposed`` only once, and ``orders.offer_id`` is unique.

Every change appends a message (``offer`` or ``system``), a durable event on
``negotiation:{id}``, an audit entry, and notifies the other side.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.models import Negotiation, Offer, OfferLine
from app.models.base import utcnow
from app.negotiations import offer_rules, repository
from app.negotiations.notify import notify_side
from app.negotiations.schemas import OfferCreate, OfferRead
from app.negotiations.service import append_message, other_org, topic_of, visible
from app.negotiations.views import diff, effective_status, message_read, offer_read
from app.orders import service as orders
from app.realtime.topics import emit


class OfferNotFound(NotFound):
    code = "offer_not_found"
    message = "No such offer."


class OfferAlreadyOpen(Conflict):
    code = "offer_already_open"
    message = (
        "This negotiation already has an open offer. Accept, reject or counter it, or "
        "withdraw yours, before proposing another."
    )


class OfferNotOpen(Conflict):
    code = "offer_not_open"
    message = "This offer is no longer open: it was accepted, rejected, withdrawn or countered."


class OfferExpired(Conflict):
    code = "offer_expired"
    message = "This offer has expired. Ask for a new one, or propose your own."


class OwnOffer(PermissionDenied):
    code = "own_offer"
    message = "This is your side's offer: the other side accepts, rejects or counters it."


class NotYourOffer(PermissionDenied):
    code = "not_your_offer"
    message = "Only the side that proposed this offer can withdraw it."


class OfferInvalid(InvalidInput):
    """``code`` is the first problem's; ``details`` lists every problem."""

    code = "offer_invalid"
    message = "The offer has invalid terms."


def _invalid(problems: list[offer_rules.Problem]) -> OfferInvalid:
    more = len(problems) - 1
    return OfferInvalid(
        problems[0].message + (f" ({more} more problem{'s' if more > 1 else ''})"
                               if more else ""),
        code=problems[0].code,
        details=[{"loc": ["body", *p.loc], "msg": p.message, "type": p.code}
                 for p in problems],
    )


async def _view(session: AsyncSession, offer: Offer, now: datetime) -> OfferRead:
    lines = (await repository.lines_of(session, [offer.id]))[offer.id]
    order_ids = await repository.order_ids_for_offers(session, [offer.id])
    return offer_read(offer, lines, now, order_id=order_ids.get(offer.id))


async def _visible_offer(
    session: AsyncSession, principal: Principal, offer_id: int
) -> tuple[Offer, Negotiation]:
    offer = await repository.get_offer(session, offer_id)
    if offer is None:
        raise OfferNotFound()
    try:
        negotiation = await visible(session, principal, offer.negotiation_id)
    except NotFound:
        raise OfferNotFound() from None
    return offer, negotiation


async def _record(
    session: AsyncSession, principal: Principal | None, negotiation: Negotiation, *,
    event: str, offer: OfferRead, kind: str, extra: dict[str, Any] | None = None,
    now: datetime,
) -> None:
    """Message + durable event + audit entry + notification for one offer change."""
    extra = extra or {}
    appended = await append_message(
        session, negotiation, kind=kind, sender=principal,
        data={"key": event, "offer_id": offer.id, **extra}, offer_id=offer.id, now=now,
    )
    data: dict[str, Any] = {
        "offer": offer.model_dump(mode="json"),
        "message": message_read(appended.message).model_dump(mode="json"),
        **extra,
    }
    await emit(session, topic=topic_of(negotiation.id), event=event, data=data,
               durable=True, sender_user_id=principal.user_id if principal else None)
    await audit.record(
        session, actor_user_id=principal.user_id if principal else None,
        organization_id=principal.organization_id if principal else None,
        action=event, subject_type="offer", subject_id=offer.id,
        details={"negotiation_id": negotiation.id, **{
            k: v for k, v in extra.items() if k in ("answers_offer_id", "order_id")
        }},
    )
    if principal is not None:
        await notify_side(
            session, organization_id=other_org(negotiation, principal.organization_id),
            kind=event, negotiation_id=negotiation.id, title=negotiation.subject_title,
            data={"offer_id": offer.id},
        )


async def expire_due(session: AsyncSession, negotiation: Negotiation, now: datetime) -> None:
    """Store the expiry of the negotiation's open offer if its valid_until has passed."""
    for offer_id in await repository.expire_due(session, negotiation.id, now):
        offer = await repository.get_offer(session, offer_id)
        if offer is not None:
            await _record(session, None, negotiation, event="offer.expired",
                          offer=await _view(session, offer, now), kind="system", now=now)


async def _create(
    session: AsyncSession, principal: Principal, negotiation: Negotiation,
    data: OfferCreate, now: datetime, answers: Offer | None,
) -> tuple[Offer, list[OfferLine]]:
    product_ids = {line.product_id for line in data.lines if line.product_id is not None}
    products = await repository.supplier_products(session, negotiation.supplier_id, product_ids)
    problems = offer_rules.check_offer(data, now=now, products=products)
    if problems:
        raise _invalid(problems)
    priced = offer_rules.price(data)
    offer = Offer(
        negotiation_id=negotiation.id, proposed_by_org_id=principal.organization_id,
        proposed_by_user_id=principal.user_id,
        answers_offer_id=answers.id if answers else None, status="proposed",
        currency=data.currency, incoterm=data.incoterm, named_place=data.named_place,
        shipment_date=data.shipment_date, deposit_percent=data.deposit_percent,
        balance_terms=data.balance_terms, valid_until=data.valid_until, notes=data.notes,
        total=priced.total, created_at=now,
    )
    session.add(offer)
    await session.flush()
    lines = [
        OfferLine(
            offer_id=offer.id, position=index, product_id=line.product_id,
            description=line.description or products.get(line.product_id or 0, ""),
            quantity=line.quantity, unit=line.unit, unit_price=line.unit_price,
            line_total=priced.line_totals[index],
        )
        for index, line in enumerate(data.lines)
    ]
    session.add_all(lines)
    await session.flush()
    return offer, lines


async def propose(
    session: AsyncSession, principal: Principal, negotiation_id: int, data: OfferCreate,
    now: datetime | None = None,
) -> OfferRead:
    """Either party proposes terms, when no other offer is open in the negotiation."""
    now = now or utcnow()
    negotiation = await visible(session, principal, negotiation_id)
    await repository.lock(session, negotiation.id, now)
    await expire_due(session, negotiation, now)
    if await repository.open_offer(session, negotiation.id) is not None:
        raise OfferAlreadyOpen()
    offer, lines = await _create(session, principal, negotiation, data, now, None)
    view = offer_read(offer, lines, now)
    await _record(session, principal, negotiation, event="offer.proposed", offer=view,
                  kind="offer", now=now)
    return view


async def _open_for_decision(
    session: AsyncSession, principal: Principal, offer_id: int, now: datetime,
    *, proposer_acts: bool,
) -> tuple[Offer, Negotiation]:
    offer, negotiation = await _visible_offer(session, principal, offer_id)
    ours = offer.proposed_by_org_id == principal.organization_id
    if proposer_acts and not ours:
        raise NotYourOffer()
    if not proposer_acts and ours:
        raise OwnOffer()
    await repository.lock(session, negotiation.id, now)
    await expire_due(session, negotiation, now)
    offer = await repository.get_offer(session, offer_id) or offer
    status = effective_status(offer, now)
    if status == "expired":
        raise OfferExpired()
    if status != "proposed":
        raise OfferNotOpen(details={"status": status})
    return offer, negotiation


async def _close(
    session: AsyncSession, principal: Principal, offer: Offer, status: str, now: datetime
) -> Offer:
    if not await repository.close_offer(session, offer.id, status, principal.user_id, now,
                                        must_be_valid=True):
        # Lost a race to another decision (or the clock passed valid_until just now).
        current = await repository.get_offer(session, offer.id)
        if current is not None and effective_status(current, now) == "expired":
            raise OfferExpired()
        raise OfferNotOpen()
    closed = await repository.get_offer(session, offer.id)
    if closed is None:
        raise OfferNotFound()
    return closed


async def withdraw(
    session: AsyncSession, principal: Principal, offer_id: int, now: datetime | None = None
) -> OfferRead:
    """The proposing side takes its open offer back."""
    now = now or utcnow()
    offer, negotiation = await _open_for_decision(session, principal, offer_id, now,
                                                  proposer_acts=True)
    offer = await _close(session, principal, offer, "withdrawn", now)
    view = await _view(session, offer, now)
    await _record(session, principal, negotiation, event="offer.withdrawn", offer=view,
                  kind="system", now=now)
    return view


async def reject(
    session: AsyncSession, principal: Principal, offer_id: int, now: datetime | None = None
) -> OfferRead:
    """The other side declines an open offer."""
    now = now or utcnow()
    offer, negotiation = await _open_for_decision(session, principal, offer_id, now,
                                                  proposer_acts=False)
    offer = await _close(session, principal, offer, "rejected", now)
    view = await _view(session, offer, now)
    await _record(session, principal, negotiation, event="offer.rejected", offer=view,
                  kind="system", now=now)
    return view


async def counter(
    session: AsyncSession, principal: Principal, offer_id: int, data: OfferCreate,
    now: datetime | None = None,
) -> OfferRead:
    """The other side answers an open offer with its own terms: the answered offer is
    closed as ``countered`` and the new one links to it; ``changes`` lists what differs.
    """
    now = now or utcnow()
    offer, negotiation = await _open_for_decision(session, principal, offer_id, now,
                                                  proposer_acts=False)
    # Check the new terms before closing anything: an invalid counter changes nothing.
    product_ids = {line.product_id for line in data.lines if line.product_id is not None}
    products = await repository.supplier_products(session, negotiation.supplier_id, product_ids)
    problems = offer_rules.check_offer(data, now=now, products=products)
    if problems:
        raise _invalid(problems)
    answered = await _close(session, principal, offer, "countered", now)
    before = await _view(session, answered, now)
    new_offer, lines = await _create(session, principal, negotiation, data, now, answered)
    view = offer_read(new_offer, lines, now)
    view.changes = diff(before, view)
    await _record(
        session, principal, negotiation, event="offer.countered", offer=view, kind="offer",
        extra={"answers_offer_id": answered.id,
               "changes": [c.model_dump(mode="json") for c in view.changes]},
        now=now,
    )
    return view


async def accept(
    session: AsyncSession, principal: Principal, offer_id: int, now: datetime | None = None
) -> tuple[OfferRead, int]:
    """The other side accepts an open, unexpired offer: the offer becomes ``accepted`` and
    exactly one order is created, in this transaction. Returns (offer, order id).
    """
    now = now or utcnow()
    offer, negotiation = await _open_for_decision(session, principal, offer_id, now,
                                                  proposer_acts=False)
    offer = await _close(session, principal, offer, "accepted", now)
    lines = (await repository.lines_of(session, [offer.id]))[offer.id]
    order = await orders.create_from_offer(
        session, principal, offer, lines,
        buyer_id=negotiation.buyer_id, supplier_id=negotiation.supplier_id,
    )
    view = offer_read(offer, lines, now, order_id=order.id)
    await _record(session, principal, negotiation, event="offer.accepted", offer=view,
                  kind="system", extra={"order_id": order.id}, now=now)
    return view, order.id


async def get_offer(
    session: AsyncSession, principal: Principal, offer_id: int
) -> OfferRead:
    """An offer of the caller's negotiation; a counter-offer shows what it changed."""
    now = utcnow()
    offer, _ = await _visible_offer(session, principal, offer_id)
    view = await _view(session, offer, now)
    if offer.answers_offer_id is not None:
        answered = await repository.get_offer(session, offer.answers_offer_id)
        if answered is not None:
            view.changes = diff(await _view(session, answered, now), view)
    return view


async def list_offers(
    session: AsyncSession, principal: Principal, negotiation_id: int
) -> list[OfferRead]:
    """Every offer of the negotiation, oldest first, with effective statuses."""
    now = utcnow()
    negotiation = await visible(session, principal, negotiation_id)
    offers = await repository.offers_of(session, negotiation.id)
    ids = [o.id for o in offers]
    lines = await repository.lines_of(session, ids)
    order_ids = await repository.order_ids_for_offers(session, ids)
    return [offer_read(o, lines[o.id], now, order_id=order_ids.get(o.id)) for o in offers]

