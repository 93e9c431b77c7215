"""Product search across an event: GET /events/{id}/products?q=..."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["search"])
