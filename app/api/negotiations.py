"""Negotiations: /negotiations, their messages, read marks and offers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.api.deps import CurrentPrincipal, SessionDep
from app.api.responses import error_responses
from app.errors import InvalidInput
from app.kit.pagination import Page, PageDep
from app.kit.validation import MAX_ID, Id
from app.negotiations import offers
from app.negotiations import service as negotiations
from app.negotiations.quick_replies import QUICK_REPLIES
from app.negotiations.schemas import (
    MessageCreate,
    MessageRead,
    NegotiationCreate,
    NegotiationRead,
    OfferCreate,
    OfferRead,
    QuickReplyRead,
    ReadMark,
    ReadStateRead,
)

router = APIRouter(prefix="/negotiations", tags=["negotiations"])

_NOT_FOUND = error_responses(404, described={404: "negotiation_not_found"})


@router.get("")
async def list_negotiations(
    principal: CurrentPrincipal, session: SessionDep, page: PageDep
) -> Page[NegotiationRead]:
    """Your organization's negotiations, as buyer or supplier, latest activity first, with
    unread counts."""
    items, cursor = await negotiations.list_negotiations(
        session, principal, page.limit, page.cursor
    )
    return Page(items=items, next_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(403, 404, described={
        403: "buyer_required", 404: "subject_not_found",
    }),
)
async def open_negotiation(
    data: NegotiationCreate, principal: CurrentPrincipal, session: SessionDep,
    response: Response,
) -> NegotiationRead:
    """A buyer opens a negotiation about a product or a booth with a first message.

    One negotiation per buyer org × supplier org × subject: opening it again adds the
    message to the existing one and answers 200 instead of 201.
    """
    negotiation, created = await negotiations.open_negotiation(session, principal, data)
    if not created:
        response.status_code = status.HTTP_200_OK
    return await negotiations.get_negotiation(session, principal, negotiation.id)


@router.get("/quick-replies")
async def list_quick_replies(_principal: CurrentPrincipal) -> list[QuickReplyRead]:
    """The quick-reply keys you may send as ``{"quick_reply": key}``, with their English
    text; pages show each one in the reader's language."""
    return [QuickReplyRead(key=key, text=text) for key, text in QUICK_REPLIES.items()]


@router.get("/{negotiation_id}", responses=_NOT_FOUND)
async def get_negotiation(
    negotiation_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> NegotiationRead:
    return await negotiations.get_negotiation(session, principal, negotiation_id)


@router.get(
    "/{negotiation_id}/messages",
    responses=error_responses(404, 422, described={
        404: "negotiation_not_found",
        422: "validation_error (after_seq and before_seq together)",
    }),
)
async def list_messages(
    negotiation_id: Id,
    principal: CurrentPrincipal,
    session: SessionDep,
    after_seq: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    before_seq: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Page[MessageRead]:
    """Messages with seq above ``after_seq``, in order. ``next_cursor`` is the after_seq
    for the next page (null at the end).

    With ``before_seq`` instead (paging back through history): the ``limit`` messages just
    below it, in order; ``next_cursor`` is the before_seq of the next older page (null at
    the first message)."""
    if before_seq is not None and after_seq:
        raise InvalidInput("Give after_seq or before_seq, not both.")
    items, next_after = await negotiations.list_messages(
        session, principal, negotiation_id, after_seq, limit, before_seq=before_seq
    )
    return Page(items=items, next_cursor=None if next_after is None else str(next_after))


@router.post(
    "/{negotiation_id}/messages",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(404, 422, described={
        404: "negotiation_not_found",
        422: "unknown_quick_reply, or validation_error (not exactly one of body or "
             "quick_reply)",
    }),
)
async def post_message(
    negotiation_id: Id, data: MessageCreate, principal: CurrentPrincipal,
    session: SessionDep, response: Response,
) -> MessageRead:
    """Post a text message, or a quick reply by its key. A retry with the same
    ``client_msg_id`` returns the stored message (200) instead of posting it twice."""
    message, created, _ = await negotiations.post_message(
        session, principal, negotiation_id, data.body or "", data.client_msg_id,
        quick_reply=data.quick_reply,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return message


@router.post("/{negotiation_id}/read", responses=_NOT_FOUND)
async def mark_read(
    negotiation_id: Id, data: ReadMark, principal: CurrentPrincipal, session: SessionDep
) -> ReadStateRead:
    """Your organization has read up to ``seq`` (read receipts are per organization)."""
    return await negotiations.mark_read(session, principal, negotiation_id, data.seq)


@router.get("/{negotiation_id}/offers", responses=_NOT_FOUND)
async def list_offers(
    negotiation_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> list[OfferRead]:
    return await offers.list_offers(session, principal, negotiation_id)


@router.post(
    "/{negotiation_id}/offers",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(404, 409, 422, described={
        404: "negotiation_not_found", 409: "offer_already_open",
        422: "validation_error or an offer rule's code (details list every problem)",
    }),
)
async def propose_offer(
    negotiation_id: Id, data: OfferCreate, principal: CurrentPrincipal, session: SessionDep
) -> OfferRead:
    """Either side proposes structured terms; only one offer is open at a time."""
    return await offers.propose(session, principal, negotiation_id, data)
