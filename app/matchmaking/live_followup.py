"""After a meeting: "continue as negotiation".

The buyer of a meeting opens (or finds) its negotiation with the supplier about the
supplier's booth in the event, with a first message that carries the meeting's context
(session, slot, and what the buyer writes), through the negotiations service and its rules:
only a buyer organization opens negotiations (403 ``buyer_required`` for the supplier side,
who can answer in the negotiation once it exists).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.errors import Conflict
from app.matchmaking import live
from app.matchmaking.live_schemas import NegotiationOpened
from app.negotiations import service as negotiations
from app.negotiations.schemas import MAX_BODY, NegotiationCreate
from app.negotiations.service import BuyerRequired


class SupplierBoothMissing(Conflict):
    code = "supplier_booth_missing"
    message = "The supplier has no booth in this event to negotiate about; write to them there."


async def continue_as_negotiation(
    session: AsyncSession, viewer: Principal, meeting_id: int, note: str
) -> NegotiationOpened:
    """Open the buyer's negotiation with its meeting partner, carrying the meeting's context."""
    seat = await live.seat(session, viewer, meeting_id)
    if seat.side != "buyer":
        raise BuyerRequired()
    booth_id = seat.partner.booth_id
    if booth_id is None:
        raise SupplierBoothMissing()
    meeting, ms = seat.meeting, seat.loaded.session
    context = (f"[Matchmaking: {ms.title}, slot {meeting.slot_index + 1}, "
               f"{meeting.starts_at:%Y-%m-%d %H:%M} UTC]")
    message = f"{context}\n{note.strip()}" if note.strip() else context
    negotiation, created = await negotiations.open_negotiation(
        session, viewer, NegotiationCreate(subject_type="booth", subject_id=booth_id,
                                           message=message[:MAX_BODY]),
    )
    return NegotiationOpened(negotiation_id=negotiation.id, created=created)
