"""Meeting requests between participants, and the organizer's must-meet marks.

Rules: a participant asks one of the other side for a meeting, with a note, while
registration is open (409 ``registration_closed`` after). One open (pending or accepted)
request per pair, whichever side sent it (409 ``meeting_request_exists``). Anti-spam: at most
``request_quota`` pending outgoing requests (409 ``meeting_request_quota``) and
``daily_request_cap`` sent in any 24 hours (429 ``meeting_request_daily_cap`` with
Retry-After). A request expires unanswered after the session's request lifetime, and never
later than the registration deadline, so it never blocks anyone for long; an expired one
cannot be accepted (409 ``meeting_request_expired``). The recipient's organization accepts or
declines, the sender's cancels; each answer is a conditional update, so two racing answers
cannot both win. Requests exist only for the two organizations (404 for anyone else).

An accepted request gives the pair scheduling priority 1; an organizer's must-meet mark,
priority 2.
"""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.errors import NotFound
from app.kit.pagination import cursor_id, encode_cursor
from app.matchmaking import repository, service
from app.matchmaking.errors import (
    MeetingRequestDailyCap,
    MeetingRequestExists,
    MeetingRequestExpired,
    MeetingRequestNotFound,
    MeetingRequestNotPending,
    MeetingRequestQuota,
    MustMeetNotFound,
    NotRecipient,
    NotSender,
    ParticipantNotFound,
    RegistrationClosed,
    field_error,
)
from app.matchmaking.notify import notify_organization
from app.matchmaking.recommendations import partner_read
from app.matchmaking.schemas import (
    MeetingRequestCreate,
    MeetingRequestRead,
    MustMeetCreate,
    MustMeetRead,
)
from app.matchmaking.service import Loaded
from app.models import MatchmakingParticipant, MeetingRequest, MustMeet
from app.models.base import utcnow

DAY = timedelta(hours=24)


async def _read_many(
    session: AsyncSession, viewer: Principal, rows: list[MeetingRequest]
) -> list[MeetingRequestRead]:
    ids = {r.buyer_id for r in rows} | {r.supplier_id for r in rows}
    people = await repository.participants_by_id(session, ids)
    orgs = await repository.organizations(session, {p.organization_id for p in people.values()})
    now = utcnow()
    out = []
    for r in rows:
        buyer, supplier = people[r.buyer_id], people[r.supplier_id]
        sender, recipient = (buyer, supplier) if r.sender_side == "buyer" else (supplier, buyer)
        direction = ("outgoing" if viewer.is_member_of(sender.organization_id)
                     else "incoming" if viewer.is_member_of(recipient.organization_id)
                     else "other")
        expired = r.status == "pending" and r.expires_at <= now
        out.append(MeetingRequestRead(
            id=r.id, session_id=r.session_id,
            sender=partner_read(sender, orgs[sender.organization_id]),
            recipient=partner_read(recipient, orgs[recipient.organization_id]),
            direction=direction,  # type: ignore[arg-type]
            note=r.note, status="expired" if expired else r.status, expires_at=r.expires_at,
            created_at=r.created_at, decided_at=r.decided_at,
        ))
    return out


def _pair(me: MatchmakingParticipant, other: MatchmakingParticipant) -> tuple[int, int]:
    return (me.id, other.id) if me.side == "buyer" else (other.id, me.id)


