"""The public exhibition floor: events, an event's lobby, booths, products and product search.

Everything here is public for published, live and closed events (the services decide: a draft
is 404 for all but its organizer). Visits and product views are counted through the analytics
recorder, which only queues them: the page never waits for the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.analytics import service as analytics
from app.booths import service as booths
from app.booths.certifications import normalize_scheme
from app.booths.schemas import BoothRead
from app.catalog import service as catalog
from app.errors import AppError, InvalidInput, NotFound
from app.events import service as events
from app.events.schemas import EventRead
from app.kit.validation import is_country_code
from app.media.service import image_url
from app.organizations import service as organizations
from app.search import service as search
from app.search.schemas import SORTS, SearchPage, SearchParams
from app.web import livestream_pages, matchmaking_participant_pages
from app.web.exhibition_view import MAX_ID, ViewDep, query_int, url_with
from app.web.messages import N_

router = APIRouter(include_in_schema=False)

EventId = Annotated[int, Path(ge=1, le=MAX_ID)]
BoothId = Annotated[int, Path(ge=1, le=MAX_ID)]
ProductId = Annotated[int, Path(ge=1, le=MAX_ID)]

PUBLIC_STATUSES = ("published", "live", "closed")
EVENTS_PER_PAGE = 24
BOOTHS_PER_PAGE = 24
PRODUCTS_PER_BOOTH_PAGE = 24
RESULTS_PER_PAGE = 24
MAX_BOOTH_QUERY = 100


# --- events ------------------------------------------------------------------------------


@router.get("/events", response_class=HTMLResponse)
async def events_index(view: ViewDep) -> Response:
    """Public events, newest first: the way into every lobby."""
    cursor = view.request.query_params.get("cursor") or None
    items, next_cursor = await events.list_events(
        view.session, view.viewer, statuses=PUBLIC_STATUSES, limit=EVENTS_PER_PAGE,
        cursor=cursor,
    )
    return view.render(
        "exhibition/events.html",
        events=items,
        next_url=url_with("/events", {}, cursor=next_cursor) if next_cursor else None,
        first_url="/events" if cursor else None,
    )


@dataclass
class BoothQuery:
    """The lobby's booth search, as typed (kept in the form) and as understood."""

    q: str = ""
    certification: str = ""
    market: str = ""
    hall_id: int | None = None
    cursor: str | None = None


def _booth_query(view: Any) -> tuple[BoothQuery, dict[str, str]]:
    params = view.request.query_params
    query = BoothQuery(
        q=(params.get("q") or "").strip(),
        certification=(params.get("certification") or "").strip(),
        market=(params.get("market") or "").strip().upper(),
        hall_id=query_int(params.get("hall")),
        cursor=params.get("cursor") or None,
    )
    errors: dict[str, str] = {}
    if len(query.q) > MAX_BOOTH_QUERY or not query.q.isprintable():
        errors["q"] = view._("Use at most %(n)s letters, without line breaks.", n=MAX_BOOTH_QUERY)
    if query.certification and normalize_scheme(query.certification) is None:
        errors["certification"] = view._("Choose a certification from the list.")
    if query.market and not is_country_code(query.market):
        errors["market"] = view._("Choose a country from the list.")
    return query, errors


