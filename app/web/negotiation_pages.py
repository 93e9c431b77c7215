"""Negotiation pages: the list, opening one from a product, the room, and its offer forms.

Thin like the API routers (app/api/negotiations.py, app/api/offers.py): the same services
decide, so authorization is the API's — a negotiation or offer of other organizations is 404.
Every form works without JavaScript (a POST, then a redirect or the page again with its
errors); frontend/static/js/negotiation.js adds the live thread on ``negotiation:{id}`` and
swaps the offer panel (``/negotiations/{id}/offer-panel``) when an offer event arrives.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.catalog import service as catalog
from app.catalog.schemas import ProductRead
from app.errors import AppError, InvalidInput, NotFound
from app.kit.uploads import is_multipart, read_multipart
from app.kit.validation import Id
from app.media.service import FileTooLarge
from app.media.storage import storage_for
from app.models.attachment import MAX_ATTACHMENTS_PER_MESSAGE
from app.models.base import utcnow
from app.negotiations import attachments, offers
from app.negotiations import service as negotiations
from app.negotiations.quick_replies import QUICK_REPLIES, UnknownQuickReply
from app.negotiations.schemas import (
    MAX_BODY,
    NegotiationCreate,
    NegotiationRead,
    OfferCreate,
    OfferRead,
)
from app.negotiations.views import diff
from app.web import offer_form
from app.web.attachment_view import (
    CHOOSE_A_FILE,
    attachment_words,
    file_size,
    thumbnail_size,
)
from app.web.exhibition_view import (
    View,
    ViewDep,
    form_text,
    is_page_error,
    query_int,
    url_with,
)
from app.web.forms import parse_form
from app.web.messages import N_
from app.web.offer_view import THREAD_NOTES, OfferWords

router = APIRouter(include_in_schema=False)

NEGOTIATIONS_PER_PAGE = 50
# The room shows the latest messages; seqs are gapless, so "the last N" is "after seq - N".
MESSAGES_SHOWN = 200
CATALOG_SHOWN = 100
EMPTY_MESSAGE = N_("Write a message first.")
MESSAGE_TOO_LONG = N_("A message has at most %(n)s characters.")
NOT_FROM_THE_PAGE = N_("Send this form from the page, with its file field.")


@router.get("/negotiations", response_class=HTMLResponse)
async def negotiation_list(view: ViewDep) -> Response:
    """The viewer's organization's threads, latest activity first, with unread counts."""
    if view.viewer is None:
        return view.login()
    cursor = view.request.query_params.get("cursor") or None
    items, next_cursor = await negotiations.list_negotiations(
        view.session, view.viewer, NEGOTIATIONS_PER_PAGE, cursor
    )
    return view.render(
        "negotiations/list.html",
        negotiations=items,
        next_url=url_with("/negotiations", {}, cursor=next_cursor) if next_cursor else None,
    )


# --- opening a negotiation from a product ------------------------------------------------------


async def _new_form(
    view: View, product_id: int, values: dict[str, str], errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    product = await catalog.get_product(view.session, product_id)
    return view.render(
        "negotiations/new.html", status_code=status_code, product=product, values=values,
        errors=errors,
    )


@router.get("/negotiations/new", response_class=HTMLResponse)
async def new_negotiation(view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    product_id = query_int(view.request.query_params.get("product"))
    if product_id is None:
        raise NotFound()
    if view.organization_kind != "buyer":
        raise negotiations.BuyerRequired()
    return await _new_form(view, product_id, {}, {})


@router.post("/negotiations/new", response_class=HTMLResponse)
async def open_negotiation(view: ViewDep) -> Response:
    """The buyer's first message opens the thread (or adds to the one already open)."""
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    product_id = query_int(form_text(form, "product"))
    if product_id is None:
        raise NotFound()
    values = {name: form_text(form, name) for name in ("message", "quantity", "target_price")}
    try:
        data = NegotiationCreate.model_validate({
            "subject_type": "product", "subject_id": product_id,
            "message": values["message"],
            "quantity": values["quantity"] or None,
            "target_price": values["target_price"] or None,
        })
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "message"
            if name != "message":
                errors.setdefault(name, view._(offer_form.NOT_A_NUMBER))
            elif error["type"] == "string_too_long":
                errors.setdefault(name, view._(MESSAGE_TOO_LONG, n=MAX_BODY))
            else:
                errors.setdefault(name, view._(EMPTY_MESSAGE))
        return await _new_form(view, product_id, values, errors, status_code=422)
    negotiation, _created = await negotiations.open_negotiation(view.session, view.viewer, data)
    return view.redirect(f"/negotiations/{negotiation.id}")


