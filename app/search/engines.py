"""What differs between SQLite and PostgreSQL: text matching, ranking, JSON lists.

Both engines give the same answer to "which products match": every query term occurs in the
product's searchable text as a case-insensitive substring. They get there differently:

- **SQLite**: the ``product_search`` FTS5 table (trigram tokenizer, kept in step with
  ``products`` by triggers) answers terms of three or more characters exactly from its
  index; a query of such terms is an FTS5 phrase per term, ANDed. The trigram tokenizer
  cannot look up terms of one or two characters (frequent in Chinese: 虾, 鱿鱼), so those
  are a ``LIKE '%t%'`` over the same columns, which SQLite evaluates row by row: on the FTS
  matches when the query also has a longer term, else on every product of the event that
  passes the other filters (a scan). Ranking is FTS5's bm25 with the names weighted most.
- **PostgreSQL**: a case-insensitive literal regular expression (``~* '***=shrimp'``) or,
  for a term without cased letters such as Chinese, a plain ``LIKE '%南美白对虾%'``, on the
  concatenated searchable text: the exact expression of the ``ix_products_search_trgm``
  pg_trgm GIN index. pg_trgm only makes trigrams of runs of three or more letters or digits,
  so a term without one (虾, 对虾, 31/40) is checked row by row (``strpos`` or a function
  form of the regular expression the planner cannot send to the index), on the index's
  candidates when the query has a longer term, else on every product of the event that
  passes the other filters (a scan). The index is lossy: each candidate row is
  rechecked. Ranking counts where the terms occur: in the name weighs most, then the species
  or Latin name, then the category or HS code.

JSON lists (certifications, incoterms) are ``json`` columns: SQLite reads them with
``json_each``; PostgreSQL casts to ``jsonb`` for ``@>`` containment, which the
``ix_products_*_jsonb`` expression indexes serve.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import (
    Float,
    Integer,
    String,
    cast,
    column,
    exists,
    func,
    literal_column,
    select,
    table,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause

from app.models import Product

# Terms shorter than this cannot be looked up in a trigram index (FTS5 trigram, pg_trgm).
MIN_INDEXED_TERM = 3

SEARCHABLE_COLUMNS = ("name", "name_zh", "description", "description_zh", "species",
                      "latin_name", "category", "hs_code")


def like_pattern(term: str) -> str:
    r"""``%term%`` with LIKE's wildcards in the term escaped (escape character ``\``)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _concat(columns: tuple[str, ...]) -> ColumnElement[str]:
    # Rendered literally (no bound ' ' separators): on PostgreSQL it must be, token for
    # token, the expression the trigram index was built on.
    return literal_column(" || ' ' || ".join(f"products.{c}" for c in columns), String)


SEARCH_TEXT = _concat(SEARCHABLE_COLUMNS)
"""All searchable text of a product; the migration's ``PG_SEARCH_TEXT`` index expression."""

# Where a term was found, for ranking: the name first, then what the product is.
_RANK_FIELDS: tuple[tuple[ColumnElement[str], int], ...] = (
    (_concat(("name", "name_zh")), 4),
    (_concat(("species", "latin_name")), 2),
    (_concat(("category", "hs_code")), 1),
)


@dataclass
class TextMatch:
    """A query's text part: extra FROM items, WHERE conditions and a score (higher first)."""

    joins: list[tuple[FromClause, ColumnElement[bool]]] = field(default_factory=list)
    conditions: list[ColumnElement[bool]] = field(default_factory=list)
    score: ColumnElement[float] | None = None


class Engine(Protocol):
    name: str

    def text_match(self, terms: tuple[str, ...]) -> TextMatch: ...

    def list_contains(self, column: Any, value: str) -> ColumnElement[bool]: ...

    def list_elements(self, column: Any) -> FromClause:
        """A FROM item of the JSON list's elements, as a ``value`` column."""
        ...


def _field_score(
    terms: tuple[str, ...], contains: Callable[[ColumnElement[str], str], ColumnElement[bool]]
) -> ColumnElement[float]:
    """Sum over the terms of the weights of the fields the term occurs in."""
    parts: list[ColumnElement[Any]] = [
        cast(contains(text, term), Integer) * weight
        for term in terms
        for text, weight in _RANK_FIELDS
    ]
    total: ColumnElement[Any] = parts[0]
    for part in parts[1:]:
        total = total + part
    return type_coerce(total, Float)


