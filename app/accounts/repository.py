"""Queries for users and auth tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuthToken, Membership, User


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.lower()))


async def get_membership(session: AsyncSession, user_id: int) -> Membership | None:
    return await session.scalar(select(Membership).where(Membership.user_id == user_id))


async def get_live_token(
    session: AsyncSession, token_hash: str, kind: str, now: datetime
) -> tuple[AuthToken, User] | None:
    row = (
        await session.execute(
            select(AuthToken, User)
            .join(User, User.id == AuthToken.user_id)
            .where(
                AuthToken.token_hash == token_hash,
                AuthToken.kind == kind,
                AuthToken.revoked_at.is_(None),
                AuthToken.expires_at > now,
                User.is_active.is_(True),
            )
        )
    ).first()
    return (row[0], row[1]) if row else None


async def list_live_tokens(session: AsyncSession, user_id: int, now: datetime) -> list[AuthToken]:
    result = await session.scalars(
        select(AuthToken)
        .where(
            AuthToken.user_id == user_id,
            AuthToken.revoked_at.is_(None),
            AuthToken.expires_at > now,
        )
        .order_by(AuthToken.id)
    )
    return list(result)


async def revoke_token(
    session: AsyncSession, token_id: int, user_id: int, now: datetime
) -> bool:
    result = await session.execute(
        update(AuthToken)
        .where(
            AuthToken.id == token_id,
            AuthToken.user_id == user_id,
            AuthToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
