"""Rules for negotiations and their messages.

Visibility: a negotiation exists only for the members of its two organizations (the buyer
org and the supplier org); to everyone else it does not exist (404 ``negotiation_not_found``),
over HTTP and on the ``negotiation:{id}`` topic alike. Both orgs' members take part, so a
colleague can pick up a thread.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.catalog.schemas import format_quantity
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.kit.pagination import decode_cursor, encode_cursor
from app.models import Attachment, Message, Negotiation
from app.models.base import utcnow
from app.negotiations import repository
from app.negotiations.notify import notify_side
from app.negotiations.quick_replies import quick_reply_text
from app.negotiations.schemas import (
    MessageRead,
    NegotiationCreate,
    NegotiationRead,
    PartyRead,
    ReadStateRead,
)
from app.negotiations.views import message_read
from app.realtime import log as topic_log
from app.realtime.topics import emit


class NegotiationNotFound(NotFound):
    code = "negotiation_not_found"
    message = "No such negotiation."


class SubjectNotFound(NotFound):
    code = "subject_not_found"
    message = "No such product or approved booth to negotiate about."


class BuyerRequired(PermissionDenied):
    code = "buyer_required"
    message = "Only a buyer organization can open a negotiation."


def topic_of(negotiation_id: int) -> str:
    return f"negotiation:{negotiation_id}"


async def topic_position(session: AsyncSession, negotiation_id: int) -> int:
    """The last seq of the negotiation's topic: a page reads it *before* the state it renders
    and joins with it as last_seq, so nothing stored in between is missed."""
    return await topic_log.last_seq(session, topic_of(negotiation_id))


def side_of(negotiation: Negotiation, organization_id: int | None) -> str:
    return "buyer" if organization_id == negotiation.buyer_id else "supplier"


def other_org(negotiation: Negotiation, organization_id: int | None) -> int:
    if organization_id == negotiation.buyer_id:
        return negotiation.supplier_id
    return negotiation.buyer_id


async def visible(
    session: AsyncSession, principal: Principal, negotiation_id: int
) -> Negotiation:
    """The negotiation, if the caller's organization is one of its two parties."""
    negotiation = await repository.get(session, negotiation_id)
    org = principal.organization_id
    if negotiation is None or org is None or org not in (
        negotiation.buyer_id, negotiation.supplier_id
    ):
        raise NegotiationNotFound()
    return negotiation


def _org(principal: Principal) -> int:
    if principal.organization_id is None:
        raise NegotiationNotFound()
    return principal.organization_id


@dataclass
class Appended:
    message: Message
    created: bool