@router.get("/events/{event_id}", response_class=HTMLResponse)
async def lobby(event_id: EventId, view: ViewDep) -> Response:
    """The event's lobby: its halls and a grid of its approved booths, searchable."""
    event = await events.get_event(view.session, view.viewer, event_id)
    halls, _ = await events.list_halls(view.session, view.viewer, event.id, limit=100, cursor=None)
    query, errors = _booth_query(view)
    if query.hall_id is not None and all(h.id != query.hall_id for h in halls):
        query.hall_id = None
    found: list[Any] = []
    next_cursor = None
    if not errors:
        try:
            found, next_cursor = await booths.list_booths(
                view.session, view.viewer, event.id,
                booths.BoothFilters(
                    status="approved",
                    hall_id=query.hall_id,
                    text=query.q or None,
                    certification=normalize_scheme(query.certification)
                    if query.certification else None,
                    market=query.market or None,
                ),
                limit=BOOTHS_PER_PAGE,
                cursor=query.cursor,
            )
        except InvalidInput as exc:  # a cursor from an older page: start again
            errors["cursor"] = view.error_text(exc)
    here = f"/events/{event.id}"
    base = {"q": query.q, "certification": query.certification, "market": query.market,
            "hall": query.hall_id}
    return view.render(
        "exhibition/lobby.html",
        status_code=422 if errors else 200,
        event=event,
        halls=halls,
        booths=found,
        query=query,
        errors=errors,
        searching=bool(query.q or query.certification or query.market),
        hall_url=lambda hall_id: url_with(here, base, hall=hall_id, cursor=None),
        clear_url=url_with(here, {}, hall=query.hall_id),
        next_url=url_with(here, base, cursor=next_cursor) if next_cursor else None,
        total_booths=sum(h.booth_count for h in halls),
        logo_url=lambda media_id: image_url(media_id, thumbnail=True) if media_id else None,
        can_apply=view.organization_kind == "supplier" and event.status in ("published", "live"),
        is_organizer=view.viewer is not None and view.viewer.is_member_of(event.organizer_id),
        **await matchmaking_participant_pages.event_section(view, event),
    )


# --- booths ------------------------------------------------------------------------------


@router.get("/booths/{booth_id}", response_class=HTMLResponse)
async def booth_page(booth_id: BoothId, view: ViewDep) -> Response:
    """A booth: the exhibitor's profile, certificates, factory facts and every product."""
    booth = await booths.get_booth(view.session, view.viewer, booth_id)
    event = await events.get_event(view.session, view.viewer, booth.event_id)
    supplier = await organizations.get_profile(view.session, booth.supplier_id)
    before = query_int(view.request.query_params.get("before"))
    rows = await catalog.list_products(
        view.session, booth.supplier_id, limit=PRODUCTS_PER_BOOTH_PAGE + 1, before_id=before
    )
    products = rows[:PRODUCTS_PER_BOOTH_PAGE]
    more = len(rows) > PRODUCTS_PER_BOOTH_PAGE
    if booth.status == "approved":
        analytics.record_booth_visit(
            view.request.app.state,
            event_id=booth.event_id,
            booth_id=booth.id,
            supplier_id=booth.supplier_id,
            viewer=view.viewer,
        )
    here = f"/booths/{booth.id}"
    return view.render(
        "exhibition/booth.html",
        booth=booth,
        event=event,
        supplier=supplier,
        products=products,
        next_url=url_with(here, {}, before=products[-1].id) + "#products" if more else None,
        first_url=f"{here}#products" if before else None,
        logo_url=image_url(booth.logo_id, thumbnail=True) if booth.logo_id else None,
        banner_url=image_url(booth.banner_id) if booth.banner_id else None,
        is_exhibitor=view.viewer is not None and view.viewer.is_member_of(booth.supplier_id),
        **await livestream_pages.booth_section(view, booth),
    )


# --- products ----------------------------------------------------------------------------


async def _booth_context(view: Any, booth_id: int | None, supplier_id: int) -> BoothRead | None:
    """The booth the product was opened from (``?booth=``), if it really shows the product."""
    if booth_id is None:
        return None
    try:
        booth = await booths.get_booth(view.session, view.viewer, booth_id)
    except NotFound:
        return None
    if booth.supplier_id != supplier_id or booth.status != "approved":
        return None
    return booth


