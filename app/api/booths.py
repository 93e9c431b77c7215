"""Booths: /events/{id}/booths (apply, list, search) and /booths/{id} (profile, decisions)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["booths"])
