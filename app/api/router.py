from __future__ import annotations

from fastapi import APIRouter

from app.api import (
    auth,
    booths,
    events,
    invitations,
    me,
    media,
    organizations,
    products,
    search,
)

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth.router)
api_router.include_router(me.router)
api_router.include_router(organizations.router)
api_router.include_router(invitations.router)
api_router.include_router(events.router)
api_router.include_router(booths.router)
api_router.include_router(products.router)
api_router.include_router(search.router)
api_router.include_router(media.router)
