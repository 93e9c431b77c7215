"""The show's funnel, for its moderators (the booth's members and the event's organizer):
from watching to ordering.

- ``peak_viewers`` and ``likes``: the show's own counters (kept by the room's nodes).
- ``unique_viewers``: signed-in users who joined the room at least once.
- ``chat_messages``: every line sent, deleted ones included: the funnel measures how much
  the audience talked, not what is still shown.
- ``product_pins``: each time the host pinned a product (re-pinning counts again).
- ``quote_requests``, ``flash_claims``, ``flash_units_claimed`` (the sum over every flash
  offer, in their own units).
- ``negotiations_opened``: distinct negotiations the show's quote requests and claims
  started; ``negotiations_reached``: distinct negotiations they went to, started or reused.
- ``orders`` and ``order_value`` (per currency): orders made in those negotiations after
  the show first led to each one (an order that was already there does not count).

Two statements whatever the show's size: the counters, and the orders by currency.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.livestreams import access
from app.livestreams import sales_repository as repository
from app.livestreams.errors import LivestreamNotFound
from app.livestreams.sales_schemas import FunnelRead, MoneyTotal


async def funnel(session: AsyncSession, principal: Principal, livestream_id: int) -> FunnelRead:
    """The show's funnel; 404 for whoever cannot see the show, 403
    ``livestream_moderator_required`` for other viewers."""
    show = (await access.moderated(session, principal, livestream_id)).livestream
    counts = await repository.funnel_counts(session, show.id)
    if counts is None:
        raise LivestreamNotFound()
    by_currency = await repository.funnel_orders(session, show.id)
    return FunnelRead(
        livestream_id=show.id,
        peak_viewers=int(counts["peak_viewers"]),
        likes=int(counts["like_count"]),
        unique_viewers=int(counts["unique_viewers"]),
        chat_messages=int(counts["chat_messages"]),
        product_pins=int(counts["product_pins"]),
        quote_requests=int(counts["quote_requests"]),
        flash_claims=int(counts["flash_claims"]),
        flash_units_claimed=Decimal(counts["flash_units_claimed"]),
        negotiations_opened=int(counts["negotiations_opened"]),
        negotiations_reached=int(counts["negotiations_reached"]),
        orders=sum(n for _, n, _ in by_currency),
        order_value=[MoneyTotal(currency=c, orders=n, total=t) for c, n, t in by_currency],
    )
