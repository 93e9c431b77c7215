"""Media uploads: /media (images only, re-encoded) and serving them."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["media"])
