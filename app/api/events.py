"""Events and halls: /events, /events/{id}, /events/{id}/halls."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/events", tags=["events"])
