"""Queries for matchmaking sessions, slots, participants, what they offer, and requests.

Meetings and scheduling jobs have theirs in ``meetings_repository.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.matchmaking.slots import Interval, Slot
from app.models import (
    Booth,
    BoothCertification,
    MatchmakingAvailability,
    MatchmakingParticipant,
    MatchmakingSession,
    MatchmakingSlot,
    MeetingRequest,
    Membership,
    MustMeet,
    Organization,
    Product,
    User,
)

OPEN_REQUEST_STATUSES = ("pending", "accepted")


def rowcount(result: Any) -> int:
    return int(result.rowcount)


# --- sessions and slots --------------------------------------------------------------------


async def get_session(
    session: AsyncSession, session_id: int, *, for_update: bool = False
) -> MatchmakingSession | None:
    """The session; ``for_update`` takes its row lock (PostgreSQL) until the transaction
    ends, which serializes what must not interleave (two schedule requests)."""
    query = select(MatchmakingSession).where(MatchmakingSession.id == session_id)
    if for_update:
        query = query.with_for_update()
    result: MatchmakingSession | None = await session.scalar(
        query.execution_options(populate_existing=True)
    )
    return result


async def list_sessions(
    session: AsyncSession, event_id: int, after_id: int | None, limit: int
) -> list[MatchmakingSession]:
    query = select(MatchmakingSession).where(MatchmakingSession.event_id == event_id)
    if after_id is not None:
        query = query.where(MatchmakingSession.id > after_id)
    return list(await session.scalars(query.order_by(MatchmakingSession.id).limit(limit)))


async def replace_slots(session: AsyncSession, session_id: int, slots: Sequence[Slot]) -> None:
    await session.execute(delete(MatchmakingSlot).where(MatchmakingSlot.session_id == session_id))
    session.add_all(
        MatchmakingSlot(session_id=session_id, slot_index=s.index, starts_at=s.starts_at,
                        ends_at=s.ends_at)
        for s in slots
    )
    await session.flush()


async def slots_of(session: AsyncSession, session_id: int) -> list[Slot]:
    rows = await session.scalars(
        select(MatchmakingSlot).where(MatchmakingSlot.session_id == session_id)
        .order_by(MatchmakingSlot.slot_index)
    )
    return [Slot(r.slot_index, r.starts_at, r.ends_at) for r in rows]


async def move_status(
    session: AsyncSession, session_id: int, from_statuses: Sequence[str], to_status: str,
    now: datetime,
) -> bool:
    """Change the status only from one of ``from_statuses``: the guard under races."""
    result = await session.execute(
        update(MatchmakingSession)
        .where(MatchmakingSession.id == session_id,
               MatchmakingSession.status.in_(from_statuses))
        .values(status=to_status, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


async def side_counts(
    session: AsyncSession, session_ids: Sequence[int]
) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {i: {"buyer": 0, "supplier": 0} for i in session_ids}
    if session_ids:
        rows = await session.execute(
            select(MatchmakingParticipant.session_id, MatchmakingParticipant.side, func.count())
            .where(MatchmakingParticipant.session_id.in_(session_ids))
            .group_by(MatchmakingParticipant.session_id, MatchmakingParticipant.side)
        )
        for session_id, side, count in rows:
            counts[int(session_id)][str(side)] = int(count)
    return counts


# --- participants --------------------------------------------------------------------------


async def participant_of(
    session: AsyncSession, session_id: int, organization_id: int
) -> MatchmakingParticipant | None:
    result: MatchmakingParticipant | None = await session.scalar(
        select(MatchmakingParticipant).where(
            MatchmakingParticipant.session_id == session_id,
            MatchmakingParticipant.organization_id == organization_id,
        )
    )
    return result


async def participant_ids_of(
    session: AsyncSession, session_ids: Sequence[int], organization_id: int
) -> dict[int, int]:
    """session id → the organization's participant id there."""
    if not session_ids:
        return {}
    rows = await session.execute(
        select(MatchmakingParticipant.session_id, MatchmakingParticipant.id).where(
            MatchmakingParticipant.session_id.in_(session_ids),
            MatchmakingParticipant.organization_id == organization_id,
        )
    )
    return {int(s): int(p) for s, p in rows}


