"""Search across an event's products: English and Chinese text, filters, facets, sorting.

Rules:
- Visibility: a published, live or closed event's products are public; a draft event is
  visible only to members of its organizer organization (anyone else gets 404, as if it did
  not exist).
- Scope: the non-deleted products of suppliers with an approved booth in the event.
- Text: the query is split on whitespace; every term must occur in the product's name,
  description (English or Chinese), species, Latin name, category or HS code, as a
  substring ignoring case. Substrings make Chinese work without a word segmenter:
  ``虾`` finds 南美白对虾. (How each engine does it: ``app.search.engines``.)
- Prices are compared within one currency and never converted: a price range and the price
  sorts need ``currency``; the currency facet says which currencies the results have.
- Facets count the results with every filter applied except the facet's own.
- Sort: relevance (the default with text), newest (the default without), price_asc,
  price_desc; keyset cursors, so paging never repeats or skips a row while the data stays
  the same. A cursor belongs to its sort.
- Caching (``search_products_cached``): a public event's answer is shared by everyone who
  asks the same question until a unit of work that changes what search shows commits
  (``app.search.cache``, ``app.search.changes``).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.errors import InvalidInput, NotFound
from app.kit.pagination import decode_cursor, encode_cursor
from app.kit.validation import MAX_ID
from app.models import Event
from app.search import repository
from app.search.cache import SearchCache
from app.search.repository import Criteria, Facet, PageRow, Position, SortKey
from app.search.schemas import (
    MAX_PRICE,
    MAX_TERMS,
    FacetCount,
    Facets,
    HallFacetCount,
    SearchItem,
    SearchPage,
    SearchParams,
    SupplierRef,
)


class EventNotFound(NotFound):
    code = "event_not_found"
    message = "No such event."


class InvalidPriceRange(InvalidInput):
    code = "invalid_price_range"
    message = "price_min is greater than price_max; swap them or widen the range."


class CurrencyRequired(InvalidInput):
    code = "currency_required"
    message = (
        "Prices are compared within one currency: add currency (for example currency=USD) "
        "to filter or sort by price."
    )


class TooManyTerms(InvalidInput):
    code = "too_many_terms"
    message = f"The search text has more than {MAX_TERMS} words; use fewer, more telling words."


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"
    message = "The cursor is not valid for this search; start again without it."


def can_see_event(event: Event, principal: Principal | None) -> bool:
    if event.status != "draft":
        return True
    return principal is not None and principal.is_member_of(event.organizer_id)


def parse_terms(q: str | None) -> tuple[str, ...]:
    """Whitespace-separated terms, each once (ignoring case), in the order typed."""
    seen: set[str] = set()
    terms: list[str] = []
    for term in (q or "").split():
        if term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise TooManyTerms()
    return tuple(terms)


def effective_sort(params: SearchParams, terms: tuple[str, ...]) -> SortKey:
    if params.sort is None or (params.sort == "relevance" and not terms):
        return "relevance" if terms else "newest"
    return params.sort


def _check(params: SearchParams, sort: SortKey) -> None:
    if (
        params.price_min is not None
        and params.price_max is not None
        and params.price_min > params.price_max
    ):
        raise InvalidPriceRange()
    uses_price = (
        params.price_min is not None
        or params.price_max is not None
        or sort in ("price_asc", "price_desc")
    )
    if uses_price and params.currency is None:
        raise CurrencyRequired()


def _encode(sort: SortKey, row: PageRow) -> str:
    key: Any = row.sort_key
    if isinstance(key, datetime):
        key = key.isoformat()
    elif isinstance(key, Decimal):
        key = str(key)
    else:
        key = float(key)
    return encode_cursor([sort, key, row.product.id])


def _decode(cursor: str, sort: SortKey) -> Position:
    try:
        values = decode_cursor(cursor)
    except InvalidInput as exc:
        raise InvalidCursor() from exc
    if len(values) != 3 or values[0] != sort:
        raise InvalidCursor()
    _sort, raw, product_id = values
    if not isinstance(product_id, int) or isinstance(product_id, bool):
        raise InvalidCursor()
    if not 0 < product_id <= MAX_ID:
        raise InvalidCursor()
    key: float | Decimal | datetime
    try:
        if sort == "newest":
            key = datetime.fromisoformat(raw)
            if key.tzinfo is None:
                raise InvalidCursor()
            key = key.astimezone(UTC)
        elif sort in ("price_asc", "price_desc"):
            key = Decimal(raw)
            if not key.is_finite() or abs(key) > MAX_PRICE:
                raise InvalidCursor()
        else:
            if not isinstance(raw, int | float) or isinstance(raw, bool):
                raise InvalidCursor()
            key = float(raw)
            if not math.isfinite(key):
                raise InvalidCursor()
    except (TypeError, ValueError, InvalidOperation, OverflowError) as exc:
        raise InvalidCursor() from exc
    return Position(key, product_id)


def _item(row: PageRow) -> SearchItem:
    product = row.product
    return SearchItem(
        id=product.id,
        name=product.name,
        name_zh=product.name_zh,
        category=product.category,
        supplier=SupplierRef(id=product.supplier_id, name=row.supplier_name),
        booth_id=row.booth_id,
        hall_id=row.hall_id,
        price_from=product.price_from,
        currency=product.currency,
        unit=product.unit,
        moq=product.moq,
        incoterms=list(product.incoterms),
        certifications=list(product.certifications),
        origin_country=product.origin_country,
        origin_region=product.origin_region,
        image_id=row.image_id,
    )


def _ranked(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


async def search_products_cached(
    session: AsyncSession,
    principal: Principal | None,
    event_id: int,
    params: SearchParams,
    cache: SearchCache,
) -> bytes:
    """`search_products` encoded as JSON, answered from `cache` when it may be.

    Results of events everyone may see are shared by all callers until the catalog changes
    (see ``app.search.cache``); a draft event's are computed for each caller."""

    async def compute() -> tuple[bytes, bool]:
        page, event = await _search(session, principal, event_id, params)
        return page.model_dump_json().encode(), event.status != "draft"

    return await cache.get_or_compute((event_id, params.model_dump_json()), compute)


