"""Queries for livestreams, their followers, chat, mutes and pins."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.kit.dialect_insert import insert_for
from app.models import (
    Booth,
    Event,
    Livestream,
    LivestreamChatMessage,
    LivestreamFollower,
    LivestreamMute,
    Membership,
    Organization,
    Product,
    User,
)

# --- shows -----------------------------------------------------------------------------


async def move(
    session: AsyncSession, livestream_id: int, from_status: str, **values: Any
) -> bool:
    """Set ``values`` only if the show is still in ``from_status`` (so two racing starts
    cannot both win); the session's copy of the row is updated too."""
    result = await session.execute(
        update(Livestream)
        .where(Livestream.id == livestream_id, Livestream.status == from_status)
        .values(**values)
        .returning(Livestream.id)
    )
    return result.first() is not None


async def list_for_booth(
    session: AsyncSession, booth_id: int, limit: int, after: tuple[datetime, int] | None
) -> list[Livestream]:
    """The booth's shows, latest scheduled start first; keyset on (scheduled_start, id)."""
    query = select(Livestream).where(Livestream.booth_id == booth_id)
    if after is not None:
        moment, last_id = after
        query = query.where(
            or_(
                Livestream.scheduled_start < moment,
                (Livestream.scheduled_start == moment) & (Livestream.id < last_id),
            )
        )
    query = query.order_by(Livestream.scheduled_start.desc(), Livestream.id.desc())
    return list(await session.scalars(query.limit(limit + 1)))


# The schedule's order: live shows, then scheduled ones, then ended ones.
SCHEDULE_RANKS: dict[str, int] = {"live": 0, "scheduled": 1, "ended": 2}


async def schedule(
    session: AsyncSession, event_id: int, statuses: Collection[str], *,
    own_supplier_id: int | None, every_booth: bool, limit: int,
    after: tuple[int, datetime, int] | None = None,
) -> list[Livestream]:
    """Up to ``limit + 1`` of an event's shows in the given statuses: live first, then
    upcoming, then ended, each by scheduled start; keyset on (rank, scheduled_start, id)
    after ``after``. Shows of booths that are not approved only with ``every_booth`` or for
    ``own_supplier_id``."""
    query = select(Livestream).where(
        Livestream.event_id == event_id, Livestream.status.in_(list(statuses))
    )
    if not every_booth:
        approved = select(Booth.id).where(Booth.event_id == event_id,
                                          Booth.status == "approved")
        visible: ColumnElement[bool] = Livestream.booth_id.in_(approved)
        if own_supplier_id is not None:
            visible = or_(visible, Livestream.supplier_id == own_supplier_id)
        query = query.where(visible)
    rank = case(*((Livestream.status == status, value)
                  for status, value in SCHEDULE_RANKS.items()))
    if after is not None:
        # Spelled out, not a row-value comparison: plain SQL that SQLite and PostgreSQL
        # read alike.
        last_rank, moment, last_id = after
        query = query.where(or_(
            rank > last_rank,
            and_(rank == last_rank, Livestream.scheduled_start > moment),
            and_(rank == last_rank, Livestream.scheduled_start == moment,
                 Livestream.id > last_id),
        ))
    query = query.order_by(rank, Livestream.scheduled_start, Livestream.id).limit(limit + 1)
    return list(await session.scalars(query))


async def organization_names(
    session: AsyncSession, organization_ids: Collection[int]
) -> dict[int, str]:
    if not organization_ids:
        return {}
    rows = await session.execute(
        select(Organization.id, Organization.name).where(
            Organization.id.in_(sorted(set(organization_ids)))
        )
    )
    return {int(i): str(n) for i, n in rows}


# --- followers -------------------------------------------------------------------------


async def followed_among(
    session: AsyncSession, user_id: int, livestream_ids: Collection[int]
) -> set[int]:
    if not livestream_ids:
        return set()
    found = await session.scalars(
        select(LivestreamFollower.livestream_id).where(
            LivestreamFollower.user_id == user_id,
            LivestreamFollower.livestream_id.in_(sorted(set(livestream_ids))),
        )
    )
    return set(found)


async def follow(session: AsyncSession, livestream_id: int, user_id: int, now: datetime) -> None:
    await session.execute(
        insert_for(session)(LivestreamFollower)
        .values(livestream_id=livestream_id, user_id=user_id, created_at=now)
        .on_conflict_do_nothing(index_elements=["livestream_id", "user_id"])
    )


async def unfollow(session: AsyncSession, livestream_id: int, user_id: int) -> None:
    await session.execute(
        delete(LivestreamFollower).where(
            LivestreamFollower.livestream_id == livestream_id,
            LivestreamFollower.user_id == user_id,
        )
    )


async def follower_contacts(session: AsyncSession, livestream_id: int) -> list[tuple[int, str]]:
    """(user id, email) of the show's followers who are still active."""
    rows = await session.execute(
        select(User.id, User.email)
        .join(LivestreamFollower, LivestreamFollower.user_id == User.id)
        .where(LivestreamFollower.livestream_id == livestream_id, User.is_active.is_(True))
        .order_by(User.id)
    )
    return [(int(i), str(e)) for i, e in rows]


