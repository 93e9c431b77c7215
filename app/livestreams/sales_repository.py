"""Queries for selling from a show: quote requests, flash offers and claims, the funnel."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.kit.dialect_insert import insert_for
from app.models import (
    FlashClaim,
    FlashOffer,
    Livestream,
    LivestreamChatMessage,
    LivestreamPin,
    LivestreamQuoteRequest,
    LivestreamViewer,
    Membership,
    Order,
    Product,
    User,
)
from app.models.product import QUANTITY

# Quantities have 3 decimals. SQLite keeps NUMERIC columns as floats, where 0.1 + 0.2 > 0.3:
# rounding the sum to the column's scale keeps the guard exact there (a no-op on PostgreSQL).
_QUANTITY_SCALE = 3


async def supplier_product(
    session: AsyncSession, supplier_id: int, product_id: int
) -> Product | None:
    """The supplier's product if it is not deleted."""
    return await session.scalar(select(Product).where(
        Product.id == product_id, Product.supplier_id == supplier_id,
        Product.deleted_at.is_(None),
    ))


# --- quote requests -----------------------------------------------------------------------


async def last_quantity_asked(
    session: AsyncSession, user_id: int, product_id: int
) -> Decimal | None:
    """The quantity the user asked for in their latest quote request for the product, in
    any show."""
    value = await session.scalar(
        select(LivestreamQuoteRequest.quantity)
        .where(LivestreamQuoteRequest.user_id == user_id,
               LivestreamQuoteRequest.product_id == product_id)
        .order_by(LivestreamQuoteRequest.id.desc())
        .limit(1)
    )
    return None if value is None else Decimal(value)


# --- flash offers ---------------------------------------------------------------------------


async def flash_offer(
    session: AsyncSession, flash_offer_id: int, *, fresh: bool = False
) -> FlashOffer | None:
    """``fresh``: read the row again even if the session holds it (after a raw UPDATE)."""
    return await session.get(FlashOffer, flash_offer_id, populate_existing=fresh)


# A flash offer with its product's names (English, Chinese): the offer is shown by them.
NamedFlashOffer = tuple[FlashOffer, str, str]


def _named_flash_offers() -> Any:
    return (select(FlashOffer, Product.name, Product.name_zh)
            .join(Product, Product.id == FlashOffer.product_id))


def _named(rows: Any) -> list[NamedFlashOffer]:
    return [(flash, str(name), str(name_zh)) for flash, name, name_zh in rows]


async def flash_offers_of(
    session: AsyncSession, livestream_id: int, limit: int, before_id: int | None
) -> list[NamedFlashOffer]:
    """A show's flash offers, newest first (keyset on id)."""
    query = _named_flash_offers().where(FlashOffer.livestream_id == livestream_id)
    if before_id is not None:
        query = query.where(FlashOffer.id < before_id)
    return _named(await session.execute(query.order_by(FlashOffer.id.desc()).limit(limit)))


async def open_flash_offers(
    session: AsyncSession, livestream_id: int, now: datetime
) -> list[NamedFlashOffer]:
    """A show's flash offers still open to claims (before their end), oldest first."""
    return _named(await session.execute(
        _named_flash_offers()
        .where(FlashOffer.livestream_id == livestream_id, FlashOffer.status == "open",
               FlashOffer.ends_at > now,
               FlashOffer.quantity_claimed < FlashOffer.quantity_total)
        .order_by(FlashOffer.id)
    ))


async def product_names(session: AsyncSession, product_id: int) -> tuple[str, str]:
    """A product's names (English, Chinese), deleted or not; empty if it is gone."""
    row = (await session.execute(
        select(Product.name, Product.name_zh).where(Product.id == product_id)
    )).first()
    return ("", "") if row is None else (str(row[0]), str(row[1]))


async def close_flash_offer(session: AsyncSession, flash_offer_id: int) -> None:
    await session.execute(
        update(FlashOffer)
        .where(FlashOffer.id == flash_offer_id, FlashOffer.status == "open")
        .values(status="closed")
        .execution_options(synchronize_session=False)
    )


async def reserve_units(
    session: AsyncSession, flash_offer_id: int, quantity: Decimal, now: datetime
) -> Decimal | None:
    """Add ``quantity`` to the claimed units in one conditional UPDATE, only if the offer is
    open, before its end, and the units remain; returns the units claimed now, or None.

    Concurrent claims queue on the row's lock; PostgreSQL re-checks the WHERE on the row as
    the previous claim left it, so the total can never pass ``quantity_total`` (and the
    table's check constraint would refuse it anyway).
    """
    after = func.round(FlashOffer.quantity_claimed + quantity, _QUANTITY_SCALE)
    claimed = await session.scalar(
        update(FlashOffer)
        .where(FlashOffer.id == flash_offer_id, FlashOffer.status == "open",
               FlashOffer.ends_at > now, after <= FlashOffer.quantity_total)
        .values(quantity_claimed=after)
        .returning(FlashOffer.quantity_claimed)
        .execution_options(synchronize_session=False)
    )
    return None if claimed is None else Decimal(claimed)