@router.get("/products/{product_id}", response_class=HTMLResponse)
async def product_page(product_id: ProductId, view: ViewDep) -> Response:
    """A product with its full trade terms; opened from a booth, it says which one."""
    product = await catalog.get_product(view.session, product_id)
    supplier = await organizations.get_profile(view.session, product.supplier_id)
    booth = await _booth_context(
        view, query_int(view.request.query_params.get("booth")), product.supplier_id
    )
    event: EventRead | None = None
    if booth is not None:
        event = await events.get_event(view.session, view.viewer, booth.event_id)
    analytics.record_product_view(
        view.request.app.state,
        product_id=product.id,
        supplier_id=product.supplier_id,
        viewer=view.viewer,
        event_id=booth.event_id if booth else None,
        booth_id=booth.id if booth else None,
    )
    return view.render(
        "exhibition/product.html",
        product=product,
        supplier=supplier,
        booth=booth,
        event=event,
        is_supplier=view.viewer is not None and view.viewer.is_member_of(product.supplier_id),
    )


# --- search ------------------------------------------------------------------------------

# Facets a buyer ticks (query parameter, facet name in the results).
FACET_PARAMS = (
    ("category", "category"),
    ("certification", "certification"),
    ("incoterm", "incoterm"),
    ("origin", "origin"),
    ("hall_id", "hall"),
)
TEXT_PARAMS = ("q", "currency", "price_min", "price_max", "moq_max", "sort")

# Service errors shown next to the field they are about.
_ERROR_FIELDS = {
    "invalid_price_range": "price_min",
    "currency_required": "currency",
    "too_many_terms": "q",
    "invalid_cursor": "cursor",
}
_FIELD_MESSAGES = {
    "q": N_("Use at most 200 characters."),
    "currency": N_("Choose a currency from the list."),
    "price_min": N_("Enter a price of 0 or more, such as 4.50."),
    "price_max": N_("Enter a price of 0 or more, such as 4.50."),
    "moq_max": N_("Enter a quantity greater than 0, such as 1000."),
    "sort": N_("Choose one of the options."),
    "category": N_("Choose one of the options."),
    "certification": N_("Choose one of the options."),
    "incoterm": N_("Choose one of the options."),
    "origin": N_("Choose one of the options."),
    "hall_id": N_("Choose one of the options."),
    "cursor": N_("The cursor is not valid for this search; start again without it."),
}


@dataclass
class SearchForm:
    values: dict[str, Any]  # what the form shows: text fields as typed, facets as lists
    errors: dict[str, str]
    narrowed: list[str]  # facets where several values were ticked and one was applied


def _search_form(view: Any) -> tuple[SearchForm, dict[str, Any]]:
    """The query string as the form shows it, and as the search service takes it."""
    params = view.request.query_params
    values: dict[str, Any] = {name: (params.get(name) or "").strip() for name in TEXT_PARAMS}
    raw: dict[str, Any] = {k: v for k, v in values.items() if v}
    narrowed: list[str] = []
    for name, _facet in FACET_PARAMS:
        chosen = [v.strip() for v in params.getlist(name) if v.strip()]
        values[name] = chosen
        if chosen:
            # One value per facet: the search service filters on one. The facets module
            # (frontend/static/js/facets.js) keeps one box ticked per group.
            raw[name] = chosen[0]
            if len(chosen) > 1:
                narrowed.append(name)
    cursor = params.get("cursor") or None
    if cursor:
        raw["cursor"] = cursor
    raw["limit"] = RESULTS_PER_PAGE
    return SearchForm(values=values, errors={}, narrowed=narrowed), raw