async def send(
    session: AsyncSession, viewer: Principal, session_id: int, data: MeetingRequestCreate
) -> MeetingRequestRead:
    """Send a request (see the module's rules); the recipient's members are notified."""
    loaded = await service.load(session, viewer, session_id)
    me = await service.own_participant(session, viewer, loaded)
    ms, now = loaded.session, utcnow()
    if "request_meetings" not in service.allowed_actions(ms, now):
        raise RegistrationClosed("Meeting requests close with registration.")
    recipient = await repository.get_participant(session, ms.id, data.recipient_id)
    if recipient is None:
        raise ParticipantNotFound()
    if recipient.side == me.side:
        raise field_error("recipient_id", "Send meeting requests to the other side: buyers to "
                          "suppliers, suppliers to buyers.", "same_side")
    await repository.lock_participant(session, me.id, now)
    await repository.expire_due(session, ms.id, now)
    buyer_id, supplier_id = _pair(me, recipient)
    existing = await repository.open_request(session, buyer_id, supplier_id)
    if existing is not None:
        raise MeetingRequestExists(details={"meeting_request_id": existing.id})
    if await repository.pending_sent(session, me, now) >= ms.request_quota:
        raise MeetingRequestQuota(details={"quota": ms.request_quota})
    sent, oldest = await repository.sent_since(session, me, now - DAY)
    if sent >= ms.daily_request_cap:
        wait = (oldest + DAY - now).total_seconds() if oldest is not None else DAY.total_seconds()
        raise MeetingRequestDailyCap(retry_after=max(1, math.ceil(wait)))
    request = MeetingRequest(
        session_id=ms.id, buyer_id=buyer_id, supplier_id=supplier_id, sender_side=me.side,
        note=data.note, status="pending", created_by_user_id=viewer.user_id, created_at=now,
        expires_at=min(now + timedelta(hours=ms.request_ttl_hours), ms.registration_deadline),
    )
    try:
        async with session.begin_nested():
            session.add(request)
            await session.flush()
    except IntegrityError:
        # The other side asked at the same moment: theirs stands.
        raise MeetingRequestExists() from None
    await notify_organization(
        session, organization_id=recipient.organization_id, kind="meeting_request.received",
        session_id=ms.id, title=ms.title,
        data={"meeting_request_id": request.id, "from_participant_id": me.id},
    )
    await _audit(session, viewer, request, "matchmaking.request_sent")
    return (await _read_many(session, viewer, [request]))[0]


async def _visible_request(
    session: AsyncSession, viewer: Principal, request_id: int
) -> tuple[MeetingRequest, Loaded, MatchmakingParticipant, MatchmakingParticipant]:
    """The request, its session, its sender and recipient, if the caller's org is one of
    the two parties (else 404)."""
    request = await repository.get_request(session, request_id)
    if request is None:
        raise MeetingRequestNotFound()
    try:
        loaded = await service.load(session, viewer, request.session_id)
    except NotFound:
        raise MeetingRequestNotFound() from None
    people = await repository.participants_by_id(session, {request.buyer_id, request.supplier_id})
    buyer, supplier = people[request.buyer_id], people[request.supplier_id]
    sender, recipient = (buyer, supplier) if request.sender_side == "buyer" else (supplier, buyer)
    if not (viewer.is_member_of(sender.organization_id)
            or viewer.is_member_of(recipient.organization_id)):
        raise MeetingRequestNotFound()
    return request, loaded, sender, recipient


async def answer(
    session: AsyncSession, viewer: Principal, request_id: int, to_status: str
) -> MeetingRequestRead:
    """The recipient's organization accepts or declines a pending, unexpired request."""
    request, loaded, sender, recipient = await _visible_request(session, viewer, request_id)
    if not viewer.is_member_of(recipient.organization_id):
        raise NotRecipient()
    now = utcnow()
    decided = await repository.decide_request(
        session, request.id, to_status=to_status, user_id=viewer.user_id, now=now,
        must_be_unexpired=True,
    )
    request = await repository.get_request(session, request_id) or request
    if not decided:
        if request.status == "expired" or (request.status == "pending"
                                           and request.expires_at <= now):
            raise MeetingRequestExpired()
        raise MeetingRequestNotPending(details={"status": request.status})
    await notify_organization(
        session, organization_id=sender.organization_id, kind=f"meeting_request.{to_status}",
        session_id=loaded.session.id, title=loaded.session.title,
        data={"meeting_request_id": request.id, "by_participant_id": recipient.id},
    )
    await _audit(session, viewer, request, f"matchmaking.request_{to_status}")
    return (await _read_many(session, viewer, [request]))[0]


async def cancel(session: AsyncSession, viewer: Principal, request_id: int) -> MeetingRequestRead:
    """The sender's organization withdraws a request still pending."""
    request, _loaded, sender, _recipient = await _visible_request(session, viewer, request_id)
    if not viewer.is_member_of(sender.organization_id):
        raise NotSender()
    now = utcnow()
    if not await repository.decide_request(session, request.id, to_status="cancelled",
                                           user_id=viewer.user_id, now=now,
                                           must_be_unexpired=False):
        request = await repository.get_request(session, request_id) or request
        raise MeetingRequestNotPending(details={"status": request.status})
    request = await repository.get_request(session, request_id) or request
    await _audit(session, viewer, request, "matchmaking.request_cancelled")
    return (await _read_many(session, viewer, [request]))[0]


