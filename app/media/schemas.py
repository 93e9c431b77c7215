from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from app.media.service import image_url
from app.models import Media


class MediaRead(BaseModel):
    id: int
    owner_org_id: int
    url: str
    thumbnail_url: str
    content_type: str
    width: int
    height: int
    size_bytes: int
    created_at: datetime

    @classmethod
    def of(cls, media: Media) -> MediaRead:
        return cls(
            id=media.id,
            owner_org_id=media.owner_org_id,
            url=image_url(media.id),
            thumbnail_url=image_url(media.id, thumbnail=True),
            content_type=media.content_type,
            width=media.width,
            height=media.height,
            size_bytes=media.size_bytes,
            created_at=media.created_at,
        )