async def append_message(
    session: AsyncSession,
    negotiation: Negotiation,
    *,
    kind: str,
    sender: Principal | None,
    body: str = "",
    data: dict[str, Any] | None = None,
    offer_id: int | None = None,
    client_msg_id: str | None = None,
    now: datetime | None = None,
) -> Appended:
    """Store a message with the negotiation's next seq; the sender's org has read it.

    A retry with a ``client_msg_id`` already stored returns the stored message. The lookup
    runs after the negotiation's row lock is taken (by taking the next seq), so two racing
    retries are serialized: the second sees the first once it has committed, and gives its
    seq back.
    """
    now = now or utcnow()
    seq = await repository.next_message_seq(session, negotiation.id, now)
    if sender is not None and client_msg_id is not None:
        existing = await repository.message_by_client_id(
            session, negotiation.id, sender.user_id, client_msg_id
        )
        if existing is not None:
            await repository.release_message_seq(session, negotiation.id)
            return Appended(existing, False)
    message = Message(
        negotiation_id=negotiation.id,
        seq=seq,
        kind=kind,
        sender_user_id=sender.user_id if sender else None,
        sender_org_id=sender.organization_id if sender else None,
        body=body,
        data=data or {},
        offer_id=offer_id,
        client_msg_id=client_msg_id,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    negotiation.last_message_seq = seq
    negotiation.last_activity_at = now
    if sender is not None and sender.organization_id is not None:
        await repository.mark_read(session, negotiation.id, sender.organization_id, seq, now)
    return Appended(message, True)


async def open_negotiation(
    session: AsyncSession, principal: Principal, data: NegotiationCreate
) -> tuple[Negotiation, bool]:
    """A buyer org opens one negotiation per supplier org × subject (a product or an
    approved booth). Opening it again returns the existing one (created=False), with the
    new first message added to it.
    """
    buyer_id = principal.organization_id
    buyer = await repository.organization(session, buyer_id) if buyer_id else None
    if buyer is None or buyer.kind != "buyer":
        raise BuyerRequired()
    subject = await repository.subject(session, data.subject_type, data.subject_id)
    if subject is None:
        raise SubjectNotFound()
    supplier_id, title = subject
    now = utcnow()
    negotiation = await repository.find(
        session, buyer.id, supplier_id, data.subject_type, data.subject_id
    )
    created = False
    if negotiation is None:
        # INSERT ... ON CONFLICT DO NOTHING: a colleague opening it at the same moment makes
        # this one wait, then find theirs.
        created = await repository.insert_negotiation(
            session, buyer_id=buyer.id, supplier_id=supplier_id,
            subject_type=data.subject_type, subject_id=data.subject_id, subject_title=title,
            opened_by_user_id=principal.user_id, now=now,
        )
        negotiation = await repository.find(
            session, buyer.id, supplier_id, data.subject_type, data.subject_id
        )
        if negotiation is None:
            raise RuntimeError("negotiation neither inserted nor found")
    extra: dict[str, Any] = {}
    if data.quantity is not None:
        extra["quantity"] = format_quantity(data.quantity)
    if data.target_price is not None:
        extra["target_price"] = format_quantity(data.target_price)
    appended = await append_message(
        session, negotiation, kind="text", sender=principal, body=data.message, data=extra,
        now=now,
    )
    await _publish_message(session, negotiation, appended.message, None)
    if created:
        await audit.record(
            session, actor_user_id=principal.user_id, organization_id=buyer.id,
            action="negotiation.opened", subject_type="negotiation",
            subject_id=negotiation.id,
            details={"subject_type": data.subject_type, "subject_id": data.subject_id},
        )
    await notify_side(
        session, organization_id=supplier_id,
        kind="negotiation.opened" if created else "message.created",
        negotiation_id=negotiation.id, title=negotiation.subject_title,
        data={"seq": appended.message.seq},
    )
    return negotiation, created


async def _publish_message(
    session: AsyncSession, negotiation: Negotiation, message: Message,
    client_msg_id: str | None, attachments: Sequence[Attachment] = (),
) -> int | None:
    # append_message found client_msg_id new under the row lock: the log need not look.
    return await emit(
        session,
        topic=topic_of(negotiation.id),
        event="message.created",
        data={"message": message_read(message, attachments).model_dump(mode="json")},
        durable=True,
        sender_user_id=message.sender_user_id,
        client_msg_id=client_msg_id,
        deduplicated=True,
    )


# Stores the files a new message carries (app/negotiations/attachments.py).
AttachFiles = Callable[[Message], Awaitable[list[Attachment]]]


async def read_message(session: AsyncSession, message: Message) -> MessageRead:
    files = await repository.attachments_of(session, [message.id])
    return message_read(message, files.get(message.id, ()))


async def post_message(
    session: AsyncSession, principal: Principal, negotiation_id: int, body: str,
    client_msg_id: str | None = None, *, quick_reply: str | None = None,
    attach: AttachFiles | None = None,
) -> tuple[MessageRead, bool, int | None]:
    """Either party's member posts a text message, or a quick reply by its key (its English
    text as the body, for clients that do not translate), with the files ``attach`` stores
    for it. Returns (message, created, topic seq)."""
    negotiation = await visible(session, principal, negotiation_id)
    return await post_message_to(
        session, principal, negotiation, body, client_msg_id, quick_reply=quick_reply,
        attach=attach,
    )


async def visible_to_member(
    session: AsyncSession, principal: Principal, negotiation_id: int
) -> Negotiation:
    """Like ``visible``, and the user is still a member of either party now (a socket's
    principal was read when it connected): one statement."""
    negotiation = await repository.get_for_member(session, negotiation_id, principal.user_id)
    org = principal.organization_id
    if negotiation is None or org is None or org not in (
        negotiation.buyer_id, negotiation.supplier_id
    ):
        raise NegotiationNotFound()
    return negotiation


async def post_message_to(
    session: AsyncSession, principal: Principal, negotiation: Negotiation, body: str,
    client_msg_id: str | None = None, *, quick_reply: str | None = None,
    attach: AttachFiles | None = None,
) -> tuple[MessageRead, bool, int | None]:
    """``post_message`` on a negotiation the caller already got from ``visible`` or
    ``visible_to_member`` in this unit of work (so it is not read twice).

    A plain text message gets no audit entry: the message row is the record (who, which
    org, when, what; never updated), so an entry would only copy it. One with files does:
    the entry keeps their hashes and sizes."""
    data: dict[str, Any] = {}
    if quick_reply is not None:
        body = quick_reply_text(quick_reply)
        data["quick_reply"] = quick_reply
    appended = await append_message(
        session, negotiation, kind="text", sender=principal, body=body, data=data,
        client_msg_id=client_msg_id,
    )
    if not appended.created:
        return await read_message(session, appended.message), False, None
    attachments = await attach(appended.message) if attach is not None else []
    seq = await _publish_message(
        session, negotiation, appended.message, client_msg_id, attachments
    )
    if attachments:
        await audit.record(
            session, actor_user_id=principal.user_id,
            organization_id=principal.organization_id, action="message.posted",
            subject_type="negotiation", subject_id=negotiation.id,
            details={"seq": appended.message.seq, "attachments": [
                {"id": a.id, "kind": a.kind, "size_bytes": a.size_bytes, "sha256": a.sha256}
                for a in attachments
            ]},
        )
    await notify_side(
        session, organization_id=other_org(negotiation, principal.organization_id),
        kind="message.created", negotiation_id=negotiation.id,
        title=negotiation.subject_title, data={"seq": appended.message.seq},
    )
    return message_read(appended.message, attachments), True, seq


async def list_messages(
    session: AsyncSession, principal: Principal, negotiation_id: int, after_seq: int,
    limit: int, *, before_seq: int | None = None,
) -> tuple[list[MessageRead], int | None]:
    """Messages after ``after_seq`` in order; the second value is the next after_seq.

    With ``before_seq``: the ``limit`` messages just below it, still in order (paging back
    through history); the second value is then the next, older, before_seq.
    """
    await visible(session, principal, negotiation_id)
    if before_seq is not None:
        rows = await repository.messages_before(session, negotiation_id, before_seq, limit + 1)
        more = len(rows) > limit
        rows = rows[len(rows) - limit:] if more else rows
        cursor = rows[0].seq if more else None
    else:
        rows = await repository.messages(session, negotiation_id, after_seq, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        cursor = rows[-1].seq if more and rows else None
    files = await repository.attachments_of(
        session, [m.id for m in rows if m.kind == "text"]
    )
    return [message_read(m, files.get(m.id, ())) for m in rows], cursor


async def mark_read(
    session: AsyncSession, principal: Principal, negotiation_id: int, seq: int
) -> ReadStateRead:
    """The caller's organization has read up to ``seq`` (capped at the last message).

    Read marks only move forward; the other side sees the receipt live.
    """
    negotiation = await visible(session, principal, negotiation_id)
    org = _org(principal)
    stored = await repository.mark_read(
        session, negotiation.id, org, min(seq, negotiation.last_message_seq), utcnow()
    )
    await emit(
        session, topic=topic_of(negotiation.id), event="read",
        data={"organization_id": org, "last_read_seq": stored, "user_id": principal.user_id},
        durable=True, sender_user_id=principal.user_id,
    )
    return ReadStateRead(negotiation_id=negotiation.id, organization_id=org,
                         last_read_seq=stored)


async def _reads(
    session: AsyncSession, principal: Principal, negotiations: list[Negotiation]
) -> list[NegotiationRead]:
    org = _org(principal)
    ids = [n.id for n in negotiations]
    read = await repository.read_seqs(session, ids)
    unread = await repository.unread_counts(session, ids, org, read)
    orgs = await repository.organizations(
        session, {n.buyer_id for n in negotiations} | {n.supplier_id for n in negotiations}
    )
    open_offers = await repository.open_offer_ids(session, ids)
    now = utcnow()

    def party(org_id: int) -> PartyRead:
        o = orgs[org_id]
        return PartyRead(id=o.id, name=o.name, country=o.country)

    out = []
    for n in negotiations:
        offer = open_offers.get(n.id)
        out.append(NegotiationRead(
            id=n.id, subject_type=n.subject_type, subject_id=n.subject_id,
            subject_title=n.subject_title, buyer=party(n.buyer_id),
            supplier=party(n.supplier_id),
            your_side="buyer" if org == n.buyer_id else "supplier",
            last_message_seq=n.last_message_seq, last_activity_at=n.last_activity_at,
            unread_count=unread.get(n.id, 0),
            other_side_read_seq=read.get((n.id, other_org(n, org)), 0),
            open_offer_id=offer.id if offer is not None and offer.valid_until > now else None,
            created_at=n.created_at,
        ))
    return out


async def get_negotiation(
    session: AsyncSession, principal: Principal, negotiation_id: int
) -> NegotiationRead:
    negotiation = await visible(session, principal, negotiation_id)
    return (await _reads(session, principal, [negotiation]))[0]


async def list_negotiations(
    session: AsyncSession, principal: Principal, limit: int, cursor: str | None
) -> tuple[list[NegotiationRead], str | None]:
    """The caller's organization's negotiations (either side), latest activity first."""
    org = principal.organization_id
    if org is None:
        return [], None
    after: tuple[datetime, int] | None = None
    if cursor is not None:
        values = decode_cursor(cursor)
        try:
            after = (datetime.fromisoformat(str(values[0])), int(values[1]))
        except (IndexError, ValueError, TypeError):
            after = None
        if after is None or after[0].tzinfo is None:
            raise InvalidInput("The cursor is not valid; start again without it.",
                               code="invalid_cursor")
    rows = await repository.list_for(session, org, limit + 1, after)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        encode_cursor([rows[-1].last_activity_at.isoformat(), rows[-1].id])
        if more and rows else None
    )
    return await _reads(session, principal, rows), next_cursor
