from __future__ import annotations

from fastapi import APIRouter

from app.api import auth, invitations, me, organizations

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth.router)
api_router.include_router(me.router)
api_router.include_router(organizations.router)
api_router.include_router(invitations.router)