class SQLiteEngine:
    name = "sqlite"
    # bm25 weights in the FTS table's column order (SEARCHABLE_COLUMNS).
    BM25 = "bm25(product_search, 10.0, 10.0, 1.0, 1.0, 4.0, 4.0, 2.0, 2.0)"

    def text_match(self, terms: tuple[str, ...]) -> TextMatch:
        match = TextMatch()
        indexed = [t for t in terms if len(t) >= MIN_INDEXED_TERM]
        short = [t for t in terms if len(t) < MIN_INDEXED_TERM]
        if indexed:
            fts = table("product_search", column("rowid", Integer))
            # Each term an FTS5 string (a phrase of its trigrams: a substring match).
            query = " AND ".join('"' + t.replace('"', '""') + '"' for t in indexed)
            match.joins.append((fts, fts.c.rowid == Product.id))
            match.conditions.append(
                literal_column("product_search").op("MATCH")(query)
            )
            # bm25 is lower for better matches.
            match.score = type_coerce(-literal_column(self.BM25, Float), Float)
        for term in short:
            match.conditions.append(_sqlite_like(SEARCH_TEXT, like_pattern(term)))
        if match.score is None and short:
            match.score = _field_score(
                tuple(short), lambda text, term: _sqlite_like(text, like_pattern(term))
            )
        return match

    def list_contains(self, column: Any, value: str) -> ColumnElement[bool]:
        elements = func.json_each(column).table_valued("value")
        return exists(select(literal_column("1")).select_from(elements)
                      .where(elements.c.value == value))

    def list_elements(self, column: Any) -> FromClause:
        return func.json_each(column).table_valued("value")


def _sqlite_like(text: ColumnElement[str], pattern: str) -> ColumnElement[bool]:
    # SQLite's LIKE has no escape character unless one is named; it ignores ASCII case.
    return text.like(pattern, escape="\\")


def _has_case(term: str) -> bool:
    return term.lower() != term.upper()


def _pg_contains(text: ColumnElement[str], term: str, *, indexable: bool) -> ColumnElement[bool]:
    """`term` occurs in `text`, ignoring case, as cheaply as PostgreSQL can check it.

    Measured on 100k products (docs/benchmarks.md): a case-insensitive regular expression
    rechecks about 1.7x faster than ILIKE (which lowercases the whole text and the pattern
    on every row); a term without letters that have case (Chinese, digits) needs no case
    folding at all, so a plain LIKE or strpos() is cheaper still. ``***=`` makes the rest
    of the regular expression a literal string. Only the indexable forms (``~*``, ``LIKE``)
    are given to terms long enough for pg_trgm; shorter ones use functions the planner
    cannot send to the index (a cached generic plan that did would read the whole index).
    """
    if _has_case(term):
        literal_regex = "***=" + term
        if indexable:
            return text.op("~*")(literal_regex)
        return func.texticregexeq(text, literal_regex)
    if indexable:
        # Backslash is already LIKE's escape character in PostgreSQL; naming it would wrap
        # the pattern in like_escape(), a function call the index cannot see through.
        return text.like(like_pattern(term))
    return func.strpos(text, term) > 0


# pg_trgm only makes trigrams inside words (runs of letters and digits; "_" separates):
# "31/40" or "a%b" give it nothing to look up, however long the term.
_PG_TRIGRAM_WORD = re.compile(rf"[^\W_]{{{MIN_INDEXED_TERM}}}")


class PostgresEngine:
    name = "postgresql"

    def text_match(self, terms: tuple[str, ...]) -> TextMatch:
        match = TextMatch()
        for term in terms:
            indexable = _PG_TRIGRAM_WORD.search(term) is not None
            match.conditions.append(_pg_contains(SEARCH_TEXT, term, indexable=indexable))
        if terms:
            match.score = _field_score(
                terms, lambda text, term: _pg_contains(text, term, indexable=False)
            )
        return match

    def list_contains(self, column: Any, value: str) -> ColumnElement[bool]:
        # The same expression as ix_products_*_jsonb: (column::jsonb) @> '["MSC"]'.
        return cast(column, JSONB).contains([value])

    def list_elements(self, column: Any) -> FromClause:
        return func.json_array_elements_text(column).table_valued("value")


def engine_for(dialect_name: str) -> Engine:
    if dialect_name == "sqlite":
        return SQLiteEngine()
    if dialect_name == "postgresql":
        return PostgresEngine()
    raise NotImplementedError(f"product search does not support {dialect_name}")
