"""Order pages: the list, one order with its timeline and next steps, the proforma invoice.

The order service decides everything (app/orders/service.py): who sees an order (404 for a
third organization), which step follows which and whose it is (app/orders/states.py). The
page only offers the viewer's own steps, each with the fields it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.accounts import topics as user_topics
from app.audit import service as audit
from app.errors import AppError
from app.kit.validation import Id
from app.models import Organization
from app.negotiations import service as negotiation_service
from app.orders import service as orders
from app.orders import states
from app.orders.schemas import OrderRead, TransitionCreate
from app.organizations import service as organizations
from app.web import proforma_pdf
from app.web.bank_details_pages import warning_texts
from app.web.exhibition_view import View, ViewDep, form_text, url_with
from app.web.forms import form_errors, parse_form

router = APIRouter(include_in_schema=False)

ORDERS_PER_PAGE = 50
STEP_FIELDS = {
    "deposit_paid": ("payment_reference", "paid_on"),
    "shipped": ("container_number", "bl_number", "etd", "eta"),
    "cancelled": ("reason",),
}


@dataclass
class TimelineEntry:
    action: str
    party: str  # "buyer" | "supplier" | "" (the platform)
    at: datetime
    details: dict[str, Any]


async def _parties(view: View, ids: set[int]) -> dict[int, Organization]:
    return {i: await organizations.get_profile(view.session, i) for i in ids}


@router.get("/orders", response_class=HTMLResponse)
async def order_list(view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _order_list(view, "orders/list.html")


@router.get("/orders/rows", response_class=HTMLResponse)
async def order_rows(view: ViewDep) -> Response:
    """The order list alone: orders.js swaps it in when one of the viewer's orders moves or
    a new one arrives (notifications on ``user:{id}``)."""
    if view.viewer is None:
        return view.login()
    return await _order_list(view, "orders/rows.html")


async def _order_list(view: View, template: str) -> Response:
    assert view.viewer is not None  # noqa: S101 - pages redirect anonymous viewers first
    cursor = view.request.query_params.get("cursor") or None
    # The notifications' position before the list: a step stored after it is replayed to the
    # page's script, which then fetches the list again.
    user_topic_seq = await user_topics.notifications_position(view.session, view.viewer.user_id)
    items, next_cursor = await orders.list_orders(
        view.session, view.viewer, ORDERS_PER_PAGE, cursor
    )
    parties = await _parties(view, {o.buyer_id for o in items} | {o.supplier_id for o in items})
    return view.render(
        template,
        orders=items,
        parties=parties,
        next_url=url_with("/orders", {}, cursor=next_cursor) if next_cursor else None,
        rows_url=url_with("/orders/rows", {}, cursor=cursor),
        user_topic_seq=user_topic_seq,
    )


async def _order(view: View, order_id: int) -> OrderRead:
    assert view.viewer is not None  # noqa: S101 - pages redirect anonymous viewers first
    return await orders.read(
        view.session, view.viewer, await orders.visible(view.session, view.viewer, order_id)
    )


def my_steps(order: OrderRead) -> list[str]:
    """The next steps the viewer's party may take (the other party's are not buttons)."""
    return [
        to for to in order.next_steps
        if states.party_for(order.status, to) in (order.your_side, "either")
    ]


def _bank_warnings(view: View, order: OrderRead) -> list[str]:
    return warning_texts(order.bank_details_warning, view.ctx.gettext,
                         lambda moment: view.ctx.fmt_time(moment, "date"))


async def _timeline(view: View, order: OrderRead) -> list[TimelineEntry]:
    entries = await audit.entries_for(view.session, "order", order.id)

    def party(org_id: int | None) -> str:
        if org_id == order.buyer_id:
            return "buyer"
        return "supplier" if org_id == order.supplier_id else ""

    return [
        TimelineEntry(action=e.action.removeprefix("order."), party=party(e.organization_id),
                      at=e.created_at, details=e.details)
        for e in entries
    ]


async def _order_page(
    view: View, order_id: int, *, step: str | None = None, values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None, step_error: str | None = None, status_code: int = 200,
    template: str = "orders/order.html",
) -> Response:
    assert view.viewer is not None  # noqa: S101
    row = await orders.visible(view.session, view.viewer, order_id)
    # The topic's position, then the order's state: a step stored after that position is
    # replayed to the page's script, which ignores one the page already shows (by version).
    topic_seq = await negotiation_service.topic_position(view.session, row.negotiation_id)
    await view.session.refresh(row)
    order = await orders.read(view.session, view.viewer, row)
    parties = await _parties(view, {order.buyer_id, order.supplier_id})
    return view.render(
        template,
        bank_warnings=_bank_warnings(view, order),
        topic_seq=topic_seq,
        status_code=status_code,
        order=order,
        buyer=parties[order.buyer_id],
        supplier=parties[order.supplier_id],
        timeline=await _timeline(view, order),
        steps=my_steps(order),
        step_fields=STEP_FIELDS,
        failed_step=step,
        values=values or {},
        errors=errors or {},
        step_error=step_error,
    )


@router.get("/orders/{order_id}", response_class=HTMLResponse)
async def order_page(order_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _order_page(view, order_id)


@router.get("/orders/{order_id}/live", response_class=HTMLResponse)
async def order_live(order_id: Id, view: ViewDep) -> Response:
    """The order page's changing parts alone (status, terms, the viewer's steps, timeline):
    order.js swaps them in when the order moves, so one template renders them."""
    if view.viewer is None:
        return view.login()
    return await _order_page(view, order_id, template="orders/live.html")


@router.post("/orders/{order_id}/steps", response_class=HTMLResponse)
async def take_step(order_id: Id, view: ViewDep) -> Response:
    """One step of the lifecycle, at the version the viewer saw (a stale page gets 409)."""
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    await orders.visible(view.session, view.viewer, order_id)
    step = form_text(form, "to")
    values = {name: form_text(form, name) for names in STEP_FIELDS.values() for name in names}
    try:
        data = TransitionCreate.model_validate({
            "to": step, "version": form_text(form, "version") or 0,
            **{k: v or None for k, v in values.items() if k != "reason"},
            "reason": values["reason"],
        })
    except ValidationError as exc:
        return await _order_page(view, order_id, step=step, values=values,
                                 errors=form_errors(exc, view.ctx), status_code=422)
    try:
        await orders.transition(view.session, view.viewer, order_id, data)
    except AppError as exc:
        if exc.status_code not in (403, 409, 422):
            raise
        await view.recover()
        return await _order_page(view, order_id, step=step, values=values,
                                 step_error=view.error_text(exc), status_code=exc.status_code)
    return view.redirect(f"/orders/{order_id}")


@router.get("/orders/{order_id}/proforma", response_class=HTMLResponse)
async def proforma(order_id: Id, view: ViewDep) -> Response:
    """A printable proforma invoice: both parties, lines, totals, Incoterm, payment terms,
    the seller's bank details and any reason to confirm them before paying."""
    if view.viewer is None:
        return view.login()
    order = await _order(view, order_id)
    parties = await _parties(view, {order.buyer_id, order.supplier_id})
    return view.render(
        "orders/proforma.html", order=order, buyer=parties[order.buyer_id],
        supplier=parties[order.supplier_id], bank_warnings=_bank_warnings(view, order),
    )


@router.get("/orders/{order_id}/proforma.pdf")
async def proforma_as_pdf(order_id: Id, view: ViewDep) -> Response:
    """The proforma invoice as a PDF, in the viewer's language (a third party: 404)."""
    if view.viewer is None:
        return view.login()
    content = await proforma_pdf.gather(view.session, view.viewer, order_id,
                                        locale=view.ctx.locale, zone=view.ctx.zone)
    return proforma_pdf.pdf_response(
        await proforma_pdf.render_async(content, view.ctx.settings.pdf_font_path), order_id
    )
