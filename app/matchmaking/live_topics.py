"""The live day's topics.

``matchmaking:{id}`` (the handler is in topics.py; this module adds to it): right after a
join the caller gets a ``clock`` event and, if its meeting is running, ``meeting.start``;
the action ``broadcast.send`` (``body``) is the organizer's (anyone else: 403
``organizer_required``).

``meeting:{id}`` (durable): a meeting's room, for the members of its two parties only
(anyone else, the organizer included: ``topic_not_found`` at join and at every action).
Chat and shared products are stored in the topic log before they are published, like a
negotiation's thread, so a reconnect or a reload misses nothing and the meeting keeps its
record; a meeting's chat needs no table of its own. Actions: ``chat.send`` (``body``,
optional ``client_msg_id``), ``product.share`` (``product_id``: a product of the meeting's
supplier), ``check_in``, and WebRTC signalling ``rtc.hello``, ``rtc.offer``, ``rtc.answer``
(``sdp``), ``rtc.ice`` (``candidate``): relayed to the other party only, never stored, size
limited; the server never sees media.

``meeting-rtc:{id}.{side}`` (ephemeral): a side's signalling inbox, joined by that side's
members only. Signals go to the other side's inbox, so they reach the other party and no
one else, on every node, without the transport knowing about sides.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.catalog import service as catalog
from app.errors import AppError, InvalidInput
from app.matchmaking import live, live_driver, service
from app.matchmaking.live_clock import CLOCK
from app.realtime.topics import (
    Action,
    ActionContext,
    TopicHandler,
    TopicNotFound,
    TopicRegistry,
    emit,
)

MAX_CHAT = 2000
MAX_SDP = 20_000
MAX_CANDIDATE = 2_000
RTC_KINDS = ("hello", "offer", "answer", "ice")


def _int_id(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 2**31:
        raise TopicNotFound()
    return int(text)


# --- matchmaking:{id} ----------------------------------------------------------------------


def session_after_join(policy: live.Policy) -> Any:
    async def after_join(db: AsyncSession, principal: Principal, topic_id: str
                         ) -> list[tuple[str, dict[str, Any]]]:
        live_driver.wake()  # this node may not be watching the session yet
        now = CLOCK.now()
        loaded = await service.load(db, principal, _int_id(topic_id))
        events: list[tuple[str, dict[str, Any]]] = [
            ("clock", await live.clock_event(db, loaded.session, now, policy))]
        running = await live.running_meeting_of(db, loaded.session, principal.organization_id,
                                                 now)
        if running is not None:
            events.append(("meeting.start", live.start_event(running)))
        return events
    return after_join


async def _broadcast(ctx: ActionContext) -> dict[str, Any]:
    body = ctx.payload.get("body")
    if not isinstance(body, str) or not 0 < len(body.strip()) <= 1000:
        raise InvalidInput("body must be 1 to 1000 characters.", code="invalid_body")
    read = await live.broadcast(ctx.session, ctx.principal, _int_id(ctx.topic_id),
                                body.strip(), CLOCK.now())
    return read.model_dump(mode="json")


def session_actions() -> dict[str, Action]:
    return {"broadcast.send": _broadcast}


# --- meeting:{id} --------------------------------------------------------------------------


async def _party(session: AsyncSession, principal: Principal, topic_id: str) -> live.Seat:
    try:
        return await live.seat(session, principal, _int_id(topic_id))
    except AppError:
        raise TopicNotFound() from None


async def _authorize(session: AsyncSession, principal: Principal, topic_id: str) -> None:
    await _party(session, principal, topic_id)


async def _authorize_action(session: AsyncSession, principal: Principal, topic_id: str,
                            _action: str) -> None:
    await _party(session, principal, topic_id)


def _sender(ctx: ActionContext, seat: live.Seat) -> dict[str, Any]:
    return {"user_id": ctx.principal.user_id, "name": ctx.principal.user.full_name,
            "organization_id": ctx.principal.organization_id, "side": seat.side}


async def _chat(ctx: ActionContext) -> dict[str, Any]:
    body = ctx.payload.get("body")
    if not isinstance(body, str) or not 0 < len(body.strip()) <= MAX_CHAT:
        raise InvalidInput(f"body must be 1 to {MAX_CHAT} characters.", code="invalid_body")
    seat = await _party(ctx.session, ctx.principal, ctx.topic_id)
    live.require_open_room(seat.loaded.session)
    data = {**_sender(ctx, seat), "body": body.strip(), "sent_at": CLOCK.now().isoformat()}
    seq = await ctx.emit("chat.message", data)
    return {"seq": seq, "message": data}


async def _share(ctx: ActionContext) -> dict[str, Any]:
    product_id = ctx.payload.get("product_id")
    if not isinstance(product_id, int) or isinstance(product_id, bool) or not (
            0 < product_id < 2**31):
        raise InvalidInput("product_id must be a product id.", code="invalid_product")
    seat = await _party(ctx.session, ctx.principal, ctx.topic_id)
    live.require_open_room(seat.loaded.session)
    supplier = seat.me if seat.side == "supplier" else seat.partner
    try:
        product = await catalog.get_product(ctx.session, product_id)
    except AppError:
        product = None
    if product is None or product.supplier_id != supplier.organization_id:
        raise InvalidInput("Share a product of this meeting's supplier.",
                           code="product_not_in_catalog")
    shown = product.model_dump(mode="json")  # money and quantities as the API writes them
    card = {
        "product_id": product.id, "name": product.name, "name_zh": product.name_zh,
        "price_from": shown["price_from"], "currency": product.currency,
        "unit": product.unit, "moq": shown["moq"], "incoterms": product.incoterms,
        "certifications": product.certifications, "url": f"/products/{product.id}",
        "image": product.images[0].thumbnail_url if product.images else None,
    }
    seq = await ctx.emit("product.shared", {**_sender(ctx, seat), "product": card})
    return {"seq": seq, "product": card}


def _check_in(policy: live.Policy) -> Action:
    async def check_in(ctx: ActionContext) -> dict[str, Any]:
        read = await live.check_in(ctx.session, ctx.principal, _int_id(ctx.topic_id),
                                   CLOCK.now(), policy)
        return read.model_dump(mode="json")
    return check_in


def _rtc(kind: str) -> Action:
    async def relay(ctx: ActionContext) -> dict[str, Any]:
        seat = await _party(ctx.session, ctx.principal, ctx.topic_id)
        data: dict[str, Any] = {"from_side": seat.side, "from_user_id": ctx.principal.user_id}
        peer = ctx.payload.get("peer")
        if peer is not None:
            if not isinstance(peer, str) or len(peer) > 64:
                raise InvalidInput("peer must be a short string.", code="invalid_signal")
            data["peer"] = peer
        if kind in ("offer", "answer"):
            sdp = ctx.payload.get("sdp")
            if not isinstance(sdp, str) or not 0 < len(sdp) <= MAX_SDP:
                raise InvalidInput(f"sdp must be 1 to {MAX_SDP} characters.",
                                   code="invalid_signal")
            data["sdp"] = sdp
        elif kind == "ice":
            candidate = ctx.payload.get("candidate")
            if not isinstance(candidate, dict) or len(str(candidate)) > MAX_CANDIDATE:
                raise InvalidInput("candidate must be an ICE candidate object.",
                                   code="invalid_signal")
            data["candidate"] = candidate
        other = "supplier" if seat.side == "buyer" else "buyer"
        await emit(ctx.session, topic=f"meeting-rtc:{seat.meeting.id}.{other}",
                   event=f"rtc.{kind}", data=data, durable=False)
        return {"ok": True}
    return relay


# --- meeting-rtc:{id}.{side} ---------------------------------------------------------------


async def _own_inbox(session: AsyncSession, principal: Principal, topic_id: str) -> None:
    meeting_part, _, side = topic_id.partition(".")
    seat = await _party(session, principal, meeting_part)
    if side != seat.side:
        raise TopicNotFound()


def register(registry: TopicRegistry, policy: live.Policy) -> None:
    actions: dict[str, Action] = {"chat.send": _chat, "product.share": _share,
                                  "check_in": _check_in(policy)}
    actions.update({f"rtc.{kind}": _rtc(kind) for kind in RTC_KINDS})
    registry.register(TopicHandler(
        prefix="meeting", authorize_join=_authorize, authorize_action=_authorize_action,
        durable=True, presence=True, actions=actions,
    ))
    registry.register(TopicHandler(prefix="meeting-rtc", authorize_join=_own_inbox))
