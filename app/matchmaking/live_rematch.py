"""Re-matching a party left alone by a no-show into the next slot, live.

When the sweep marks a meeting as a no-show, each party that did check in is offered up to
three partners of the other side for the **next** slot: participants free then (no meeting
in that slot), available, under their meeting limits, never met before, and a candidate
pair by the same scoring as the scheduler. Those who were left alone by a no-show of their
own come first, then the best scores. The current slot is not offered: the no-show meeting
keeps its place in it (it is the record of what happened), and a participant has one
meeting per slot.

The offer is a ``meeting.rematch_offer`` notification on each member's ``user:{id}``
(durable: a lobby opened later still gets it). Accepting re-checks every rule under the
session's write lock, exactly as the organizer's hand edits do (``meetings._Board.check``),
so two acceptances racing for the same partner or slot place one meeting; the other gets
409 with the rule's code. The new meeting is the organizer's kind (``source='organizer'``):
the platform arranges it on the organizer's behalf, and both parties are notified.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.errors import AppError, Conflict
from app.matchmaking import live, meetings_repository, repository, service
from app.matchmaking.errors import MeetingRuleViolated, ParticipantNotFound
from app.matchmaking.live_repository import NoShow
from app.matchmaking.live_schemas import RematchOption
from app.matchmaking.meetings import _board, meeting_reads
from app.matchmaking.notify import notify_organization
from app.matchmaking.profiles import load as load_profiles
from app.matchmaking.recommendations import partner_read
from app.matchmaking.schemas import MeetingRead
from app.matchmaking.service import Loaded
from app.models import MatchmakingParticipant, Meeting

MAX_OPTIONS = 3


class RematchNotOffered(Conflict):
    code = "rematch_not_offered"
    message = (
        "No re-match is open for this meeting: only a party that checked in to a meeting "
        "its partner missed can be re-matched, before the next slot is under way."
    )


class NotACandidate(Conflict):
    code = "rematch_not_candidate"
    message = "This participant is not a match for you; choose one of the offered partners."


async def _options(
    session: AsyncSession, loaded: Loaded, me: MatchmakingParticipant, slot_index: int,
    freed: set[int], now: datetime, grace: timedelta,
) -> list[RematchOption]:
    board = await _board(session, loaded)
    slot = board.slots.get(slot_index)
    if slot is None or now >= slot.starts_at + grace:
        return []
    other_side = "supplier" if me.side == "buyer" else "buyer"
    busy = {m.buyer_id if other_side == "buyer" else m.supplier_id
            for m in board.meetings if m.slot_index == slot_index}
    others = [p for p in await repository.participants(session, loaded.session.id,
                                                       side=other_side)
              if p.id not in busy]
    found = await load_profiles(session, loaded.session.id, now, only=[me, *others])
    ranked: list[tuple[bool, int, MatchmakingParticipant]] = []
    for other in others:
        buyer, supplier = (me, other) if me.side == "buyer" else (other, me)
        value, _reasons, candidate, _priority = found.score(buyer.id, supplier.id)
        if not candidate:
            continue
        try:
            board.check(buyer, supplier, slot_index, set(), new_pair=True)
        except MeetingRuleViolated:
            continue
        ranked.append((other.id in freed, value, other))
    ranked.sort(key=lambda r: (not r[0], -r[1], r[2].id))
    chosen = ranked[:MAX_OPTIONS]
    orgs = await repository.organizations(session, {p.organization_id for _, _, p in chosen})
    return [RematchOption(partner=partner_read(p, orgs[p.organization_id]),
                          slot_index=slot.index, starts_at=slot.starts_at,
                          ends_at=slot.ends_at, score=value)
            for _, value, p in chosen]


async def offer(session: AsyncSession, no_shows: list[NoShow], now: datetime,
                grace: timedelta) -> None:
    """Offer re-matches to every party that came to a meeting just marked as a no-show."""
    if not no_shows:
        return
    try:
        context = await service.load(session, None, no_shows[0].session_id)
    except AppError:
        return  # the session or its event is gone
    ms = context.session
    # Parties left alone in this slot, on either side: they come first in each other's lists.
    freed = {n.buyer_id for n in no_shows if n.buyer_came}
    freed |= {n.supplier_id for n in no_shows if n.supplier_came}
    people = await repository.participants_by_id(session, freed)
    for no_show in no_shows:
        for present_id in [p for p, came in ((no_show.buyer_id, no_show.buyer_came),
                                             (no_show.supplier_id, no_show.supplier_came))
                           if came]:
            me = people[present_id]
            options = await _options(session, context, me, no_show.slot_index + 1, freed, now,
                                     grace)
            await notify_organization(
                session, organization_id=me.organization_id, kind="meeting.rematch_offer",
                session_id=ms.id, title=ms.title,
                data={"meeting_id": no_show.meeting_id, "participant_id": me.id,
                      "options": [o.model_dump(mode="json") for o in options]},
            )


async def _present_at_no_show(
    session: AsyncSession, viewer: Principal, meeting_id: int
) -> live.Seat:
    found = await live.seat(session, viewer, meeting_id)
    came = (found.meeting.buyer_checked_in_at if found.side == "buyer"
            else found.meeting.supplier_checked_in_at)
    if found.meeting.status != "no_show" or came is None:
        raise RematchNotOffered()
    return found


async def options_for(
    session: AsyncSession, viewer: Principal, meeting_id: int, now: datetime,
    grace: timedelta,
) -> list[RematchOption]:
    """The re-match options open to the caller for a meeting its partner missed."""
    found = await _present_at_no_show(session, viewer, meeting_id)
    freed = {m.buyer_id if found.side == "supplier" else m.supplier_id
             for m in await _other_no_shows(session, found.meeting)}
    return await _options(session, found.loaded, found.me, found.meeting.slot_index + 1,
                          freed, now, grace)


async def _other_no_shows(session: AsyncSession, meeting: Meeting) -> list[Meeting]:
    """The other no-shows of the same slot where the partner side came."""
    rows = await meetings_repository.list_meetings(
        session, meeting.session_id, participant_id=None, slot_index=meeting.slot_index,
        status="no_show", after_id=None, limit=10_000,
    )
    return [m for m in rows if m.id != meeting.id
            and (m.buyer_checked_in_at is not None or m.supplier_checked_in_at is not None)]


async def accept(
    session: AsyncSession, viewer: Principal, meeting_id: int, partner_id: int, now: datetime,
    grace: timedelta,
) -> MeetingRead:
    """Place the caller and an offered partner in the next slot (rules: module docstring)."""
    found = await _present_at_no_show(session, viewer, meeting_id)
    if found.loaded.session.status != "live":
        raise live.SessionNotLive()
    await meetings_repository.lock_session(session, found.loaded.session.id)
    other = await repository.get_participant(session, found.loaded.session.id, partner_id)
    if other is None or other.side == found.me.side:
        raise ParticipantNotFound()
    buyer, supplier = (found.me, other) if found.side == "buyer" else (other, found.me)
    board = await _board(session, found.loaded)
    slot = board.slots.get(found.meeting.slot_index + 1)
    if slot is None or now >= slot.starts_at + grace:
        raise RematchNotOffered()
    board.check(buyer, supplier, slot.index, set(), new_pair=True)
    profiles = await load_profiles(session, found.loaded.session.id, now,
                                   only=[buyer, supplier])
    value, reasons, candidate, priority = profiles.score(buyer.id, supplier.id)
    if not candidate:
        raise NotACandidate()
    meeting = Meeting(
        session_id=found.loaded.session.id, buyer_id=buyer.id, supplier_id=supplier.id,
        slot_index=slot.index, starts_at=slot.starts_at, ends_at=slot.ends_at,
        table_number=board.table_for(slot.index, set()), status="scheduled", locked=True,
        source="organizer", score=value, priority=priority, reasons=reasons, sequence=0,
        created_at=now,
    )
    await meetings_repository.insert_meetings(session, [meeting])
    ms = found.loaded.session
    for person in (buyer, supplier):
        await notify_organization(
            session, organization_id=person.organization_id, kind="meeting.rematched",
            session_id=ms.id, title=ms.title,
            data={"meeting_id": meeting.id, "participant_id": person.id,
                  "slot_index": slot.index, "starts_at": slot.starts_at.isoformat()},
        )
    await audit.record(
        session, actor_user_id=viewer.user_id, organization_id=viewer.organization_id,
        action="matchmaking.meeting_rematched", subject_type="matchmaking_meeting",
        subject_id=meeting.id, details={"session_id": ms.id, "no_show_meeting_id":
                                        found.meeting.id, "slot_index": slot.index},
    )
    await live.emit_stats(session, ms.id)
    return (await meeting_reads(session, [meeting], found.side))[0]
