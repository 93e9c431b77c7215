"""Search queries: the event's products, a results page, and facet counts.

Scope: the non-deleted products of suppliers with an *approved* booth in the event. A
supplier has at most one booth per event, so each product appears once, with that booth
and its hall. Engine differences (text matching, ranking, JSON lists) are in `engines`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    cast,
    func,
    literal,
    literal_column,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause

from app.models import Booth, Event, Hall, Organization, Product, ProductImage
from app.search.engines import Engine, TextMatch, engine_for

Facet = Literal["category", "certification", "incoterm", "origin", "hall", "currency"]
FACETS: tuple[Facet, ...] = ("category", "certification", "incoterm", "origin", "hall",
                             "currency")
SortKey = Literal["relevance", "price_asc", "price_desc", "newest"]


@dataclass(frozen=True)
class Criteria:
    """What to find (already validated): text terms and filters."""

    event_id: int
    terms: tuple[str, ...] = ()
    hall_id: int | None = None
    category: str | None = None
    certification: str | None = None
    incoterm: str | None = None
    origin: str | None = None
    currency: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    moq_max: Decimal | None = None


@dataclass(frozen=True)
class Position:
    """Where the previous page ended: its last row's sort key and id."""

    key: float | Decimal | datetime
    id: int


@dataclass(frozen=True)
class PageRow:
    product: Product
    supplier_name: str
    booth_id: int
    hall_id: int
    image_id: int | None
    sort_key: float | Decimal | datetime


def _engine(session: AsyncSession) -> Engine:
    return engine_for(session.get_bind().dialect.name)


async def get_event(session: AsyncSession, event_id: int) -> Event | None:
    return await session.get(Event, event_id)


async def plan_each_query(session: AsyncSession) -> None:
    """PostgreSQL: plan this transaction's queries for their actual values.

    The driver prepares statements and PostgreSQL switches a prepared statement to a generic
    plan after a few runs; for search that plan guesses a pattern matches 0.5% of the rows
    (measured: 5 rows estimated, 4,355 found for "shrimp" + MSC), which is wrong by orders
    of magnitude for common words. Planning costs about a millisecond; a bad plan, far more.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(sql("SET LOCAL plan_cache_mode = force_custom_plan"))


async def halls(session: AsyncSession, event_id: int) -> dict[int, Hall]:
    rows = await session.scalars(select(Hall).where(Hall.event_id == event_id))
    return {hall.id: hall for hall in rows}


def _facet_filters(engine: Engine, criteria: Criteria) -> dict[Facet, ColumnElement[bool]]:
    """The facet-able filters that are set, each as one condition."""
    filters: dict[Facet, ColumnElement[bool]] = {}
    if criteria.category is not None:
        filters["category"] = Product.category == criteria.category
    if criteria.certification is not None:
        filters["certification"] = engine.list_contains(
            Product.certifications, criteria.certification
        )
    if criteria.incoterm is not None:
        filters["incoterm"] = engine.list_contains(Product.incoterms, criteria.incoterm)
    if criteria.origin is not None:
        filters["origin"] = Product.origin_country == criteria.origin
    if criteria.hall_id is not None:
        filters["hall"] = Booth.hall_id == criteria.hall_id
    # The price range belongs with the currency: it only means something in one currency.
    money: list[ColumnElement[bool]] = []
    if criteria.currency is not None:
        money.append(Product.currency == criteria.currency)
    if criteria.price_min is not None:
        money.append(Product.price_from >= criteria.price_min)
    if criteria.price_max is not None:
        money.append(Product.price_from <= criteria.price_max)
    if money:
        filters["currency"] = and_(*money)
    return filters


def _scoped(query: Select[Any], criteria: Criteria, text: TextMatch) -> Select[Any]:
    """FROM products + the approved booth in the event (+ text index); base conditions."""
    query = query.select_from(Product).join(
        Booth,
        and_(
            Booth.supplier_id == Product.supplier_id,
            Booth.event_id == criteria.event_id,
            Booth.status == "approved",
        ),
    )
    for target, on in text.joins:
        query = query.join(target, on)
    conditions = [Product.deleted_at.is_(None), *text.conditions]
    if criteria.moq_max is not None:
        conditions.append(Product.moq <= criteria.moq_max)
    return query.where(*conditions)


def _sort_key(sort: SortKey, text: TextMatch) -> ColumnElement[Any]:
    if sort == "relevance" and text.score is not None:
        return text.score
    if sort in ("price_asc", "price_desc"):
        return Product.price_from.expression
    return Product.created_at.expression


async def page(
    session: AsyncSession,
    criteria: Criteria,
    *,
    sort: SortKey,
    limit: int,
    after: Position | None,
) -> list[PageRow]:
    """Up to `limit` rows in `sort` order, after `after` (keyset: never a gap or a repeat
    while the data stays the same). Ties are broken by id, in the sort's direction."""
    engine = _engine(session)
    text = engine.text_match(criteria.terms)
    key = _sort_key(sort, text)
    ascending = sort == "price_asc"
    inner = _scoped(
        select(
            Product.id.label("id"),
            Booth.id.label("booth_id"),
            Booth.hall_id.label("hall_id"),
            key.label("sort_key"),
        ),
        criteria,
        text,
    ).where(*_facet_filters(engine, criteria).values())
    if after is not None:
        position = tuple_(key, Product.id)
        last = tuple_(literal(after.key, key.type), literal(after.id, Integer))
        inner = inner.where(position > last if ascending else position < last)
    if ascending:
        inner = inner.order_by(key.asc(), Product.id.asc())
    else:
        inner = inner.order_by(key.desc(), Product.id.desc())
    chosen = inner.limit(limit).subquery("chosen")

    first_image = (
        select(ProductImage.media_id)
        .where(ProductImage.product_id == chosen.c.id)
        .order_by(ProductImage.position, ProductImage.id)
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(Product, Organization.name, chosen.c.booth_id, chosen.c.hall_id, first_image,
               chosen.c.sort_key)
        .select_from(chosen)
        .join(Product, Product.id == chosen.c.id)
        .join(Organization, Organization.id == Product.supplier_id)
    )
    if ascending:
        query = query.order_by(chosen.c.sort_key.asc(), chosen.c.id.asc())
    else:
        query = query.order_by(chosen.c.sort_key.desc(), chosen.c.id.desc())
    rows = await session.execute(query)
    return [
        PageRow(product, supplier_name, booth_id, hall_id, image_id, sort_key)
        for product, supplier_name, booth_id, hall_id, image_id, sort_key in rows
    ]