async def get_participant(
    session: AsyncSession, session_id: int, participant_id: int
) -> MatchmakingParticipant | None:
    result: MatchmakingParticipant | None = await session.scalar(
        select(MatchmakingParticipant).where(
            MatchmakingParticipant.id == participant_id,
            MatchmakingParticipant.session_id == session_id,
        )
    )
    return result


async def participants(
    session: AsyncSession, session_id: int, *, side: str | None = None,
    after_id: int | None = None, limit: int | None = None,
) -> list[MatchmakingParticipant]:
    query = select(MatchmakingParticipant).where(MatchmakingParticipant.session_id == session_id)
    if side is not None:
        query = query.where(MatchmakingParticipant.side == side)
    if after_id is not None:
        query = query.where(MatchmakingParticipant.id > after_id)
    query = query.order_by(MatchmakingParticipant.id)
    if limit is not None:
        query = query.limit(limit)
    return list(await session.scalars(query))


async def participants_by_id(
    session: AsyncSession, ids: set[int]
) -> dict[int, MatchmakingParticipant]:
    if not ids:
        return {}
    return {p.id: p for p in await session.scalars(
        select(MatchmakingParticipant).where(MatchmakingParticipant.id.in_(ids))
    )}


async def lock_participant(session: AsyncSession, participant_id: int, now: datetime) -> None:
    """Take the participant's row lock: one participant's requests are sent one at a time,
    so its quota counts cannot be overtaken by a concurrent send."""
    await session.execute(
        update(MatchmakingParticipant).where(MatchmakingParticipant.id == participant_id)
        .values(updated_at=now).execution_options(synchronize_session=False)
    )


async def replace_availability(
    session: AsyncSession, participant_id: int, intervals: Sequence[Interval]
) -> None:
    await session.execute(
        delete(MatchmakingAvailability)
        .where(MatchmakingAvailability.participant_id == participant_id)
    )
    session.add_all(
        MatchmakingAvailability(participant_id=participant_id, starts_at=start, ends_at=end)
        for start, end in intervals
    )
    await session.flush()


async def availability_of(
    session: AsyncSession, participant_ids: Sequence[int]
) -> dict[int, list[Interval]]:
    found: dict[int, list[Interval]] = defaultdict(list)
    if participant_ids:
        rows = await session.execute(
            select(MatchmakingAvailability.participant_id, MatchmakingAvailability.starts_at,
                   MatchmakingAvailability.ends_at)
            .where(MatchmakingAvailability.participant_id.in_(participant_ids))
            .order_by(MatchmakingAvailability.participant_id, MatchmakingAvailability.starts_at)
        )
        for participant_id, start, end in rows:
            found[int(participant_id)].append((start, end))
    return found


async def availability_in_session(
    session: AsyncSession, session_id: int
) -> dict[int, list[Interval]]:
    found: dict[int, list[Interval]] = defaultdict(list)
    rows = await session.execute(
        select(MatchmakingAvailability.participant_id, MatchmakingAvailability.starts_at,
               MatchmakingAvailability.ends_at)
        .join(MatchmakingParticipant,
              MatchmakingParticipant.id == MatchmakingAvailability.participant_id)
        .where(MatchmakingParticipant.session_id == session_id)
    )
    for participant_id, start, end in rows:
        found[int(participant_id)].append((start, end))
    return found


async def organizations(session: AsyncSession, ids: set[int]) -> dict[int, Organization]:
    if not ids:
        return {}
    return {o.id: o for o in await session.scalars(
        select(Organization).where(Organization.id.in_(ids))
    )}


async def member_contacts(session: AsyncSession, organization_id: int) -> list[tuple[int, str]]:
    """(user id, email) of every member of an organization."""
    rows = await session.execute(
        select(User.id, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == organization_id, User.is_active.is_(True))
        .order_by(User.id)
    )
    return [(int(i), str(e)) for i, e in rows]


