"""Which units of work changed what product search shows.

A search result is built from products (and their price tiers and images), the booths that
exhibit them, the event and its halls, and the suppliers' names. A session that writes any
of those tables — through the ORM or with a bulk INSERT/UPDATE/DELETE statement — is marked,
and once it commits, cached search results are invalidated (``app.search.cache``).

The listeners are installed on SQLAlchemy's ``Session`` class, so they see every session
(API, pages, WebSocket actions, the demo seed); marking is a flag in ``session.info`` and
costs a set lookup per flushed object.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

SEARCHED_TABLES = frozenset({
    "products", "price_tiers", "product_images", "booths", "events", "halls", "organizations",
})
CATALOG_CHANGED_KEY = "search.catalog_changed"


def _table_name(obj: object) -> str | None:
    return getattr(type(obj), "__tablename__", None)


@event.listens_for(Session, "after_flush")
def _mark_flushed_changes(session: Session, _flush_context: UOWTransaction) -> None:
    if CATALOG_CHANGED_KEY in session.info:
        return
    # After a flush the new/dirty/deleted collections still hold what was just written.
    for obj in chain(session.new, session.dirty, session.deleted):
        if _table_name(obj) in SEARCHED_TABLES:
            session.info[CATALOG_CHANGED_KEY] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _mark_bulk_statements(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in SEARCHED_TABLES:
        state.session.info[CATALOG_CHANGED_KEY] = True


def take_catalog_changed(session: Session) -> bool:
    """Whether the session wrote what search shows since the last call (and reset it)."""
    return bool(session.info.pop(CATALOG_CHANGED_KEY, False))
