"""What scoring compares, read from the database: buyers' needs and suppliers' offers.

A supplier's offer is derived when it is scored, from its catalog (products that are not
deleted), its booth in the event (certificates still valid, export markets) and what it added
when registering; so a product listed after registration counts at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.matchmaking import repository
from app.matchmaking.scoring import BuyerNeeds, Interest, Item, Quantity, SupplierOffer, score
from app.models import MatchmakingParticipant, Organization, Product


def _lower(values: list[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v.strip())


def _quantity(value: Decimal | None, unit: str | None) -> Quantity | None:
    if value is None or unit is None:
        return None
    return Quantity(value, unit)


def buyer_needs(participant: MatchmakingParticipant, organization: Organization) -> BuyerNeeds:
    return BuyerNeeds(
        participant_id=participant.id,
        market=participant.destination_market or organization.country,
        languages=frozenset(participant.languages),
        categories=frozenset(participant.categories),
        hs_prefixes=frozenset(participant.hs_codes),
        product_ids=frozenset(participant.product_ids),
        species=_lower(participant.species),
        yearly_volume=_quantity(participant.yearly_volume, participant.volume_unit),
        price_max=participant.price_max,
        currency=participant.currency,
        certifications=frozenset(participant.certifications),
        incoterms=frozenset(participant.incoterms),
        destination_port=participant.destination_port,
    )


def _item(product: Product) -> Item:
    return Item(
        product_id=product.id, name=product.name, category=product.category,
        hs_code=product.hs_code, species=_lower([product.species, product.latin_name]),
        moq=Quantity(product.moq, product.unit),
        monthly_capacity=_quantity(product.monthly_capacity, product.unit),
        price_from=product.price_from, currency=product.currency,
    )


def supplier_offer(
    participant: MatchmakingParticipant, products: list[Product], booth_certs: set[str],
    booth_markets: list[str],
) -> SupplierOffer:
    ports = [p.port_of_loading for p in products if p.port_of_loading] + participant.ports
    return SupplierOffer(
        participant_id=participant.id,
        languages=frozenset(participant.languages),
        items=tuple(_item(p) for p in products),
        categories=frozenset(participant.categories),
        hs_codes=frozenset(participant.hs_codes),
        species=_lower(participant.species),
        certifications=frozenset(participant.certifications) | booth_certs
        | {c for p in products for c in p.certifications},
        incoterms=frozenset(participant.incoterms) | {t for p in products for t in p.incoterms},
        ports=tuple(dict.fromkeys(ports)),
        export_markets=frozenset(participant.export_markets) | frozenset(booth_markets),
        moq=_quantity(participant.moq, participant.moq_unit),
        monthly_capacity=_quantity(participant.monthly_capacity, participant.capacity_unit),
    )


@dataclass
class Profiles:
    """Everything scoring needs about a session's participants."""

    participants: dict[int, MatchmakingParticipant]
    organizations: dict[int, Organization]
    buyers: dict[int, BuyerNeeds]
    suppliers: dict[int, SupplierOffer]
    # (buyer participant id, supplier participant id) → what was said about meeting
    interests: dict[tuple[int, int], Interest]
    # (buyer, supplier) → the open request's id
    request_ids: dict[tuple[int, int], int]

    def score(self, buyer_id: int, supplier_id: int) -> tuple[int, list[dict[str, object]],
                                                             bool, int]:
        result = score(self.buyers[buyer_id], self.suppliers[supplier_id],
                       self.interests.get((buyer_id, supplier_id)))
        return result.value, list(result.reasons), result.is_candidate, result.priority


async def load(
    session: AsyncSession, session_id: int, now: datetime,
    only: list[MatchmakingParticipant] | None = None,
) -> Profiles:
    """The profiles of a session's participants (``only``: just these ones)."""
    rows = only if only is not None else await repository.participants(session, session_id)
    participants = {p.id: p for p in rows}
    organizations = await repository.organizations(session, {p.organization_id for p in rows})
    suppliers = [p for p in rows if p.side == "supplier"]
    products = await repository.live_products(session, {p.organization_id for p in suppliers})
    booth_ids = {p.booth_id for p in suppliers if p.booth_id is not None}
    booths = await repository.booths_by_id(session, booth_ids)
    certs = await repository.booth_schemes(session, booth_ids, now.date())
    interests: dict[tuple[int, int], Interest] = {}
    request_ids: dict[tuple[int, int], int] = {}
    for request in await repository.open_requests(session, session_id):
        if request.status == "pending" and request.expires_at <= now:
            continue
        pair = (request.buyer_id, request.supplier_id)
        interests[pair] = Interest(request.status, request.sender_side)
        request_ids[pair] = request.id
    for mark in await repository.must_meets(session, session_id):
        pair = (mark.buyer_id, mark.supplier_id)
        found = interests.get(pair, Interest())
        interests[pair] = Interest(found.request_status, found.requested_by, must_meet=True)
    return Profiles(
        participants=participants,
        organizations=organizations,
        buyers={p.id: buyer_needs(p, organizations[p.organization_id])
                for p in rows if p.side == "buyer"},
        suppliers={
            p.id: supplier_offer(
                p, products.get(p.organization_id, []),
                certs.get(p.booth_id, set()) if p.booth_id is not None else set(),
                booths[p.booth_id].export_markets
                if p.booth_id is not None and p.booth_id in booths else [],
            )
            for p in suppliers
        },
        interests=interests,
        request_ids=request_ids,
    )
