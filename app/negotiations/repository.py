"""Queries for negotiations, messages, read states and offers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.kit.dialect_insert import insert_for
from app.models import (
    Attachment,
    Booth,
    Membership,
    Message,
    Negotiation,
    NegotiationReadState,
    Offer,
    OfferLine,
    Order,
    Organization,
    Product,
    User,
)


async def subject(
    session: AsyncSession, subject_type: str, subject_id: int
) -> tuple[int, str] | None:
    """(supplier org id, title) of a live product or an approved booth."""
    if subject_type == "product":
        row = (await session.execute(
            select(Product.supplier_id, Product.name)
            .where(Product.id == subject_id, Product.deleted_at.is_(None))
        )).first()
    else:
        row = (await session.execute(
            select(Booth.supplier_id, Organization.name)
            .join(Organization, Organization.id == Booth.supplier_id)
            .where(Booth.id == subject_id, Booth.status == "approved")
        )).first()
    return (int(row[0]), str(row[1])) if row else None


async def organization(session: AsyncSession, organization_id: int) -> Organization | None:
    return await session.get(Organization, organization_id)


async def find(
    session: AsyncSession, buyer_id: int, supplier_id: int, subject_type: str, subject_id: int
) -> Negotiation | None:
    return await session.scalar(select(Negotiation).where(
        Negotiation.buyer_id == buyer_id,
        Negotiation.supplier_id == supplier_id,
        Negotiation.subject_type == subject_type,
        Negotiation.subject_id == subject_id,
    ))


async def insert_negotiation(
    session: AsyncSession, *, buyer_id: int, supplier_id: int, subject_type: str,
    subject_id: int, subject_title: str, opened_by_user_id: int, now: datetime,
) -> bool:
    """Insert unless the (buyer, supplier, subject) thread exists; True if inserted."""
    inserted = await session.scalar(
        insert_for(session)(Negotiation)
        .values(
            buyer_id=buyer_id, supplier_id=supplier_id, subject_type=subject_type,
            subject_id=subject_id, subject_title=subject_title,
            opened_by_user_id=opened_by_user_id, last_message_seq=0,
            last_activity_at=now, created_at=now,
        )
        .on_conflict_do_nothing(
            index_elements=["buyer_id", "supplier_id", "subject_type", "subject_id"]
        )
        .returning(Negotiation.id)
    )
    return inserted is not None


async def get(session: AsyncSession, negotiation_id: int) -> Negotiation | None:
    return await session.get(Negotiation, negotiation_id)


async def list_for(
    session: AsyncSession, organization_id: int, limit: int,
    after: tuple[datetime, int] | None,
) -> list[Negotiation]:
    """Newest activity first; keyset on (last_activity_at, id)."""
    query = select(Negotiation).where(
        or_(Negotiation.buyer_id == organization_id, Negotiation.supplier_id == organization_id)
    )
    if after is not None:
        moment, last_id = after
        query = query.where(or_(
            Negotiation.last_activity_at < moment,
            and_(Negotiation.last_activity_at == moment, Negotiation.id < last_id),
        ))
    query = query.order_by(Negotiation.last_activity_at.desc(), Negotiation.id.desc())
    return list(await session.scalars(query.limit(limit)))


async def next_message_seq(session: AsyncSession, negotiation_id: int, now: datetime) -> int:
    # The row lock this UPDATE takes serializes a negotiation's writers until commit.
    seq = await session.scalar(
        update(Negotiation)
        .where(Negotiation.id == negotiation_id)
        .values(last_message_seq=Negotiation.last_message_seq + 1, last_activity_at=now)
        .returning(Negotiation.last_message_seq)
    )
    if seq is None:
        raise RuntimeError(f"negotiation {negotiation_id} vanished")
    return int(seq)


async def release_message_seq(session: AsyncSession, negotiation_id: int) -> None:
    """Give back the seq ``next_message_seq`` just took (a retry found its message stored):
    the row lock is still held, so nobody took a later one, and seqs stay gapless."""
    await session.execute(
        update(Negotiation).where(Negotiation.id == negotiation_id)
        .values(last_message_seq=Negotiation.last_message_seq - 1)
    )


async def lock(session: AsyncSession, negotiation_id: int, now: datetime) -> None:
    """Take the negotiation's row lock (and mark activity) before changing its offers."""
    await session.execute(
        update(Negotiation).where(Negotiation.id == negotiation_id)
        .values(last_activity_at=now)
    )