# --- the room ------------------------------------------------------------------------------


async def _panel(
    view: View, negotiation: NegotiationRead, *, composer: offer_form.OfferForm | None = None,
    offer_error: str | None = None,
) -> dict[str, Any]:
    """What the offer panel shows: every offer (newest first) with the diff of each counter,
    what the viewer may do with the open one, and the composer when they may propose."""
    assert view.viewer is not None  # noqa: S101 - pages redirect anonymous viewers first
    now = utcnow()
    all_offers = await offers.list_offers(view.session, view.viewer, negotiation.id)
    by_id = {o.id: o for o in all_offers}
    changes = {
        o.id: diff(by_id[o.answers_offer_id], o)
        for o in all_offers if o.answers_offer_id in by_id
    }
    mine = view.viewer.organization_id
    open_offer = next((o for o in all_offers if o.status == "proposed"), None)
    theirs_open = open_offer is not None and open_offer.proposed_by_org_id != mine
    products = await catalog.list_products(
        view.session, negotiation.supplier.id, limit=CATALOG_SHOWN, before_id=None
    )
    if composer is None:
        if open_offer is None:
            composer = offer_form.empty_form(
                view.ctx.zone, now, _default_currency(negotiation, all_offers, products)
            )
        elif theirs_open:
            composer = offer_form.form_of(open_offer, view.ctx.zone)
    return {
        "offers": list(reversed(all_offers)),
        "changes": changes,
        "open_offer": open_offer,
        "theirs_open": theirs_open,
        "composer": composer if open_offer is None or theirs_open else None,
        "catalog": products,
        "offer_error": offer_error,
        "my_org": mine,
        "w": OfferWords(view.x, view._, view.ctx.fmt_time),
    }


def _default_currency(
    negotiation: NegotiationRead, all_offers: list[OfferRead], products: list[ProductRead]
) -> str:
    """The last offer's currency, else the product's the thread is about, else USD."""
    if all_offers:
        return all_offers[-1].currency
    subject = next((p for p in products if negotiation.subject_type == "product"
                    and p.id == negotiation.subject_id), None)
    return subject.currency if subject is not None else "USD"


async def _room(
    view: View, negotiation_id: int, *, composer: offer_form.OfferForm | None = None,
    offer_error: str | None = None, message_value: str = "", message_error: str | None = None,
    attach_error: str | None = None, status_code: int = 200,
) -> Response:
    assert view.viewer is not None  # noqa: S101
    negotiation = await negotiations.get_negotiation(view.session, view.viewer, negotiation_id)
    if negotiation.unread_count and status_code == 200:
        # The thread is on screen: the viewer's organization has read it.
        await negotiations.mark_read(
            view.session, view.viewer, negotiation.id, negotiation.last_message_seq
        )
    # The topic's position is read before the messages: whatever is stored after it is
    # replayed on join, and the script skips a message it already shows (same seq).
    topic_seq = await negotiations.topic_position(view.session, negotiation.id)
    messages, _ = await negotiations.list_messages(
        view.session, view.viewer, negotiation.id,
        max(0, negotiation.last_message_seq - MESSAGES_SHOWN), MESSAGES_SHOWN,
    )
    panel = await _panel(view, negotiation, composer=composer, offer_error=offer_error)
    return view.render(
        "negotiations/room.html",
        status_code=status_code,
        negotiation=negotiation,
        messages=messages,
        topic_seq=topic_seq,
        earlier_hidden=negotiation.last_message_seq > MESSAGES_SHOWN,
        message_value=message_value,
        message_error=message_error,
        thread_notes={key: view._(text, party="{party}", offer="{offer}")
                      for key, text in THREAD_NOTES.items()},
        # In the viewer's language: the page and the live script show a quick reply by key.
        quick_replies={key: view._(text) for key, text in QUICK_REPLIES.items()},
        attach_error=attach_error,
        attach_words=attachment_words(view._),
        file_size=lambda n: file_size(n, view.ctx.locale),
        thumbnail_size=thumbnail_size,
        max_files=MAX_ATTACHMENTS_PER_MESSAGE,
        max_file_bytes=attachments.MAX_ATTACHMENT_BYTES,
        **panel,
    )


