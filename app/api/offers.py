"""Offers: read one, and the other side's decisions (accept, reject, counter) or the
proposer's withdrawal."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.api.deps import CurrentPrincipal, SessionDep
from app.api.idempotent import IdempotencyKeyHeader, run_idempotent
from app.api.responses import error_responses
from app.kit.validation import Id
from app.negotiations import offers
from app.negotiations.schemas import OfferCreate, OfferRead
from app.orders import service as orders
from app.orders.schemas import OrderRead

router = APIRouter(prefix="/offers", tags=["offers"])

_DECISION = error_responses(403, 404, 409, described={
    403: "own_offer (accept, reject, counter) or not_your_offer (withdraw)",
    404: "offer_not_found",
    409: "offer_not_open or offer_expired",
})


class AcceptedRead(BaseModel):
    offer: OfferRead
    order: OrderRead


@router.get("/{offer_id}", responses=error_responses(404, described={404: "offer_not_found"}))
async def get_offer(offer_id: Id, principal: CurrentPrincipal, session: SessionDep) -> OfferRead:
    """An offer; a counter-offer lists what it changed (``changes``)."""
    return await offers.get_offer(session, principal, offer_id)


@router.post(
    "/{offer_id}/accept",
    response_model=AcceptedRead,
    responses=error_responses(422, described={
        **{k: v["description"] for k, v in _DECISION.items() if isinstance(k, int)},
        422: "idempotency_key_reused",
    }),
)
async def accept_offer(
    offer_id: Id, request: Request, principal: CurrentPrincipal, session: SessionDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> JSONResponse:
    """The other side accepts: the offer becomes ``accepted`` and exactly one order is
    created with its terms. Send an ``Idempotency-Key`` to retry safely."""

    async def act() -> AcceptedRead:
        offer, order_id = await offers.accept(session, principal, offer_id)
        order = await orders.visible(session, principal, order_id)
        return AcceptedRead(offer=offer, order=await orders.read(session, principal, order))

    return await run_idempotent(request, session, principal, idempotency_key, {}, act)


@router.post("/{offer_id}/reject", responses=_DECISION)
async def reject_offer(
    offer_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> OfferRead:
    return await offers.reject(session, principal, offer_id)


@router.post("/{offer_id}/withdraw", responses=_DECISION)
async def withdraw_offer(
    offer_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> OfferRead:
    return await offers.withdraw(session, principal, offer_id)


@router.post("/{offer_id}/counter", status_code=status.HTTP_201_CREATED,
             responses={**_DECISION, **error_responses(422)})
async def counter_offer(
    offer_id: Id, data: OfferCreate, principal: CurrentPrincipal, session: SessionDep
) -> OfferRead:
    """Answer an open offer with new terms: it becomes ``countered``, the new offer links
    to it (``answers_offer_id``) and lists what changed (``changes``)."""
    return await offers.counter(session, principal, offer_id, data)