async def message_by_client_id(
    session: AsyncSession, negotiation_id: int, sender_user_id: int, client_msg_id: str
) -> Message | None:
    return await session.scalar(select(Message).where(
        Message.negotiation_id == negotiation_id,
        Message.sender_user_id == sender_user_id,
        Message.client_msg_id == client_msg_id,
    ))


async def messages(
    session: AsyncSession, negotiation_id: int, after_seq: int, limit: int
) -> list[Message]:
    return list(await session.scalars(
        select(Message)
        .where(Message.negotiation_id == negotiation_id, Message.seq > after_seq)
        .order_by(Message.seq)
        .limit(limit)
    ))


async def messages_before(
    session: AsyncSession, negotiation_id: int, before_seq: int, limit: int
) -> list[Message]:
    """The ``limit`` messages with the highest seqs below ``before_seq``, in seq order."""
    rows = list(await session.scalars(
        select(Message)
        .where(Message.negotiation_id == negotiation_id, Message.seq < before_seq)
        .order_by(Message.seq.desc())
        .limit(limit)
    ))
    rows.reverse()
    return rows


async def mark_read(
    session: AsyncSession, negotiation_id: int, organization_id: int, seq: int, now: datetime
) -> int:
    """Move the org's read mark forward (never back); returns the mark now stored."""
    insert = insert_for(session)
    stmt = insert(NegotiationReadState).values(
        negotiation_id=negotiation_id, organization_id=organization_id,
        last_read_seq=seq, updated_at=now,
    )
    # SQLite's two-argument max() is PostgreSQL's greatest().
    larger = func.max if session.get_bind().dialect.name == "sqlite" else func.greatest
    stmt = stmt.on_conflict_do_update(
        index_elements=["negotiation_id", "organization_id"],
        set_={
            "last_read_seq": larger(
                NegotiationReadState.last_read_seq, stmt.excluded.last_read_seq
            ),
            "updated_at": now,
        },
    )
    # RETURNING gives the mark as stored (the larger one) without reading it back.
    value = await session.scalar(stmt.returning(NegotiationReadState.last_read_seq))
    return int(value or 0)


async def read_seqs(
    session: AsyncSession, negotiation_ids: list[int]
) -> dict[tuple[int, int], int]:
    """(negotiation id, org id) → last read seq."""
    if not negotiation_ids:
        return {}
    rows = await session.execute(select(
        NegotiationReadState.negotiation_id, NegotiationReadState.organization_id,
        NegotiationReadState.last_read_seq,
    ).where(NegotiationReadState.negotiation_id.in_(negotiation_ids)))
    return {(n, o): s for n, o, s in rows}


async def unread_counts(
    session: AsyncSession, negotiation_ids: list[int], organization_id: int,
    read: dict[tuple[int, int], int],
) -> dict[int, int]:
    """Messages after the org's read mark that the other side (or the system) wrote."""
    if not negotiation_ids:
        return {}
    counts: dict[int, int] = {}
    for negotiation_id in negotiation_ids:
        counts[negotiation_id] = 0
    conditions = [
        and_(Message.negotiation_id == nid,
             Message.seq > read.get((nid, organization_id), 0))
        for nid in negotiation_ids
    ]
    rows = await session.execute(
        select(Message.negotiation_id, func.count())
        .where(or_(*conditions))
        .where(or_(Message.sender_org_id.is_(None), Message.sender_org_id != organization_id))
        .group_by(Message.negotiation_id)
    )
    counts.update({int(n): int(c) for n, c in rows})
    return counts


async def organizations(session: AsyncSession, ids: set[int]) -> dict[int, Organization]:
    if not ids:
        return {}
    return {o.id: o for o in await session.scalars(
        select(Organization).where(Organization.id.in_(ids))
    )}


async def get_for_member(
    session: AsyncSession, negotiation_id: int, user_id: int
) -> Negotiation | None:
    """The negotiation, if the user is (still) a member of either party: one statement."""
    member = select(Membership.id).where(
        Membership.user_id == user_id,
        Membership.organization_id.in_([Negotiation.buyer_id, Negotiation.supplier_id]),
    ).exists()
    return await session.scalar(
        select(Negotiation).where(Negotiation.id == negotiation_id, member)
    )


