"""Queries for uploaded media."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Media


async def get(session: AsyncSession, media_id: int) -> Media | None:
    return await session.get(Media, media_id)


async def get_many(session: AsyncSession, media_ids: Collection[int]) -> dict[int, Media]:
    if not media_ids:
        return {}
    rows = await session.scalars(select(Media).where(Media.id.in_(set(media_ids))))
    return {media.id: media for media in rows}


async def list_for_org(
    session: AsyncSession, organization_id: int, *, limit: int, before_id: int | None
) -> list[Media]:
    query = (
        select(Media)
        .where(Media.owner_org_id == organization_id)
        .order_by(Media.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(Media.id < before_id)
    return list(await session.scalars(query))
