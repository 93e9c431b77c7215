"""Tell the other side's members: a ``user:{id}`` notification, and email for what matters.

Chat messages notify live only; a new negotiation, an offer's move and an order step also
queue an email, since those are what a trader must not miss while away from the screen.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.negotiations import repository
from app.outbox.notify import notify_users

# Email subject and first line per notification kind, English then Chinese.
_EMAIL_TEXT = {
    "negotiation.opened": ("New inquiry", "新询盘"),
    "offer.proposed": ("New offer", "新报价"),
    "offer.countered": ("Counter-offer", "还价"),
    "offer.accepted": ("Offer accepted: order confirmed", "报价已接受，订单已确认"),
    "offer.rejected": ("Offer rejected", "报价被拒绝"),
    "offer.withdrawn": ("Offer withdrawn", "报价已撤回"),
    "order.status_changed": ("Order update", "订单更新"),
}


async def notify_side(
    session: AsyncSession,
    *,
    organization_id: int,
    kind: str,
    negotiation_id: int,
    title: str,
    data: dict[str, Any],
) -> None:
    """Notify every member of ``organization_id`` (the side that did not act)."""
    payload = {"kind": kind, "negotiation_id": negotiation_id, "title": title, **data}
    email: tuple[str, str] | None = None
    if kind in _EMAIL_TEXT:
        english, chinese = _EMAIL_TEXT[kind]
        email = (
            f"{english}: {title}",
            f"{english} in your negotiation about {title} on TradeHall "
            f"(negotiation {negotiation_id}).\n\n"
            f"{chinese}：{title}（洽谈 {negotiation_id}）。\n",
        )
    await notify_users(
        session, await repository.member_contacts(session, organization_id), payload, email
    )