async def insert_claim(
    session: AsyncSession, *, flash_offer_id: int, livestream_id: int, user_id: int,
    buyer_org_id: int, quantity: Decimal, now: datetime,
) -> int | None:
    """The claim's id, or None if the buyer organization already has one on this offer.

    ON CONFLICT DO NOTHING: a colleague's claim in flight makes this one wait for it, then
    find it; never a unique-violation error.
    """
    claim_id = await session.scalar(
        insert_for(session)(FlashClaim)
        .values(flash_offer_id=flash_offer_id, livestream_id=livestream_id, user_id=user_id,
                buyer_org_id=buyer_org_id, quantity=quantity, negotiation_created=False,
                created_at=now)
        .on_conflict_do_nothing(index_elements=["flash_offer_id", "buyer_org_id"])
        .returning(FlashClaim.id)
    )
    return None if claim_id is None else int(claim_id)


async def link_claim(
    session: AsyncSession, claim_id: int, *, negotiation_id: int, negotiation_created: bool,
    offer_id: int | None,
) -> None:
    await session.execute(
        update(FlashClaim).where(FlashClaim.id == claim_id)
        .values(negotiation_id=negotiation_id, negotiation_created=negotiation_created,
                offer_id=offer_id)
        .execution_options(synchronize_session=False)
    )


async def supplier_actor(
    session: AsyncSession, supplier_id: int, preferred_user_id: int | None
) -> tuple[User, Membership] | None:
    """A current member of the supplier to act for it: the preferred user if still a member,
    else an owner, else the earliest member."""
    row = (await session.execute(
        select(User, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == supplier_id)
        .order_by(
            (Membership.user_id == (preferred_user_id or 0)).desc(),
            (Membership.role == "owner").desc(),
            Membership.id,
        )
        .limit(1)
    )).first()
    return None if row is None else (row[0], row[1])


# --- funnel ---------------------------------------------------------------------------------


def _count(model: Any, livestream_id: int) -> Any:
    return (select(func.count()).select_from(model)
            .where(model.livestream_id == livestream_id).scalar_subquery())


def _links(livestream_id: int) -> Any:
    """Every time the show linked a negotiation: (negotiation id, when, created by it)."""
    return union_all(
        select(LivestreamQuoteRequest.negotiation_id.label("negotiation_id"),
               LivestreamQuoteRequest.created_at.label("linked_at"),
               LivestreamQuoteRequest.negotiation_created.label("created"))
        .where(LivestreamQuoteRequest.livestream_id == livestream_id,
               LivestreamQuoteRequest.negotiation_id.is_not(None)),
        select(FlashClaim.negotiation_id, FlashClaim.created_at, FlashClaim.negotiation_created)
        .where(FlashClaim.livestream_id == livestream_id,
               FlashClaim.negotiation_id.is_not(None)),
    ).cte("links")


async def funnel_counts(session: AsyncSession, livestream_id: int) -> dict[str, Any] | None:
    """The show's counters in one statement (None if the show is gone)."""
    links = _links(livestream_id)
    opened = (select(func.count(func.distinct(links.c.negotiation_id)))
              .where(links.c.created == literal(True)).scalar_subquery())
    reached = select(func.count(func.distinct(links.c.negotiation_id))).scalar_subquery()
    units = (select(func.coalesce(func.sum(FlashClaim.quantity), 0).cast(QUANTITY))
             .where(FlashClaim.livestream_id == livestream_id).scalar_subquery())
    row = (await session.execute(
        select(
            Livestream.peak_viewers, Livestream.like_count,
            _count(LivestreamViewer, livestream_id).label("unique_viewers"),
            _count(LivestreamChatMessage, livestream_id).label("chat_messages"),
            _count(LivestreamPin, livestream_id).label("product_pins"),
            _count(LivestreamQuoteRequest, livestream_id).label("quote_requests"),
            _count(FlashClaim, livestream_id).label("flash_claims"),
            units.label("flash_units_claimed"),
            opened.label("negotiations_opened"),
            reached.label("negotiations_reached"),
        ).where(Livestream.id == livestream_id)
    )).mappings().first()
    return None if row is None else dict(row)


async def funnel_orders(
    session: AsyncSession, livestream_id: int
) -> list[tuple[str, int, Decimal]]:
    """(currency, orders, their total) for orders made in the show's negotiations after the
    show first linked each one; one statement."""
    links = _links(livestream_id)
    first = (select(links.c.negotiation_id, func.min(links.c.linked_at).label("first_at"))
             .group_by(links.c.negotiation_id).subquery("first_links"))
    rows = await session.execute(
        select(Order.currency, func.count(Order.id),
               func.coalesce(func.sum(Order.total), 0).cast(Order.total.type))
        .join(first, first.c.negotiation_id == Order.negotiation_id)
        .where(Order.created_at >= first.c.first_at)
        .group_by(Order.currency)
        .order_by(Order.currency)
    )
    return [(str(c), int(n), Decimal(t)) for c, n, t in rows]
