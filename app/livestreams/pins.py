"""The host's pinned product: its card, and pinning or unpinning it.

The livestream row holds the product pinned now; each pin also adds a LivestreamPin row, so
the funnel can count how often products were shown. A pin is for a product of the show's
own supplier that is not deleted (422 ``product_not_available``), while the show is not over
(409 ``livestream_status_conflict``); a scheduled show may have its first product ready.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.catalog import service as catalog
from app.catalog.schemas import PriceTierRead
from app.livestreams import access, repository
from app.livestreams.broadcast import audit_action, publish
from app.livestreams.errors import LivestreamStatusConflict, ProductNotAvailable
from app.livestreams.schemas import ProductCard
from app.media.service import image_url
from app.models import Livestream, LivestreamPin
from app.models.base import utcnow


async def _cards(session: AsyncSession, product_ids: Collection[int]) -> dict[int, ProductCard]:
    # Three statements whatever the number of products: products, tiers, images.
    found = await repository.live_products(session, product_ids)
    loaded = await catalog.load(session, [product for product, _ in found])
    cards = {}
    for (_, booth_id), item in zip(found, loaded, strict=True):
        p = item.product
        cards[p.id] = ProductCard(
            id=p.id, name=p.name, name_zh=p.name_zh,
            image_url=image_url(item.image_ids[0], thumbnail=True) if item.image_ids else None,
            currency=p.currency, unit=p.unit, moq=p.moq,
            price_tiers=[PriceTierRead(min_quantity=t.min_quantity, unit_price=t.unit_price)
                         for t in item.tiers],
            incoterms=list(p.incoterms), port_of_loading=p.port_of_loading,
            lead_time_days=p.lead_time_days, booth_id=booth_id,
        )
    return cards


async def product_card(
    session: AsyncSession, product_id: int, booth_id: int | None = None
) -> ProductCard | None:
    """A product's card, or None if it is deleted or missing. ``booth_id``: the booth it is
    shown in (default: its supplier's latest approved booth)."""
    card = (await _cards(session, [product_id])).get(product_id)
    if card is not None and booth_id is not None:
        card = card.model_copy(update={"booth_id": booth_id})
    return card


async def pinned_cards(
    session: AsyncSession, livestreams: Sequence[Livestream]
) -> dict[int, ProductCard]:
    """Each show's pinned product card (by show id; shows without one are left out)."""
    cards = await _cards(
        session, {ls.pinned_product_id for ls in livestreams if ls.pinned_product_id}
    )
    return {
        ls.id: cards[ls.pinned_product_id].model_copy(update={"booth_id": ls.booth_id})
        for ls in livestreams
        if ls.pinned_product_id in cards
    }


async def pinned_card(session: AsyncSession, livestream: Livestream) -> ProductCard | None:
    """The show's pinned product card, or None (nothing pinned, or the product is gone)."""
    return (await pinned_cards(session, [livestream])).get(livestream.id)


async def _set_pinned(
    session: AsyncSession, livestream: Livestream, card: ProductCard | None
) -> None:
    livestream.pinned_product_id = card.id if card else None
    livestream.pinned_at = utcnow() if card else None
    await session.flush()
    await publish(session, livestream.id, "product.pinned",
                  {"pinned": card.model_dump(mode="json") if card else None})


async def pin(
    session: AsyncSession, principal: Principal, livestream_id: int, product_id: int
) -> ProductCard:
    """The host pins one of the supplier's products; everyone in the room sees it."""
    livestream = (await access.hosted(session, principal, livestream_id)).livestream
    if livestream.status == "ended":
        raise LivestreamStatusConflict("The show has ended; nothing can be pinned any more.",
                                       details={"status": livestream.status})
    owned = await repository.supplier_product(session, livestream.supplier_id, product_id)
    card = await product_card(session, product_id, livestream.booth_id) if owned else None
    if card is None:
        raise ProductNotAvailable(details=[{
            "loc": ["body", "product_id"], "msg": ProductNotAvailable.message,
            "type": ProductNotAvailable.code,
        }])
    session.add(LivestreamPin(livestream_id=livestream.id, product_id=product_id,
                              pinned_by_id=principal.user_id))
    await _set_pinned(session, livestream, card)
    await audit_action(session, principal, livestream.id, "livestream.product_pinned",
                       {"product_id": product_id})
    return card


async def unpin(session: AsyncSession, principal: Principal, livestream_id: int) -> None:
    """The host takes the pinned product down (nothing happens if none is pinned)."""
    livestream = (await access.hosted(session, principal, livestream_id)).livestream
    if livestream.pinned_product_id is None:
        return
    product_id = livestream.pinned_product_id
    await _set_pinned(session, livestream, None)
    await audit_action(session, principal, livestream.id, "livestream.product_unpinned",
                       {"product_id": product_id})
