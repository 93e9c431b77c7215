"""Selling from a show: "Ask for a quote", flash offers and their claims, the show's funnel."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.api.deps import CurrentPrincipal, OptionalPrincipal, SessionDep
from app.api.responses import COMMON_ERRORS, error_responses
from app.kit.pagination import Page, PageDep
from app.kit.validation import Id
from app.livestreams import flash, funnel, quotes
from app.livestreams.sales_schemas import (
    FlashClaimCreate,
    FlashClaimRead,
    FlashOfferCreate,
    FlashOfferRead,
    FunnelRead,
    QuoteRequestCreate,
    QuoteRequestRead,
)

router = APIRouter(tags=["livestreams"], responses=error_responses(*COMMON_ERRORS))

_SHOW = "/livestreams/{livestream_id}"
_FLASH = "/flash-offers/{flash_offer_id}"
_FLASH_NOT_FOUND = "flash_offer_not_found"


@router.post(
    f"{_SHOW}/quote-requests", status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 422, described={
        403: "buyer_required", 404: "livestream_not_found",
        409: "livestream_not_live (the show has not started)",
        422: "product_required, product_not_available, invalid_quantity, validation_error",
    }),
)
async def ask_for_quote(
    livestream_id: Id, data: QuoteRequestCreate, principal: CurrentPrincipal,
    session: SessionDep,
) -> QuoteRequestRead:
    """A buyer asks for a quote on the pinned product (or the one named): opens or reuses
    the negotiation with the supplier about it, saying the inquiry came from this show."""
    return await quotes.ask(session, principal, livestream_id, data)


@router.post(
    f"{_SHOW}/flash-offers", status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 422, described={
        403: "livestream_host_required", 404: "livestream_not_found",
        409: "livestream_not_live",
        422: "product_not_available, ends_at_past, ends_at_too_far, an offer rule's code "
             "(invalid_price, price_precision, invalid_quantity, unknown_incoterm, "
             "invalid_deposit), validation_error",
    }),
)
async def publish_flash_offer(
    livestream_id: Id, data: FlashOfferCreate, principal: CurrentPrincipal,
    session: SessionDep,
) -> FlashOfferRead:
    """The host publishes a limited offer in the live show (event ``flash.published``)."""
    return await flash.publish(session, principal, livestream_id, data)


@router.get(f"{_SHOW}/flash-offers",
            responses=error_responses(404, described={404: "livestream_not_found"}))
async def list_flash_offers(
    livestream_id: Id, viewer: OptionalPrincipal, session: SessionDep, page: PageDep
) -> Page[FlashOfferRead]:
    """The show's flash offers, newest first."""
    return await flash.list_flash_offers(session, viewer, livestream_id, page.limit,
                                         page.cursor)


@router.get(_FLASH, responses=error_responses(404, described={404: _FLASH_NOT_FOUND}))
async def get_flash_offer(
    flash_offer_id: Id, viewer: OptionalPrincipal, session: SessionDep
) -> FlashOfferRead:
    return await flash.get_flash_offer(session, viewer, flash_offer_id)


@router.post(f"{_FLASH}/close", responses=error_responses(401, 403, 404, described={
    403: "livestream_host_required", 404: _FLASH_NOT_FOUND,
}))
async def close_flash_offer(
    flash_offer_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> FlashOfferRead:
    """The host closes the offer before its end (closing a closed one changes nothing)."""
    return await flash.close(session, principal, flash_offer_id)


@router.post(
    f"{_FLASH}/claims", status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 422, described={
        403: "buyer_required", 404: _FLASH_NOT_FOUND,
        409: "flash_offer_closed, flash_offer_sold_out (details.remaining), "
             "flash_offer_already_claimed",
        422: "invalid_quantity, validation_error",
    }),
)
async def claim_flash_offer(
    flash_offer_id: Id, data: FlashClaimCreate, principal: CurrentPrincipal,
    session: SessionDep,
) -> FlashClaimRead:
    """A buyer claims units (one claim per organization): the units are reserved, and the
    supplier's offer at the flash price is proposed in the buyer's negotiation about the
    product."""
    return await flash.claim(session, principal, flash_offer_id, data)


@router.get(f"{_SHOW}/funnel", responses=error_responses(401, 403, 404, described={
    403: "livestream_moderator_required", 404: "livestream_not_found",
}))
async def show_funnel(
    livestream_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> FunnelRead:
    """From watching to ordering, for the booth's members and the event's organizer."""
    return await funnel.funnel(session, principal, livestream_id)
