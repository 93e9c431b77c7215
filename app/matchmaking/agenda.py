"""A participant's agenda: its own meetings, in its own time zone, with partner, reasons and
where to go.

Only the participant's organization reads it (403 ``registration_required`` for an
organization that is not registered, 404 when the session is not visible). Times come as ISO
8601 with the offset of the participant's zone (the zone it registered with), so "09:00" in
Madrid reads as 09:00 there, whatever the event's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.kit.translation import N_
from app.matchmaking import meetings_repository, repository, service
from app.matchmaking.reasons import ENGLISH, Voice, shown
from app.matchmaking.recommendations import partner_read
from app.matchmaking.schemas import AgendaItem, AgendaRead, Reason
from app.models import MatchmakingParticipant, MatchmakingSession, Meeting

TABLE = N_("Table %(number)s")
ONLINE = N_("Online meeting room")


@dataclass
class Agenda:
    """An agenda with the rows it was made from (the calendar export needs both)."""

    read: AgendaRead
    session: MatchmakingSession
    participant: MatchmakingParticipant
    meetings: list[Meeting]


def place(meeting: Meeting, voice: Voice) -> str:
    if meeting.table_number is not None:
        return voice.gettext(TABLE, number=meeting.table_number)
    return voice.gettext(ONLINE)


async def agenda(
    session: AsyncSession, viewer: Principal, session_id: int, voice: Voice = ENGLISH
) -> Agenda:
    loaded = await service.load(session, viewer, session_id)
    me = await service.own_participant(session, viewer, loaded)
    meetings = await meetings_repository.meetings_for(session, loaded.session.id, me.id)
    partner_ids = {m.supplier_id if me.side == "buyer" else m.buyer_id for m in meetings}
    partners = await repository.participants_by_id(session, partner_ids)
    orgs = await repository.organizations(session,
                                          {p.organization_id for p in partners.values()})
    zone = ZoneInfo(me.time_zone)
    items = []
    for m in meetings:
        partner = partners[m.supplier_id if me.side == "buyer" else m.buyer_id]
        items.append(AgendaItem(
            meeting_id=m.id, slot_index=m.slot_index, starts_at=m.starts_at.astimezone(zone),
            ends_at=m.ends_at.astimezone(zone),
            partner=partner_read(partner, orgs[partner.organization_id]),
            table_number=m.table_number, place=place(m, voice), status=m.status,
            score=m.score,
            reasons=[Reason.model_validate(r) for r in shown(m.reasons, me.side, voice)],
        ))
    read = AgendaRead(session_id=loaded.session.id, participant_id=me.id,
                      time_zone=me.time_zone, items=items)
    return Agenda(read, loaded.session, me, meetings)
