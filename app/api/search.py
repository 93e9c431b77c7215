"""Product search across an event: GET /events/{id}/products?q=..."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.api.deps import OptionalPrincipal, SessionDep
from app.search import service as search
from app.search.schemas import SearchPage, SearchParams

router = APIRouter(tags=["search"])


@router.get("/events/{event_id}/products")
async def search_event_products(
    event_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    params: Annotated[SearchParams, Query()],
    principal: OptionalPrincipal,
    session: SessionDep,
) -> SearchPage:
    """Search the products exhibited in an event, with facet counts.

    Public for published, live and closed events; a draft event is visible to its
    organizer's members only (404 for anyone else). Errors (422): `validation_error` for a
    field (unknown sort, negative price, bad currency, incoterm or country...),
    `invalid_price_range`, `currency_required` (price filter or sort without a currency),
    `too_many_terms`, `invalid_cursor`.
    """
    return await search.search_products(session, principal, event_id, params)
