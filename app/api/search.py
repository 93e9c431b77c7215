"""Product search across an event: GET /events/{id}/products?q=..."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.deps import OptionalPrincipal, SessionDep
from app.search import service as search
from app.search.schemas import SearchPage, SearchParams

router = APIRouter(tags=["search"])


@router.get("/events/{event_id}/products", response_model=SearchPage)
async def search_event_products(
    request: Request,
    event_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    params: Annotated[SearchParams, Query()],
    principal: OptionalPrincipal,
    session: SessionDep,
) -> Response:
    """Search the products exhibited in an event, with facet counts.

    Public for published, live and closed events; a draft event is visible to its
    organizer's members only (404 for anyone else). Errors (422): `validation_error` for a
    field (unknown sort, negative price, bad currency, incoterm or country...),
    `invalid_price_range`, `currency_required` (price filter or sort without a currency),
    `too_many_terms`, `invalid_cursor`.

    Answers for public events are cached until the catalog changes (at most
    `TRADEHALL_SEARCH_CACHE_TTL_SECONDS` old if an invalidation is lost).
    """
    # The body is already encoded (and possibly cached): returning it as is skips FastAPI's
    # re-validation of the response model.
    body = await search.search_products_cached(
        session, principal, event_id, params, request.app.state.search_cache
    )
    return Response(body, media_type="application/json")