async def member_contacts(session: AsyncSession, organization_id: int) -> list[tuple[int, str]]:
    """(user id, email) of every member of an organization."""
    rows = await session.execute(
        select(User.id, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == organization_id)
        .order_by(User.id)
    )
    return [(int(i), str(e)) for i, e in rows]


# --- offers ----------------------------------------------------------------------------


async def supplier_products(
    session: AsyncSession, supplier_id: int, product_ids: set[int]
) -> dict[int, str]:
    if not product_ids:
        return {}
    rows = await session.execute(select(Product.id, Product.name).where(
        Product.id.in_(product_ids), Product.supplier_id == supplier_id,
        Product.deleted_at.is_(None),
    ))
    return {int(i): str(n) for i, n in rows}


async def get_offer(session: AsyncSession, offer_id: int) -> Offer | None:
    return await session.get(Offer, offer_id, populate_existing=True)


async def lines_of(session: AsyncSession, offer_ids: list[int]) -> dict[int, list[OfferLine]]:
    out: dict[int, list[OfferLine]] = {i: [] for i in offer_ids}
    if offer_ids:
        for line in await session.scalars(
            select(OfferLine).where(OfferLine.offer_id.in_(offer_ids))
            .order_by(OfferLine.offer_id, OfferLine.position)
        ):
            out[line.offer_id].append(line)
    return out


async def offers_of(session: AsyncSession, negotiation_id: int) -> list[Offer]:
    return list(await session.scalars(
        select(Offer).where(Offer.negotiation_id == negotiation_id).order_by(Offer.id)
    ))


async def open_offer(session: AsyncSession, negotiation_id: int) -> Offer | None:
    return await session.scalar(select(Offer).where(
        Offer.negotiation_id == negotiation_id, Offer.status == "proposed"
    ))


async def open_offer_ids(session: AsyncSession, negotiation_ids: list[int]) -> dict[int, Offer]:
    if not negotiation_ids:
        return {}
    return {o.negotiation_id: o for o in await session.scalars(select(Offer).where(
        Offer.negotiation_id.in_(negotiation_ids), Offer.status == "proposed"
    ))}


async def expire_due(session: AsyncSession, negotiation_id: int, now: datetime) -> list[int]:
    """Mark open offers past their valid_until expired; returns their ids."""
    result = await session.scalars(
        update(Offer)
        .where(Offer.negotiation_id == negotiation_id, Offer.status == "proposed",
               Offer.valid_until <= now)
        .values(status="expired", decided_at=now)
        .returning(Offer.id)
    )
    return [int(i) for i in result]


async def close_offer(
    session: AsyncSession, offer_id: int, status: str, user_id: int, now: datetime,
    *, must_be_valid: bool = False,
) -> bool:
    """Move an open offer to ``status``, only if it still is open: the guard under races."""
    query = update(Offer).where(Offer.id == offer_id, Offer.status == "proposed")
    if must_be_valid:
        query = query.where(Offer.valid_until > now)
    result = await session.execute(
        query.values(status=status, decided_at=now, decided_by_user_id=user_id)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def order_ids_for_offers(session: AsyncSession, offer_ids: list[int]) -> dict[int, int]:
    if not offer_ids:
        return {}
    rows = await session.execute(
        select(Order.offer_id, Order.id).where(Order.offer_id.in_(offer_ids))
    )
    return {int(o): int(i) for o, i in rows}


# --- attachments -----------------------------------------------------------------------


async def attachment(session: AsyncSession, attachment_id: int) -> Attachment | None:
    return await session.get(Attachment, attachment_id)


async def attachments_of(
    session: AsyncSession, message_ids: list[int]
) -> dict[int, list[Attachment]]:
    """Message id → its attachments in the order they were sent (messages without any are
    left out)."""
    out: dict[int, list[Attachment]] = {}
    if message_ids:
        for item in await session.scalars(
            select(Attachment).where(Attachment.message_id.in_(message_ids))
            .order_by(Attachment.message_id, Attachment.position)
        ):
            out.setdefault(item.message_id, []).append(item)
    return out