async def is_member(session: AsyncSession, user_id: int, organization_id: int) -> bool:
    found = await session.scalar(select(Membership.id).where(
        Membership.user_id == user_id, Membership.organization_id == organization_id
    ))
    return found is not None


# --- what the catalog and booths say -------------------------------------------------------


async def approved_booth(session: AsyncSession, event_id: int, supplier_id: int) -> Booth | None:
    result: Booth | None = await session.scalar(select(Booth).where(
        Booth.event_id == event_id, Booth.supplier_id == supplier_id, Booth.status == "approved"
    ))
    return result


async def booths_by_id(session: AsyncSession, ids: set[int]) -> dict[int, Booth]:
    if not ids:
        return {}
    return {b.id: b for b in await session.scalars(select(Booth).where(Booth.id.in_(ids)))}


async def booth_schemes(
    session: AsyncSession, booth_ids: set[int], today: date
) -> dict[int, set[str]]:
    """booth id → the schemes of its certificates still valid ``today``."""
    found: dict[int, set[str]] = defaultdict(set)
    if booth_ids:
        rows = await session.execute(
            select(BoothCertification.booth_id, BoothCertification.scheme)
            .where(BoothCertification.booth_id.in_(booth_ids),
                   or_(BoothCertification.expires_on.is_(None),
                       BoothCertification.expires_on >= today))
        )
        for booth_id, scheme in rows:
            found[int(booth_id)].add(str(scheme))
    return found


async def live_products(session: AsyncSession, supplier_ids: set[int]) -> dict[int, list[Product]]:
    """supplier org id → its products that are not deleted."""
    found: dict[int, list[Product]] = defaultdict(list)
    if supplier_ids:
        for product in await session.scalars(
            select(Product)
            .where(Product.supplier_id.in_(supplier_ids), Product.deleted_at.is_(None))
            .order_by(Product.id)
        ):
            found[product.supplier_id].append(product)
    return found


async def event_products(
    session: AsyncSession, event_id: int, product_ids: Sequence[int]
) -> dict[int, int]:
    """product id → supplier org id, for products shown in the event (an approved booth)."""
    if not product_ids:
        return {}
    rows = await session.execute(
        select(Product.id, Product.supplier_id)
        .join(Booth, and_(Booth.supplier_id == Product.supplier_id, Booth.event_id == event_id,
                          Booth.status == "approved"))
        .where(Product.id.in_(product_ids), Product.deleted_at.is_(None))
    )
    return {int(p): int(s) for p, s in rows}


# --- meeting requests and must-meets -------------------------------------------------------


async def expire_due(session: AsyncSession, session_id: int, now: datetime) -> None:
    """Pending requests past their expiry become ``expired`` (so they free the pair)."""
    await session.execute(
        update(MeetingRequest)
        .where(MeetingRequest.session_id == session_id, MeetingRequest.status == "pending",
               MeetingRequest.expires_at <= now)
        .values(status="expired", decided_at=now)
        .execution_options(synchronize_session=False)
    )


async def open_request(
    session: AsyncSession, buyer_id: int, supplier_id: int
) -> MeetingRequest | None:
    result: MeetingRequest | None = await session.scalar(select(MeetingRequest).where(
        MeetingRequest.buyer_id == buyer_id, MeetingRequest.supplier_id == supplier_id,
        MeetingRequest.status.in_(OPEN_REQUEST_STATUSES),
    ))
    return result


def _sent_by(participant: MatchmakingParticipant) -> Any:
    column = MeetingRequest.buyer_id if participant.side == "buyer" else MeetingRequest.supplier_id
    return and_(column == participant.id, MeetingRequest.sender_side == participant.side)


async def pending_sent(
    session: AsyncSession, participant: MatchmakingParticipant, now: datetime
) -> int:
    count = await session.scalar(
        select(func.count()).select_from(MeetingRequest)
        .where(_sent_by(participant), MeetingRequest.status == "pending",
               MeetingRequest.expires_at > now)
    )
    return int(count or 0)