async def search_products(
    session: AsyncSession,
    principal: Principal | None,
    event_id: int,
    params: SearchParams,
) -> SearchPage:
    """One page of an event's products matching `params`, with facet counts and the total."""
    page, _event = await _search(session, principal, event_id, params)
    return page


async def _search(
    session: AsyncSession,
    principal: Principal | None,
    event_id: int,
    params: SearchParams,
) -> tuple[SearchPage, Event]:
    event = await repository.get_event(session, event_id)
    if event is None or not can_see_event(event, principal):
        raise EventNotFound()
    terms = parse_terms(params.q)
    sort = effective_sort(params, terms)
    _check(params, sort)
    after = _decode(params.cursor, sort) if params.cursor else None
    criteria = Criteria(
        event_id=event.id,
        terms=terms,
        hall_id=params.hall_id,
        category=params.category,
        certification=params.certification,
        incoterm=params.incoterm,
        origin=params.origin,
        currency=params.currency,
        price_min=params.price_min,
        price_max=params.price_max,
        moq_max=params.moq_max,
    )
    await repository.plan_each_query(session)
    rows = await repository.page(
        session, criteria, sort=sort, limit=params.limit + 1, after=after
    )
    total, counts = await repository.facet_counts(session, criteria)
    halls = await repository.halls(session, event.id)

    more = len(rows) > params.limit
    rows = rows[: params.limit]

    def plain(facet: Facet) -> list[FacetCount]:
        return [FacetCount(value=v, count=n) for v, n in _ranked(counts[facet])]

    hall_counts = [
        HallFacetCount(value=hall.id, name=hall.name, name_zh=hall.name_zh, count=n)
        for value, n in _ranked(counts["hall"])
        if (hall := halls.get(int(value))) is not None
    ]
    page = SearchPage(
        items=[_item(row) for row in rows],
        next_cursor=_encode(sort, rows[-1]) if more else None,
        facets=Facets(
            category=plain("category"),
            certification=plain("certification"),
            incoterm=plain("incoterm"),
            origin=plain("origin"),
            hall=hall_counts,
            currency=plain("currency"),
        ),
        total=total,
    )
    return page, event