@router.get("/negotiations/{negotiation_id}", response_class=HTMLResponse)
async def room(negotiation_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _room(view, negotiation_id)


@router.get("/negotiations/{negotiation_id}/offer-panel", response_class=HTMLResponse)
async def offer_panel(negotiation_id: Id, view: ViewDep) -> Response:
    """The offer panel alone: the room's script swaps it in when an offer event arrives."""
    if view.viewer is None:
        return view.login()
    negotiation = await negotiations.get_negotiation(view.session, view.viewer, negotiation_id)
    panel = await _panel(view, negotiation)
    return view.render("negotiations/offer_panel.html", negotiation=negotiation, **panel)


@router.post("/negotiations/{negotiation_id}/messages", response_class=HTMLResponse)
async def send_message(negotiation_id: Id, view: ViewDep) -> Response:
    """Sending without JavaScript: the same service as the topic's ``message.send``."""
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    body = form_text(form, "body")
    await negotiations.visible(view.session, view.viewer, negotiation_id)
    quick_reply = form_text(form, "quick_reply")
    if quick_reply:
        # A quick-reply button: the key is the whole message.
        try:
            await negotiations.post_message(view.session, view.viewer, negotiation_id, "",
                                            quick_reply=quick_reply)
        except UnknownQuickReply as exc:
            await view.recover()
            return await _room(view, negotiation_id, message_error=view.error_text(exc),
                               status_code=422)
        return view.redirect(f"/negotiations/{negotiation_id}#compose")
    if not body or len(body) > MAX_BODY:
        error = view._(EMPTY_MESSAGE) if not body else view._(MESSAGE_TOO_LONG, n=MAX_BODY)
        return await _room(view, negotiation_id, message_value=body, message_error=error,
                           status_code=422)
    await negotiations.post_message(view.session, view.viewer, negotiation_id, body)
    return view.redirect(f"/negotiations/{negotiation_id}#compose")


@router.post("/negotiations/{negotiation_id}/attachments", response_class=HTMLResponse)
async def send_files(negotiation_id: Id, view: ViewDep) -> Response:
    """Sending files without JavaScript (the script sends them to the API, with progress):
    the same service, so the same checks."""
    if view.viewer is None:
        return view.login()
    await negotiations.visible(view.session, view.viewer, negotiation_id)
    try:
        if not is_multipart(view.request):
            raise InvalidInput(NOT_FROM_THE_PAGE, code="invalid_multipart")
        upload = await read_multipart(
            view.request, file_field="file", max_files=MAX_ATTACHMENTS_PER_MESSAGE,
            limit_each=attachments.MAX_ATTACHMENT_BYTES, too_large=FileTooLarge(),
            too_many=attachments.TooManyAttachments(),
        )
        view.ctx.require_csrf(upload.fields.get("csrf_token"))
        # A file field left empty still sends a part: a part without name or bytes.
        files = [f for f in upload.files if f.name or f.data]
        if not files:
            return await _room(view, negotiation_id, attach_error=view._(CHOOSE_A_FILE),
                               status_code=422)
        await attachments.send(
            view.session, storage_for(view.ctx.settings), view.viewer, negotiation_id, files,
            counter=view.request.app.state.counter,
        )
    except AppError as exc:
        if not (is_page_error(exc) or exc.status_code == 429):
            raise
        await view.recover()
        return await _room(view, negotiation_id, attach_error=view.error_text(exc),
                           status_code=exc.status_code)
    return view.redirect(f"/negotiations/{negotiation_id}#compose")


# --- offers --------------------------------------------------------------------------------


async def _submit_offer(view: View, negotiation_id: int, answers: int | None) -> Response:
    assert view.viewer is not None  # noqa: S101
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    await negotiations.visible(view.session, view.viewer, negotiation_id)
    composer = offer_form.read_form(form)
    body = offer_form.payload(composer, view.ctx.zone)
    if body is None:
        composer.errors = {k: view._(v) for k, v in composer.errors.items()}
        return await _room(view, negotiation_id, composer=composer, status_code=422)
    try:
        data = OfferCreate.model_validate(body)
    except ValidationError as exc:
        composer.errors = offer_form.validation_errors(composer, exc, view._)
        return await _room(view, negotiation_id, composer=composer, status_code=422)
    try:
        if answers is None:
            await offers.propose(view.session, view.viewer, negotiation_id, data)
        else:
            await offers.counter(view.session, view.viewer, answers, data)
    except AppError as exc:
        if exc.status_code not in (403, 409, 422):
            raise
        await view.recover()
        if exc.status_code == 422:
            composer.errors = offer_form.service_errors(composer, exc, view._)
            return await _room(view, negotiation_id, composer=composer, status_code=422)
        return await _room(view, negotiation_id, offer_error=view.error_text(exc),
                           status_code=exc.status_code)
    return view.redirect(f"/negotiations/{negotiation_id}#offers")


@router.post("/negotiations/{negotiation_id}/offers", response_class=HTMLResponse)
async def propose_offer(negotiation_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _submit_offer(view, negotiation_id, None)


async def _offer_of(view: View, negotiation_id: int, offer_id: int) -> None:
    """404 unless the offer is the viewer's and belongs to this negotiation."""
    assert view.viewer is not None  # noqa: S101
    offer = await offers.get_offer(view.session, view.viewer, offer_id)
    if offer.negotiation_id != negotiation_id:
        raise offers.OfferNotFound()


@router.post("/negotiations/{negotiation_id}/offers/{offer_id}/counter",
             response_class=HTMLResponse)
async def counter_offer(negotiation_id: Id, offer_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    await _offer_of(view, negotiation_id, offer_id)
    return await _submit_offer(view, negotiation_id, offer_id)


@router.post("/negotiations/{negotiation_id}/offers/{offer_id}/{decision}",
             response_class=HTMLResponse)
async def decide_offer(negotiation_id: Id, offer_id: Id, decision: str,
                       view: ViewDep) -> Response:
    """Accept, reject or withdraw; accepting opens the order it created."""
    if view.viewer is None:
        return view.login()
    if decision not in ("accept", "reject", "withdraw"):
        raise NotFound()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    await _offer_of(view, negotiation_id, offer_id)
    try:
        if decision == "accept":
            _offer, order_id = await offers.accept(view.session, view.viewer, offer_id)
            return view.redirect(f"/orders/{order_id}")
        if decision == "reject":
            await offers.reject(view.session, view.viewer, offer_id)
        else:
            await offers.withdraw(view.session, view.viewer, offer_id)
    except AppError as exc:
        if exc.status_code not in (403, 409):
            raise
        await view.recover()
        return await _room(view, negotiation_id, offer_error=view.error_text(exc),
                           status_code=exc.status_code)
    return view.redirect(f"/negotiations/{negotiation_id}#offers")

