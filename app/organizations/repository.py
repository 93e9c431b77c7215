"""Queries for organizations, memberships and invitations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Invitation, Membership, Organization, User


async def get(session: AsyncSession, organization_id: int) -> Organization | None:
    return await session.get(Organization, organization_id)


async def list_members(
    session: AsyncSession, organization_id: int
) -> list[tuple[Membership, User]]:
    rows = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organization_id == organization_id)
        .order_by(Membership.id)
    )
    return [(m, u) for m, u in rows]


async def active_owner_emails(session: AsyncSession, organization_id: int) -> list[str]:
    result = await session.scalars(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == organization_id,
            Membership.role == "owner",
            User.is_active.is_(True),
        )
        .order_by(User.id)
    )
    return list(result)


async def list_open_invitations(
    session: AsyncSession, organization_id: int, now: datetime
) -> list[Invitation]:
    result = await session.scalars(
        select(Invitation)
        .where(
            Invitation.organization_id == organization_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .order_by(Invitation.id.desc())
    )
    return list(result)


async def get_invitation(
    session: AsyncSession, organization_id: int, invitation_id: int
) -> Invitation | None:
    return await session.scalar(
        select(Invitation).where(
            Invitation.id == invitation_id, Invitation.organization_id == organization_id
        )
    )


async def get_invitation_by_hash(
    session: AsyncSession, token_hash: str
) -> tuple[Invitation, Organization] | None:
    row = (
        await session.execute(
            select(Invitation, Organization)
            .join(Organization, Organization.id == Invitation.organization_id)
            .where(Invitation.token_hash == token_hash)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def claim_invitation(
    session: AsyncSession, invitation_id: int, user_id: int, now: datetime
) -> bool:
    """Mark the invitation used, only if it still is open: the single-use guard under races."""
    result = await session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(accepted_at=now, accepted_user_id=user_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def list_all(
    session: AsyncSession, *, limit: int, after_id: int | None
) -> list[Organization]:
    query = select(Organization).order_by(Organization.id).limit(limit)
    if after_id is not None:
        query = query.where(Organization.id > after_id)
    return list(await session.scalars(query))
