"""Orders: list, read, take a step, record a payment, the proforma invoice as a PDF."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from app.api.deps import CurrentPrincipal, SessionDep, SettingsDep
from app.api.idempotent import IdempotencyKeyHeader, run_idempotent
from app.api.responses import error_responses
from app.kit.pagination import Page, PageDep
from app.kit.timezones import zone_or_utc
from app.kit.validation import Id, UiLocale
from app.orders import service as orders
from app.orders.schemas import OrderRead, PaymentCreate, TransitionCreate
from app.web import proforma_pdf as pdf  # the proforma page's content, translations, formats
from app.web.i18n import negotiate_locale

router = APIRouter(prefix="/orders", tags=["orders"])

_NOT_FOUND = error_responses(404, described={404: "order_not_found"})


@router.get("")
async def list_orders(
    principal: CurrentPrincipal, session: SessionDep, page: PageDep
) -> Page[OrderRead]:
    """Your organization's orders, as buyer or supplier, newest first."""
    items, cursor = await orders.list_orders(session, principal, page.limit, page.cursor)
    return Page(items=items, next_cursor=cursor)


@router.get("/{order_id}", responses=_NOT_FOUND)
async def get_order(order_id: Id, principal: CurrentPrincipal, session: SessionDep) -> OrderRead:
    """An order with its lines, payment milestones and the steps it may take next."""
    return await orders.read(session, principal, await orders.visible(session, principal,
                                                                      order_id))


@router.get(
    "/{order_id}/proforma.pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}},
              "description": "The proforma invoice (parties, lines, totals, terms, the "
                             "seller's bank details and any warning about them)."},
        **_NOT_FOUND,
    },
)
async def proforma_pdf(
    order_id: Id, request: Request, principal: CurrentPrincipal, session: SessionDep,
    settings: SettingsDep,
    lang: Annotated[UiLocale | None, Query(description="en or zh; default: yours")] = None,
) -> Response:
    """The order's proforma invoice as a PDF, in your language (or ``lang``) and time zone.
    Only the buyer's and the supplier's members (404 for anyone else)."""
    locale = negotiate_locale(lang, principal.user.locale,
                              accept_language=request.headers.get("accept-language", ""))
    content = await pdf.gather(session, principal, order_id, locale=locale,
                               zone=zone_or_utc(principal.user.time_zone))
    return pdf.pdf_response(await pdf.render_async(content, settings.pdf_font_path), order_id)


@router.post(
    "/{order_id}/transitions",
    response_model=OrderRead,
    responses=error_responses(403, 404, 409, 422, described={
        403: "not_your_step",
        404: "order_not_found",
        409: "illegal_transition or version_conflict",
        422: "shipping_details_required, invalid_container_number, eta_before_etd, "
             "payment_reference_required, idempotency_key_reused",
    }),
)
async def transition_order(
    order_id: Id, data: TransitionCreate, request: Request, principal: CurrentPrincipal,
    session: SessionDep, idempotency_key: IdempotencyKeyHeader = None,
) -> JSONResponse:
    """Move the order one step (see docs/api.md for who takes which step). Send an
    ``Idempotency-Key`` to retry safely."""

    async def act() -> OrderRead:
        return await orders.transition(session, principal, order_id, data)

    return await run_idempotent(request, session, principal, idempotency_key,
                                data.model_dump(mode="json"), act)


@router.post(
    "/{order_id}/payments/{kind}",
    responses=error_responses(403, 404, 409, described={
        403: "not_your_step", 404: "order_not_found or milestone_not_found",
        409: "milestone_already_paid or version_conflict",
    }),
)
async def record_payment(
    order_id: Id, kind: Literal["deposit", "balance"], data: PaymentCreate,
    principal: CurrentPrincipal, session: SessionDep,
) -> OrderRead:
    """The supplier records that a payment milestone's money arrived."""
    return await orders.record_payment(session, principal, order_id, kind, data)