# --- pinned products -------------------------------------------------------------------


async def live_products(
    session: AsyncSession, product_ids: Collection[int]
) -> list[tuple[Product, int | None]]:
    """Products that are not deleted, each with its supplier's latest approved booth."""
    if not product_ids:
        return []
    latest_booth = (
        select(Booth.id)
        .where(Booth.supplier_id == Product.supplier_id, Booth.status == "approved")
        .order_by(Booth.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Product, latest_booth).where(
            Product.id.in_(sorted(set(product_ids))), Product.deleted_at.is_(None)
        )
    )
    return [(product, booth_id) for product, booth_id in rows]


async def supplier_product(
    session: AsyncSession, supplier_id: int, product_id: int
) -> Product | None:
    return await session.scalar(
        select(Product).where(
            Product.id == product_id, Product.supplier_id == supplier_id,
            Product.deleted_at.is_(None),
        )
    )


# --- chat ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredLine:
    """A line the user already sent with the same client_msg_id, as it was stored."""

    id: int
    user_id: int | None
    organization_id: int | None
    author_name: str
    body: str
    created_at: datetime
    deleted_at: datetime | None


@dataclass(frozen=True, slots=True)
class ChatGate:
    """What deciding whether a user may post a line needs, read in one statement."""

    status: str
    supplier_id: int
    organizer_id: int
    slow_mode_seconds: int
    muted_until: datetime | None
    last_sent_at: datetime | None
    # The line this client_msg_id already stored, if any (a retry).
    retried: StoredLine | None = None


async def chat_gate(
    session: AsyncSession, livestream_id: int, user_id: int, client_msg_id: str | None = None
) -> ChatGate | None:
    """The show's status and chat settings, the user's mute and their latest line's time,
    and with a ``client_msg_id`` the line the user already stored with it.

    One statement on the chat's hot path: scalar subqueries use the mute's primary key and
    the (livestream_id, user_id, created_at) index; the stored line is a left join on the
    (livestream_id, user_id, client_msg_id) unique index.
    """
    muted_until = (
        select(LivestreamMute.until)
        .where(LivestreamMute.livestream_id == Livestream.id,
               LivestreamMute.user_id == user_id)
        .scalar_subquery()
    )
    last_sent = (
        select(func.max(LivestreamChatMessage.created_at))
        .where(LivestreamChatMessage.livestream_id == Livestream.id,
               LivestreamChatMessage.user_id == user_id)
        .scalar_subquery()
    )
    columns: list[Any] = [
        Livestream.status, Livestream.supplier_id, Event.organizer_id,
        Livestream.slow_mode_seconds, muted_until, last_sent,
    ]
    query = (
        select(*columns)
        .join(Event, Event.id == Livestream.event_id)
        .where(Livestream.id == livestream_id)
    )
    if client_msg_id is not None:
        # Only with an id: ``== None`` would match every line sent without one.
        stored = aliased(LivestreamChatMessage)
        query = query.add_columns(*_stored_line_columns(stored)).outerjoin(stored, and_(
            stored.livestream_id == Livestream.id, stored.user_id == user_id,
            stored.client_msg_id == client_msg_id,
        ))
    row = (await session.execute(query)).first()
    if row is None:
        return None
    gate = ChatGate(*row[:6])
    if client_msg_id is None or row[6] is None:
        return gate
    return replace(gate, retried=StoredLine(*row[6:]))


def _stored_line_columns(line: type[LivestreamChatMessage]) -> tuple[Any, ...]:
    """The columns of a ``StoredLine``, in its order."""
    return (line.id, line.user_id, line.organization_id, line.author_name, line.body,
            line.created_at, line.deleted_at)


async def insert_message(
    session: AsyncSession, *, livestream_id: int, user_id: int, organization_id: int | None,
    author_name: str, body: str, now: datetime, client_msg_id: str | None = None,
) -> int | None:
    """Store a line (a Core INSERT … RETURNING: no ORM object to track on the hot path).

    None when a concurrent retry stored this ``client_msg_id`` first: ON CONFLICT DO
    NOTHING waits for that transaction and then inserts nothing, so the race costs no
    error, no aborted transaction and no SAVEPOINT on the hot path."""
    stmt = insert_for(session)(LivestreamChatMessage).values(
        livestream_id=livestream_id, user_id=user_id, organization_id=organization_id,
        author_name=author_name, body=body, created_at=now, client_msg_id=client_msg_id,
    )
    if client_msg_id is not None:
        stmt = stmt.on_conflict_do_nothing(
            index_elements=["livestream_id", "user_id", "client_msg_id"]
        )
    new_id = await session.scalar(stmt.returning(LivestreamChatMessage.id))
    if new_id is None and client_msg_id is None:
        raise RuntimeError("chat line not inserted")
    return None if new_id is None else int(new_id)


