"""Flash offers: the host sells a limited quantity at a price during the show.

Publishing (the booth's members, while the show is live): a current product of the show's
supplier (422 ``product_not_available``), the currency and unit are the product's; the price,
quantity, incoterm, named place and deposit pass the same rules as any offer (the offer
rules' codes: ``invalid_price``, ``price_precision``, ``invalid_quantity``,
``unknown_incoterm``, ``invalid_deposit``); the end is in the future and at most 24 hours
ahead (``ends_at_past``, ``ends_at_too_far``), or given as ``duration_minutes`` (1..1440).

Claiming (buyer organizations' members, who can see the show):
- One claim per buyer organization: 409 ``flash_offer_already_claimed`` (a unique
  constraint; a colleague's simultaneous claim waits for the first and gets the 409).
- The offer must be open, before its end, in a show that is live: else 409
  ``flash_offer_closed``. More than remains: 409 ``flash_offer_sold_out`` with
  ``details.remaining``.
- The units are reserved by one conditional UPDATE (``sales_repository.reserve_units``),
  so concurrent claims never take more than the offer's quantity. It runs last, after the
  negotiation work, so the offer's row lock is held for as short a time as possible; a claim
  that loses the race rolls everything back (its negotiation message and offer included).
- The buyer's negotiation about the product is opened or reused (``open_negotiation``, with
  a message saying it is a flash-offer claim from the show), and the supplier side proposes
  an offer there at the flash price for the claimed quantity, valid for 3 days. It is
  proposed by the member who published the flash offer (or, if they left the supplier, by an
  owner of it).

If the negotiation already has an open offer, the flash terms take its place, since the buyer
who claims expects the flash price to be the offer in front of them, ready to accept: the
buyer's own open offer is countered by the supplier with the flash terms (so the thread shows
the answer and what changed); the supplier's open offer is withdrawn by the supplier side and
the flash terms proposed. The reply names the replaced offer (``replaced_offer_id``).

Units claimed stay claimed whatever becomes of the claim's offer: the offer records the deal
the buyer took during the show, and the flash offer is over once the show is.

Every change is broadcast on ``livestream:{id}`` (ephemeral): ``flash.published`` with the
offer, ``flash.updated`` {id, quantity_claimed, quantity_remaining, status} after a claim or a
close. ``quantity_claimed`` only grows, so a client keeps the largest value it has seen (two
claims' events may arrive in either order).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.catalog.schemas import format_money, format_quantity
from app.errors import AppError, Conflict, InvalidInput, NotFound
from app.kit.pagination import Page, cursor_id, id_page
from app.livestreams import access, broadcast
from app.livestreams import sales_repository as repository
from app.livestreams.errors import HostRequired, LivestreamNotFound, LivestreamNotLive
from app.livestreams.quotes import checked_quantity, require_buyer, show_product
from app.livestreams.sales_schemas import (
    FlashClaimCreate,
    FlashClaimRead,
    FlashOfferCreate,
    FlashOfferRead,
    FlashStatus,
)
from app.models import AuthToken, FlashOffer, Livestream, Product
from app.models.base import utcnow
from app.negotiations import offer_rules, offers
from app.negotiations import service as negotiations
from app.negotiations.schemas import NegotiationCreate, OfferCreate, OfferLineIn, OfferRead

MAX_AHEAD = timedelta(hours=24)
CLAIM_OFFER_VALID_FOR = timedelta(days=3)


class FlashOfferNotFound(NotFound):
    code = "flash_offer_not_found"
    message = "No such flash offer."


class FlashOfferClosed(Conflict):
    code = "flash_offer_closed"
    message = "This flash offer has closed."


class FlashOfferSoldOut(Conflict):
    code = "flash_offer_sold_out"
    message = "Not that much is left of this flash offer: claim a smaller quantity."


class FlashOfferAlreadyClaimed(Conflict):
    code = "flash_offer_already_claimed"
    message = "Your organization has already claimed this flash offer."


def status_of(flash: FlashOffer, now: datetime, *, show_live: bool) -> FlashStatus:
    if flash.status != "open" or flash.ends_at <= now or not show_live:
        return "closed"
    if flash.quantity_claimed >= flash.quantity_total:
        return "sold_out"
    return "open"


def flash_read(
    flash: FlashOffer, names: tuple[str, str], now: datetime, *, show_live: bool
) -> FlashOfferRead:
    """The offer as shown; ``names`` are its product's (English, Chinese), which the room
    shows the offer by."""
    return FlashOfferRead(
        id=flash.id, livestream_id=flash.livestream_id, product_id=flash.product_id,
        product_name=names[0], product_name_zh=names[1],
        currency=flash.currency, unit=flash.unit, unit_price=flash.unit_price,
        quantity_total=flash.quantity_total, quantity_claimed=flash.quantity_claimed,
        quantity_remaining=flash.quantity_total - flash.quantity_claimed,
        incoterm=flash.incoterm, named_place=flash.named_place,
        deposit_percent=flash.deposit_percent, balance_terms=flash.balance_terms,
        ends_at=flash.ends_at, status=status_of(flash, now, show_live=show_live),
        created_at=flash.created_at,
    )


def _updated(read: FlashOfferRead) -> dict[str, Any]:
    return {k: v for k, v in read.model_dump(mode="json").items()
            if k in ("id", "quantity_claimed", "quantity_remaining", "status")}


def _terms(
    flash: FlashOffer | FlashOfferCreate, product: Product, quantity: Decimal,
    valid_until: datetime, notes: str,
) -> OfferCreate:
    """The offer a claim proposes (and, at publishing, the terms the offer rules check)."""
    return OfferCreate(
        lines=[OfferLineIn(product_id=product.id, quantity=quantity, unit=product.unit,
                           unit_price=flash.unit_price)],
        currency=product.currency, incoterm=flash.incoterm, named_place=flash.named_place,
        deposit_percent=flash.deposit_percent, balance_terms=flash.balance_terms,
        valid_until=valid_until, notes=notes,
    )


def _check_terms(data: FlashOfferCreate, product: Product, now: datetime) -> None:
    """The offer rules on the flash terms; a line's problem is reported on the body's own
    field (``unit_price``, ``quantity``)."""
    problems = offer_rules.check_offer(
        _terms(data, product, data.quantity, now + CLAIM_OFFER_VALID_FOR, ""),
        now=now, products={product.id: product.name},
    )
    if problems:
        raise InvalidInput(
            problems[0].message, code=problems[0].code,
            details=[{"loc": ["body", p.loc[-1]], "msg": p.message, "type": p.code}
                     for p in problems],
        )


def _ends_at(data: FlashOfferCreate, now: datetime) -> datetime:
    # The schema requires exactly one of the two.
    if data.duration_minutes is not None or data.ends_at is None:
        return now + timedelta(minutes=data.duration_minutes or 1)
    if data.ends_at <= now:
        raise InvalidInput("A flash offer must end in the future.", code="ends_at_past",
                           details={"field": "ends_at"})
    if data.ends_at > now + MAX_AHEAD:
        raise InvalidInput("A flash offer ends within 24 hours.", code="ends_at_too_far",
                           details={"field": "ends_at"})
    return data.ends_at


async def publish(
    session: AsyncSession, principal: Principal, livestream_id: int, data: FlashOfferCreate,
    now: datetime | None = None,
) -> FlashOfferRead:
    """The host publishes a flash offer in the live show (see module doc for the rules)."""
    now = now or utcnow()
    show = (await access.hosted(session, principal, livestream_id)).livestream
    if show.status != "live":
        raise LivestreamNotLive("Flash offers are published while the show is live.")
    product = await show_product(session, show.supplier_id, data.product_id)
    ends_at = _ends_at(data, now)
    _check_terms(data, product, now)
    flash = FlashOffer(
        livestream_id=show.id, product_id=product.id, currency=product.currency,
        unit_price=data.unit_price, unit=product.unit, quantity_total=data.quantity,
        quantity_claimed=Decimal(0), incoterm=data.incoterm, named_place=data.named_place,
        deposit_percent=data.deposit_percent, balance_terms=data.balance_terms,
        ends_at=ends_at, status="open", created_by_id=principal.user_id, created_at=now,
    )
    session.add(flash)
    await session.flush()
    read = flash_read(flash, (product.name, product.name_zh), now, show_live=True)
    await audit.record(
        session, actor_user_id=principal.user_id, organization_id=show.supplier_id,
        action="flash_offer.published", subject_type="flash_offer", subject_id=flash.id,
        details={"livestream_id": show.id, "product_id": product.id},
    )
    await broadcast.publish(session, show.id, "flash.published", read.model_dump(mode="json"))
    return read


async def list_flash_offers(
    session: AsyncSession, viewer: Principal | None, livestream_id: int, limit: int,
    cursor: str | None,
) -> Page[FlashOfferRead]:
    """The show's flash offers, newest first, for whoever may see the show."""
    show = (await access.seen(session, viewer, livestream_id)).livestream
    rows = await repository.flash_offers_of(session, show.id, limit + 1, cursor_id(cursor))
    now = utcnow()
    live = show.status == "live"
    return id_page([flash_read(f, (name, name_zh), now, show_live=live)
                    for f, name, name_zh in rows], limit)


