"""Test data the booth tests need beyond the public API."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Media


async def create_media(db: AsyncSession, owner_org_id: int | None) -> int:
    """An uploaded image's row. The upload pipeline belongs to the media tests; the booth
    rules only care whose image it is."""
    assert owner_org_id is not None
    media = Media(
        owner_org_id=owner_org_id,
        storage_key=f"test/{uuid.uuid4().hex}.webp",
        thumbnail_key=f"test/{uuid.uuid4().hex}.thumb.webp",
        content_type="image/webp",
        width=640,
        height=480,
        size_bytes=1024,
    )
    db.add(media)
    await db.commit()
    return media.id