def _validation_errors(view: Any, exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "q"
        message = _FIELD_MESSAGES.get(field, N_("Check this value and try again."))
        errors.setdefault(field, view._(message))
    return errors


@router.get("/events/{event_id}/search", response_class=HTMLResponse)
async def search_page(event_id: EventId, view: ViewDep) -> Response:
    """Search the event's products: English or Chinese text, facets with counts, sorting.

    A plain GET form: it works without JavaScript, and every result page has its own URL.
    """
    event = await events.get_event(view.session, view.viewer, event_id)
    halls, _ = await events.list_halls(view.session, view.viewer, event.id, limit=100, cursor=None)
    hall_names = {str(h.id): view.x.pick(h.name, h.name_zh) for h in halls}
    form, raw = _search_form(view)
    result: SearchPage | None = None
    try:
        params = SearchParams.model_validate(raw)
    except ValidationError as exc:
        form.errors = _validation_errors(view, exc)
    else:
        try:
            body = await search.search_products_cached(
                view.session, view.viewer, event.id, params, view.request.app.state.search_cache
            )
            result = SearchPage.model_validate_json(body)
        except AppError as exc:
            if exc.status_code != 422:
                raise
            form.errors[_ERROR_FIELDS.get(exc.code, "q")] = view.error_text(exc)
    here = f"/events/{event.id}/search"
    current = dict(form.values)
    return view.render(
        "exhibition/search.html",
        status_code=422 if form.errors else 200,
        event=event,
        form=form,
        values=form.values,
        errors=form.errors,
        result=result,
        sorts=SORTS,
        facets=_facet_groups(view, form, result, hall_names),
        active=_active_filters(view, form, here, current, hall_names),
        next_url=url_with(here, current, cursor=result.next_cursor)
        if result is not None and result.next_cursor else None,
        first_url=url_with(here, current, cursor=None)
        if view.request.query_params.get("cursor") else None,
        here=here,
        thumb_url=lambda media_id: image_url(media_id, thumbnail=True) if media_id else None,
    )


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


@dataclass
class FacetGroup:
    name: str  # the query parameter
    legend: str
    options: list[FacetOption]


def _facet_label(view: Any, facet: str, value: str, hall_names: dict[str, str]) -> str:
    x = view.x
    if facet == "category":
        return str(x.category(value))
    if facet == "certification":
        return str(x.certification(value))
    if facet == "incoterm":
        return f"{value} · {x.incoterm(value)}"
    if facet == "origin":
        return str(x.country(value))
    return hall_names.get(value, value)


def _facet_groups(
    view: Any, form: SearchForm, result: SearchPage | None, hall_names: dict[str, str]
) -> list[FacetGroup]:
    legends = {
        "category": view._("Category"),
        "certification": view._("Certification"),
        "incoterm": view._("Incoterm"),
        "origin": view._("Origin"),
        "hall_id": view._("Hall"),
    }
    counts: dict[str, list[tuple[str, int]]] = {}
    if result is not None:
        facets = result.facets
        counts = {
            "category": [(f.value, f.count) for f in facets.category],
            "certification": [(f.value, f.count) for f in facets.certification],
            "incoterm": [(f.value, f.count) for f in facets.incoterm],
            "origin": [(f.value, f.count) for f in facets.origin],
            "hall_id": [(str(f.value), f.count) for f in facets.hall],
        }
    groups = []
    for name, _facet in FACET_PARAMS:
        chosen = form.values.get(name, [])
        applied = chosen[:1]
        options = [
            FacetOption(value, _facet_label(view, name, value, hall_names), count,
                        value in applied)
            for value, count in counts.get(name, [])
        ]
        # A ticked value that no longer has results stays listed, so it can be unticked.
        listed = {o.value for o in options}
        options += [FacetOption(v, _facet_label(view, name, v, hall_names), 0, True)
                    for v in applied if v not in listed]
        groups.append(FacetGroup(name, legends[name], options))
    return groups


@dataclass
class ActiveFilter:
    label: str
    remove_url: str


def _active_filters(
    view: Any, form: SearchForm, here: str, current: dict[str, Any], hall_names: dict[str, str]
) -> list[ActiveFilter]:
    """Each filter in use, with a link that drops just it (the empty state offers them)."""
    active = []
    for name, _facet in FACET_PARAMS:
        for value in form.values.get(name, [])[:1]:
            label = _facet_label(view, name, value, hall_names)
            active.append(ActiveFilter(label, url_with(here, current, **{name: None},
                                                       cursor=None)))
    for name in ("price_min", "price_max", "moq_max"):
        if form.values.get(name):
            label = {
                "price_min": view._("Price from %(value)s", value=form.values[name]),
                "price_max": view._("Price up to %(value)s", value=form.values[name]),
                "moq_max": view._("MOQ up to %(value)s", value=form.values[name]),
            }[name]
            active.append(ActiveFilter(label, url_with(here, current, **{name: None},
                                                       cursor=None)))
    return active