async def open_offers(
    session: AsyncSession, livestream_id: int, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The show's offers open to claims right now, oldest first, as JSON (the room's
    ``state`` event); none unless the show is live."""
    show = await session.get(Livestream, livestream_id)
    if show is None or show.status != "live":
        return []
    now = now or utcnow()
    rows = await repository.open_flash_offers(session, livestream_id, now)
    return [flash_read(f, (name, name_zh), now, show_live=True).model_dump(mode="json")
            for f, name, name_zh in rows]


async def _seen_flash(
    session: AsyncSession, viewer: Principal | None, flash_offer_id: int
) -> tuple[FlashOffer, access.Seen]:
    flash = await repository.flash_offer(session, flash_offer_id)
    if flash is None:
        raise FlashOfferNotFound()
    try:
        return flash, await access.seen(session, viewer, flash.livestream_id)
    except LivestreamNotFound:
        raise FlashOfferNotFound() from None


async def get_flash_offer(
    session: AsyncSession, viewer: Principal | None, flash_offer_id: int
) -> FlashOfferRead:
    flash, seen = await _seen_flash(session, viewer, flash_offer_id)
    names = await repository.product_names(session, flash.product_id)
    return flash_read(flash, names, utcnow(), show_live=seen.livestream.status == "live")


async def close(
    session: AsyncSession, principal: Principal, flash_offer_id: int
) -> FlashOfferRead:
    """The host ends a flash offer early; closing a closed one changes nothing."""
    flash, seen = await _seen_flash(session, principal, flash_offer_id)
    if not seen.is_host:
        raise HostRequired()
    now = utcnow()
    names = await repository.product_names(session, flash.product_id)
    if flash.status == "open":
        await repository.close_flash_offer(session, flash.id)
        await audit.record(
            session, actor_user_id=principal.user_id, organization_id=principal.organization_id,
            action="flash_offer.closed", subject_type="flash_offer", subject_id=flash.id,
            details={"livestream_id": flash.livestream_id},
        )
        flash = await repository.flash_offer(session, flash.id, fresh=True) or flash
        read = flash_read(flash, names, now, show_live=seen.livestream.status == "live")
        await broadcast.publish(session, flash.livestream_id, "flash.updated", _updated(read))
        return read
    return flash_read(flash, names, now, show_live=seen.livestream.status == "live")


def _refusal(
    flash: FlashOffer, quantity: Decimal, now: datetime, *, show_live: bool
) -> AppError | None:
    """Why the offer as it stands refuses the claim, if it does."""
    if status_of(flash, now, show_live=show_live) == "closed":
        return FlashOfferClosed()
    remaining = flash.quantity_total - flash.quantity_claimed
    if quantity > remaining:
        return FlashOfferSoldOut(details={"remaining": format_quantity(remaining)})
    return None


async def _supplier_side(
    session: AsyncSession, supplier_id: int, flash: FlashOffer
) -> Principal | None:
    """The supplier's member who proposes a claim's offer: the flash offer's publisher, else
    an owner. The services read who acts from the user and membership only: no token."""
    found = await repository.supplier_actor(session, supplier_id, flash.created_by_id)
    if found is None:
        return None
    user, membership = found
    return Principal(user=user, membership=membership, token=AuthToken())


async def _propose_in_place(
    session: AsyncSession, supplier: Principal, negotiation_id: int, terms: OfferCreate,
    now: datetime,
) -> tuple[OfferRead, int | None]:
    """Propose the terms; an open offer in the way is replaced (module doc). Returns (the
    offer, the replaced offer's id)."""
    try:
        return await offers.propose(session, supplier, negotiation_id, terms, now), None
    except offers.OfferAlreadyOpen:
        pass
    current = next((o for o in await offers.list_offers(session, supplier, negotiation_id)
                    if o.status == "proposed"), None)
    if current is None:  # it expired in between: nothing is in the way any more
        return await offers.propose(session, supplier, negotiation_id, terms, now), None
    if current.proposed_by_org_id == supplier.organization_id:
        await offers.withdraw(session, supplier, current.id, now)
        return await offers.propose(session, supplier, negotiation_id, terms, now), current.id
    return await offers.counter(session, supplier, current.id, terms, now), current.id


async def claim(
    session: AsyncSession, principal: Principal, flash_offer_id: int, data: FlashClaimCreate,
    now: datetime | None = None,
) -> FlashClaimRead:
    """A buyer claims units of a flash offer (see module doc for the rules)."""
    now = now or utcnow()
    flash, seen = await _seen_flash(session, principal, flash_offer_id)
    buyer_id = await require_buyer(session, principal)
    quantity = checked_quantity(data.quantity)
    show = seen.livestream
    refused = _refusal(flash, quantity, now, show_live=show.status == "live")
    if refused is not None:
        raise refused
    product = await repository.supplier_product(session, show.supplier_id, flash.product_id)
    if product is None:
        raise FlashOfferClosed("The product of this flash offer is no longer available.")
    claim_id = await repository.insert_claim(
        session, flash_offer_id=flash.id, livestream_id=show.id, user_id=principal.user_id,
        buyer_org_id=buyer_id, quantity=quantity, now=now,
    )
    if claim_id is None:
        raise FlashOfferAlreadyClaimed()
    amount = f"{format_quantity(quantity)} {flash.unit}"
    negotiation, created = await negotiations.open_negotiation(
        session, principal,
        NegotiationCreate(
            subject_type="product", subject_id=product.id, quantity=quantity,
            target_price=flash.unit_price,
            message=(f"Flash offer claim from the livestream “{show.title}”: {amount} of "
                     f"{product.name} at {flash.currency} "
                     f"{format_money(flash.unit_price)} per {flash.unit}."),
        ),
    )
    offer_id: int | None = None
    replaced_id: int | None = None
    note: str | None = None
    supplier = await _supplier_side(session, show.supplier_id, flash)
    if supplier is None:
        note = "The supplier has no member to propose the offer; they will answer here."
    else:
        terms = _terms(flash, product, quantity, now + CLAIM_OFFER_VALID_FOR,
                       f"Flash offer from the livestream “{show.title}”.")
        offer, replaced_id = await _propose_in_place(session, supplier, negotiation.id,
                                                     terms, now)
        offer_id = offer.id
    claimed = await repository.reserve_units(session, flash.id, quantity, now)
    if claimed is None:
        current = await repository.flash_offer(session, flash.id, fresh=True)
        if current is None:
            raise FlashOfferNotFound()
        # The guard and the pre-check read the same row; the float fallback is for SQLite.
        raise _refusal(current, quantity, now, show_live=True) or FlashOfferSoldOut(
            details={"remaining": format_quantity(current.quantity_total
                                                  - current.quantity_claimed)})
    await repository.link_claim(session, claim_id, negotiation_id=negotiation.id,
                                negotiation_created=created, offer_id=offer_id)
    flash = await repository.flash_offer(session, flash.id, fresh=True) or flash
    read = flash_read(flash, (product.name, product.name_zh), now, show_live=True)
    await broadcast.publish(session, show.id, "flash.updated", _updated(read))
    return FlashClaimRead(
        id=claim_id, flash_offer_id=flash.id, quantity=quantity,
        negotiation_id=negotiation.id, negotiation_created=created, offer_id=offer_id,
        replaced_offer_id=replaced_id, offer_note=note,
        quantity_remaining=flash.quantity_total - claimed,
    )