async def stored_line(
    session: AsyncSession, livestream_id: int, user_id: int, client_msg_id: str
) -> StoredLine | None:
    """The line the user stored with this client_msg_id in the show (read after losing a
    race to it: under READ COMMITTED this new statement sees the winner's commit)."""
    row = (await session.execute(
        select(*_stored_line_columns(LivestreamChatMessage)).where(
            LivestreamChatMessage.livestream_id == livestream_id,
            LivestreamChatMessage.user_id == user_id,
            LivestreamChatMessage.client_msg_id == client_msg_id,
        )
    )).first()
    return None if row is None else StoredLine(*row)


async def messages(
    session: AsyncSession, livestream_id: int, *, after_id: int | None,
    before_id: int | None, limit: int,
) -> list[LivestreamChatMessage]:
    """Lines that are not deleted, oldest first: the first ``limit`` after ``after_id``, or
    else the last ``limit`` before ``before_id`` (or the latest ones)."""
    query = select(LivestreamChatMessage).where(
        LivestreamChatMessage.livestream_id == livestream_id,
        LivestreamChatMessage.deleted_at.is_(None),
    )
    if after_id is not None:
        query = query.where(LivestreamChatMessage.id > after_id)
        return list(await session.scalars(
            query.order_by(LivestreamChatMessage.id).limit(limit)
        ))
    if before_id is not None:
        query = query.where(LivestreamChatMessage.id < before_id)
    rows = list(await session.scalars(
        query.order_by(LivestreamChatMessage.id.desc()).limit(limit)
    ))
    rows.reverse()
    return rows


async def delete_message(
    session: AsyncSession, livestream_id: int, message_id: int, deleted_by_id: int,
    now: datetime,
) -> tuple[bool, int | None] | None:
    """Mark a line of the show deleted. None if the show has no such line; else (whether
    this call deleted it, its author)."""
    found = (
        await session.execute(
            select(LivestreamChatMessage.user_id, LivestreamChatMessage.deleted_at).where(
                LivestreamChatMessage.id == message_id,
                LivestreamChatMessage.livestream_id == livestream_id,
            )
        )
    ).first()
    if found is None:
        return None
    author_id, deleted_at = found
    if deleted_at is not None:
        return False, author_id
    result = await session.execute(
        update(LivestreamChatMessage)
        .where(LivestreamChatMessage.id == message_id,
               LivestreamChatMessage.deleted_at.is_(None))
        .values(deleted_at=now, deleted_by_id=deleted_by_id)
        .returning(LivestreamChatMessage.id)
    )
    return result.first() is not None, author_id


# --- mutes -----------------------------------------------------------------------------


async def user_and_organization(
    session: AsyncSession, user_id: int
) -> tuple[str, int | None] | None:
    """(the user's name, the organization they belong to), or None for no such user."""
    row = (
        await session.execute(
            select(User.full_name, Membership.organization_id)
            .outerjoin(Membership, Membership.user_id == User.id)
            .where(User.id == user_id)
        )
    ).first()
    return None if row is None else (str(row[0]), row[1])


async def put_mute(
    session: AsyncSession, livestream_id: int, user_id: int, until: datetime,
    muted_by_id: int, now: datetime,
) -> None:
    """Mute the user until ``until`` (replacing any earlier mute)."""
    stmt = insert_for(session)(LivestreamMute).values(
        livestream_id=livestream_id, user_id=user_id, until=until, muted_by_id=muted_by_id,
        created_at=now,
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["livestream_id", "user_id"],
            set_={"until": until, "muted_by_id": muted_by_id, "created_at": now},
        )
    )


async def delete_mute(session: AsyncSession, livestream_id: int, user_id: int) -> bool:
    result = await session.execute(
        delete(LivestreamMute)
        .where(LivestreamMute.livestream_id == livestream_id, LivestreamMute.user_id == user_id)
        .returning(LivestreamMute.user_id)
    )
    return result.first() is not None


async def active_mutes(
    session: AsyncSession, livestream_id: int, now: datetime, limit: int,
    after: tuple[datetime, int] | None = None,
) -> Sequence[tuple[LivestreamMute, str]]:
    """Up to ``limit + 1`` mutes still running, soonest to end first, with the muted user's
    name; keyset on (until, user_id) after ``after``."""
    query = (
        select(LivestreamMute, User.full_name)
        .join(User, User.id == LivestreamMute.user_id)
        .where(LivestreamMute.livestream_id == livestream_id, LivestreamMute.until > now)
    )
    if after is not None:
        until, last_user_id = after
        query = query.where(or_(
            LivestreamMute.until > until,
            and_(LivestreamMute.until == until, LivestreamMute.user_id > last_user_id),
        ))
    rows = await session.execute(
        query.order_by(LivestreamMute.until, LivestreamMute.user_id).limit(limit + 1)
    )
    return [(mute, str(name)) for mute, name in rows]