async def sent_since(
    session: AsyncSession, participant: MatchmakingParticipant, since: datetime
) -> tuple[int, datetime | None]:
    """How many requests the participant sent since ``since``, and the oldest one's time."""
    row = (await session.execute(
        select(func.count(), func.min(MeetingRequest.created_at))
        .where(_sent_by(participant), MeetingRequest.created_at > since)
    )).one()
    return int(row[0] or 0), row[1]


async def get_request(session: AsyncSession, request_id: int) -> MeetingRequest | None:
    result: MeetingRequest | None = await session.scalar(
        select(MeetingRequest).where(MeetingRequest.id == request_id)
        .execution_options(populate_existing=True)
    )
    return result


async def decide_request(
    session: AsyncSession, request_id: int, *, to_status: str, user_id: int, now: datetime,
    must_be_unexpired: bool,
) -> bool:
    """Move a pending request to ``to_status`` only if it still is pending (and, when asked,
    not yet expired): the guard against racing answers."""
    query = update(MeetingRequest).where(
        MeetingRequest.id == request_id, MeetingRequest.status == "pending"
    )
    if must_be_unexpired:
        query = query.where(MeetingRequest.expires_at > now)
    result = await session.execute(
        query.values(status=to_status, decided_at=now, decided_by_user_id=user_id)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


async def requests_of(
    session: AsyncSession, participant: MatchmakingParticipant, *, direction: str | None,
    status: str | None, after_id: int | None, limit: int,
) -> list[MeetingRequest]:
    mine = (MeetingRequest.buyer_id if participant.side == "buyer"
            else MeetingRequest.supplier_id) == participant.id
    query = select(MeetingRequest).where(mine)
    if direction == "outgoing":
        query = query.where(MeetingRequest.sender_side == participant.side)
    elif direction == "incoming":
        query = query.where(MeetingRequest.sender_side != participant.side)
    if status is not None:
        query = query.where(MeetingRequest.status == status)
    if after_id is not None:
        query = query.where(MeetingRequest.id < after_id)
    return list(await session.scalars(query.order_by(MeetingRequest.id.desc()).limit(limit)))


async def open_requests(session: AsyncSession, session_id: int) -> list[MeetingRequest]:
    """Pending and accepted requests of a session (what scoring and scheduling weigh)."""
    return list(await session.scalars(
        select(MeetingRequest).where(MeetingRequest.session_id == session_id,
                                     MeetingRequest.status.in_(OPEN_REQUEST_STATUSES))
    ))


async def requests_between(
    session: AsyncSession, participant: MatchmakingParticipant, now: datetime
) -> list[MeetingRequest]:
    """The participant's open requests (either direction) that have not expired."""
    mine = (MeetingRequest.buyer_id if participant.side == "buyer"
            else MeetingRequest.supplier_id) == participant.id
    return list(await session.scalars(
        select(MeetingRequest).where(
            mine, MeetingRequest.status.in_(OPEN_REQUEST_STATUSES),
            or_(MeetingRequest.status == "accepted", MeetingRequest.expires_at > now),
        )
    ))


async def must_meets(session: AsyncSession, session_id: int) -> list[MustMeet]:
    return list(await session.scalars(
        select(MustMeet).where(MustMeet.session_id == session_id).order_by(MustMeet.id)
    ))


async def get_must_meet(session: AsyncSession, session_id: int, mark_id: int) -> MustMeet | None:
    result: MustMeet | None = await session.scalar(
        select(MustMeet).where(MustMeet.id == mark_id, MustMeet.session_id == session_id)
    )
    return result


async def find_must_meet(
    session: AsyncSession, buyer_id: int, supplier_id: int
) -> MustMeet | None:
    result: MustMeet | None = await session.scalar(
        select(MustMeet).where(MustMeet.buyer_id == buyer_id, MustMeet.supplier_id == supplier_id)
    )
    return result
