"""Products: /products, /products/{id}, CSV import/export."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["products"])