async def facet_counts(
    session: AsyncSession, criteria: Criteria
) -> tuple[int, dict[Facet, list[tuple[str, int]]]]:
    """The total, and per facet the (value, count) pairs over the results filtered by every
    filter except the facet's own. One statement: the rows matching the text and the other
    conditions are read once, with a flag per facet filter; each facet then counts the rows
    whose *other* flags hold."""
    engine = _engine(session)
    text = engine.text_match(criteria.terms)
    filters = _facet_filters(engine, criteria)
    columns: list[ColumnElement[Any]] = [
        Product.id.label("id"),
        Product.category.label("category"),
        Product.origin_country.label("origin"),
        Product.currency.label("currency"),
        Booth.hall_id.label("hall"),
        Product.certifications.label("certification"),
        Product.incoterms.label("incoterm"),
    ]
    columns += [condition.label(f"f_{facet}") for facet, condition in filters.items()]
    base = _scoped(select(*columns), criteria, text).cte("base").prefix_with("MATERIALIZED")

    def others(facet: Facet | None) -> list[ColumnElement[bool]]:
        return [base.c[f"f_{f}"] for f in filters if f != facet]

    parts: list[Select[str, str, int]] = [
        select(
            literal_column("'total'", String).label("facet"),
            cast(literal_column("NULL"), String).label("value"),
            func.count().label("n"),
        ).where(*others(None))
        .select_from(base)
    ]
    for facet in FACETS:
        if facet in ("certification", "incoterm"):
            elements = engine.list_elements(base.c[facet])
            value: ColumnElement[Any] = elements.c.value
            source: FromClause = base.join(elements, true())
        else:
            value = base.c[facet]
            source = base
        parts.append(
            select(
                literal_column(f"'{facet}'", String),
                cast(value, String),
                func.count(),
            )
            .select_from(source)
            .where(*others(facet))
            .group_by(value)
        )
    rows = await session.execute(union_all(*parts))
    total = 0
    counts: dict[str, list[tuple[str, int]]] = {facet: [] for facet in FACETS}
    for facet_name, facet_value, count in rows:
        if facet_name == "total":
            total = int(count)
        elif facet_value is not None:
            counts[facet_name].append((str(facet_value), int(count)))
    return total, {facet: counts[facet] for facet in FACETS}
    return total, counts
