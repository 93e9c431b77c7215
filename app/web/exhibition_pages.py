"""Exhibition floor pages: event lobby, booths, products, search, exhibitor and organizer tools."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