async def list_own(
    session: AsyncSession, viewer: Principal, session_id: int, direction: str | None,
    status: str | None, limit: int, cursor: str | None,
) -> tuple[list[MeetingRequestRead], str | None]:
    """The caller's organization's requests in the session, newest first."""
    loaded = await service.load(session, viewer, session_id)
    me = await service.own_participant(session, viewer, loaded)
    await repository.expire_due(session, loaded.session.id, utcnow())
    rows = await repository.requests_of(session, me, direction=direction, status=status,
                                        after_id=cursor_id(cursor), limit=limit + 1)
    items = await _read_many(session, viewer, rows[:limit])
    next_cursor = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return items, next_cursor


async def _audit(
    session: AsyncSession, viewer: Principal, request: MeetingRequest, action: str
) -> None:
    await audit.record(
        session, actor_user_id=viewer.user_id, organization_id=viewer.organization_id,
        action=action, subject_type="meeting_request", subject_id=request.id,
        details={"session_id": request.session_id},
    )


# --- must-meet marks (the organizer's) -----------------------------------------------------


def _mark_read(mark: MustMeet) -> MustMeetRead:
    return MustMeetRead(id=mark.id, session_id=mark.session_id, buyer_id=mark.buyer_id,
                        supplier_id=mark.supplier_id, created_at=mark.created_at)


async def list_must_meets(
    session: AsyncSession, viewer: Principal, session_id: int
) -> list[MustMeetRead]:
    loaded = await service.organized(session, viewer, session_id)
    return [_mark_read(m) for m in await repository.must_meets(session, loaded.session.id)]


async def pair_of(
    session: AsyncSession, loaded: Loaded, buyer_id: int, supplier_id: int
) -> tuple[MatchmakingParticipant, MatchmakingParticipant]:
    """A buyer and a supplier participant of the session (404 or 422 ``wrong_side``)."""
    buyer = await repository.get_participant(session, loaded.session.id, buyer_id)
    supplier = await repository.get_participant(session, loaded.session.id, supplier_id)
    if buyer is None or supplier is None:
        raise ParticipantNotFound()
    if buyer.side != "buyer":
        raise field_error("buyer_id", "buyer_id must be a buyer participant.", "wrong_side")
    if supplier.side != "supplier":
        raise field_error("supplier_id", "supplier_id must be a supplier participant.",
                          "wrong_side")
    return buyer, supplier


async def mark_must_meet(
    session: AsyncSession, viewer: Principal, session_id: int, data: MustMeetCreate
) -> tuple[MustMeetRead, bool]:
    """The organizer marks a pair (idempotent: marking it again returns the mark)."""
    loaded = await service.organized(session, viewer, session_id)
    service.require(loaded.session, "edit", utcnow())
    buyer, supplier = await pair_of(session, loaded, data.buyer_id, data.supplier_id)
    existing = await repository.find_must_meet(session, buyer.id, supplier.id)
    if existing is not None:
        return _mark_read(existing), False
    mark = MustMeet(session_id=loaded.session.id, buyer_id=buyer.id, supplier_id=supplier.id,
                    created_by_user_id=viewer.user_id, created_at=utcnow())
    try:
        async with session.begin_nested():
            session.add(mark)
            await session.flush()
    except IntegrityError:
        found = await repository.find_must_meet(session, buyer.id, supplier.id)
        if found is None:
            raise
        return _mark_read(found), False
    return _mark_read(mark), True


async def unmark_must_meet(
    session: AsyncSession, viewer: Principal, session_id: int, mark_id: int
) -> None:
    loaded = await service.organized(session, viewer, session_id)
    service.require(loaded.session, "edit", utcnow())
    mark = await repository.get_must_meet(session, loaded.session.id, mark_id)
    if mark is None:
        raise MustMeetNotFound()
    await session.delete(mark)
    await session.flush()
