"""The catalog's CSV format: one product per row, readable and writable by Excel.

Columns (header names, any order on import; export writes them in this order)::

    id, name, name_zh, description, description_zh, category, hs_code, species, latin_name,
    specifications, unit, moq, price_tiers, currency, incoterms, port_of_loading,
    lead_time_days, monthly_capacity, certifications, origin_country, origin_region, images

- ``id``: empty to create a product; a product id of your catalog to update it.
- ``price_tiers``: ``min_quantity@unit_price`` joined with ``|``: ``1000@12.50|5000@11.80``
  (``1000:12.50`` is read too).
- ``specifications``: ``key=value`` joined with ``|``: ``Size=31/40 pcs/lb|Glazing=10%``;
  a literal ``|``, ``=`` or ``\\`` inside a key or value is written ``\\|``, ``\\=``, ``\\\\``.
- ``incoterms``, ``certifications``, ``images`` (media ids): joined with ``|`` (or ``,``).
- ``hs_code`` is exported with dots (``0306.17.00``), which keeps its leading zero in Excel.
- Text cells starting with ``=``, ``+``, ``-`` or ``@`` are exported with a leading ``'`` so a
  spreadsheet shows them instead of running them as formulas; import removes that ``'``.

Files are UTF-8 (export adds a byte order mark so Excel shows Chinese correctly; import
accepts it with or without, and falls back to GB18030, what Excel saves on a Chinese
Windows). This module only converts between text and rows; ``app.catalog.imports`` applies
the rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.catalog.reference import format_hs_code
from app.catalog.schemas import ProductCreate, format_money, format_quantity
from app.kit.validation import MAX_ID

COLUMNS = (
    "id",
    "name",
    "name_zh",
    "description",
    "description_zh",
    "category",
    "hs_code",
    "species",
    "latin_name",
    "specifications",
    "unit",
    "moq",
    "price_tiers",
    "currency",
    "incoterms",
    "port_of_loading",
    "lead_time_days",
    "monthly_capacity",
    "certifications",
    "origin_country",
    "origin_region",
    "images",
)
# An empty cell in one of these leaves an updated product's value as it is.
REQUIRED = frozenset(
    {"name", "category", "hs_code", "unit", "moq", "price_tiers", "currency", "incoterms",
     "origin_country"}
)
TEXT_COLUMNS = frozenset(
    {"name", "name_zh", "description", "description_zh", "species", "latin_name",
     "specifications", "port_of_loading", "origin_region"}
)
CODE_LISTS = frozenset({"incoterms", "certifications"})
BOM = "\ufeff"
MAX_ROWS = 5000

_ID = re.compile(r"^[0-9]{1,10}$")
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_GUARDED = re.compile(r"^'+[=+\-@\t\r]")


@dataclass(frozen=True, slots=True)
class CsvProblem:
    line: int
    field: str
    message: str
    code: str = "validation_error"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "code": self.code,
                "message": self.message}


@dataclass(slots=True)
class Row:
    """One data row: the product id to update (None: create), and the values it sets."""

    line: int
    product_id: int | None
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[CsvProblem] = field(default_factory=list)


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030; ValueError if neither."""
    if data.startswith(BOM.encode()):
        data = data[len(BOM.encode()):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ValueError("The file is neither UTF-8 nor GB18030 text: save it as "
                         "\"CSV UTF-8\".") from exc


# -- cells --------------------------------------------------------------------------------


def _escape(text: str, specials: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in specials:
        text = text.replace(char, "\\" + char)
    return text


def _split(text: str, separator: str, *, limit: int = -1) -> list[str]:
    """Split on unescaped ``separator``, keeping escapes (undone by ``_unescape``)."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator and limit != 0:
            parts.append("".join(current))
            current = []
            limit -= 1
        else:
            current.append(char)
    if escaped:
        current.append("\\\\")
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _guard(text: str) -> str:
    return "'" + text if _FORMULA.match(text) else text


def _unguard(text: str) -> str:
    return text[1:] if _GUARDED.match(text) else text


def encode_specifications(specs: Iterable[dict[str, str]]) -> str:
    return "|".join(
        f"{_escape(s['key'], '|=')}={_escape(s['value'], '|=')}" for s in specs
    )


def decode_specifications(text: str) -> list[dict[str, str]]:
    specs = []
    for item in _split(text, "|"):
        if not item.strip():
            continue
        parts = _split(item, "=", limit=1)
        if len(parts) != 2:
            raise ValueError(
                f"{_shown(_unescape(item))} has no \"=\": write key=value pairs separated by |, "
                "e.g. Size=31/40 pcs/lb|Glazing=10%"
            )
        specs.append({"key": _unescape(parts[0]).strip(), "value": _unescape(parts[1]).strip()})
    return specs


def encode_tiers(tiers: Iterable[tuple[Any, Any]]) -> str:
    return "|".join(f"{format_quantity(q)}@{format_money(p)}" for q, p in tiers)


def decode_tiers(text: str) -> list[dict[str, str]]:
    tiers = []
    for item in text.split("|"):
        quantity, separator, price = item.replace(":", "@").partition("@")
        if not separator or not quantity.strip() or not price.strip():
            raise ValueError(
                f"{_shown(item.strip())} is not a tier: write quantity@price separated by |, "
                "e.g. 1000@12.50|5000@11.80"
            )
        tiers.append({"min_quantity": quantity.strip(), "unit_price": price.strip()})
    return tiers


def _codes(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[|,]", text) if c.strip()]


def _shown(text: str, limit: int = 40) -> str:
    """A cell quoted in a message, cut short: messages echo what they refer to, not files."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def parse_id(text: str) -> int | None:
    """A database id written in a cell, or None if it is not one."""
    return int(text) if _ID.match(text) and 0 < int(text) <= MAX_ID else None


def _ints(text: str, what: str) -> list[int]:
    ids = []
    for code in _codes(text):
        value = parse_id(code)
        if value is None:
            raise ValueError(f"{_shown(code)} is not {what}: give ids separated by |, e.g. 12|15")
        ids.append(value)
    return ids


def _cell_value(column: str, cell: str) -> Any:
    """A cell as the value ProductCreate takes; ValueError for a malformed cell."""
    if column in TEXT_COLUMNS:
        cell = _unguard(cell)
    if column == "specifications":
        return decode_specifications(cell)
    if column == "price_tiers":
        return decode_tiers(cell)
    if column in CODE_LISTS:
        return _codes(cell)
    if column == "images":
        return _ints(cell, "an image id")
    if column in ("lead_time_days", "monthly_capacity"):
        return cell or None
    return cell


# -- reading ------------------------------------------------------------------------------


def _header(cells: list[str]) -> tuple[list[str], list[CsvProblem]]:
    columns = [c.strip().lower() for c in cells]
    problems = []
    for index, name in enumerate(columns):
        if name not in COLUMNS:
            problems.append(CsvProblem(1, name[:40] or f"column {index + 1}",
                                       f"Unknown column {_shown(name)}; the columns are: "
                                       f"{', '.join(COLUMNS)}.", "unknown_column"))
        elif name in columns[:index]:
            problems.append(CsvProblem(1, name, f"The column {name!r} appears twice.",
                                       "duplicate_column"))
    return columns, problems


def _row(line: int, columns: list[str], cells: list[str]) -> Row:
    row = Row(line=line, product_id=None)
    if len(cells) != len(columns):
        row.problems.append(CsvProblem(line, "row", f"This row has {len(cells)} cells; the "
                                       f"header has {len(columns)}.", "row_length"))
        return row
    for column, raw in zip(columns, cells, strict=True):
        cell = raw.strip()
        if column == "id":
            row.product_id = parse_id(cell) if cell else None
            if cell and row.product_id is None:
                row.problems.append(CsvProblem(line, "id", f"{_shown(cell)} is not a product "
                                               "id; leave it empty to create a product."))
            continue
        if column in REQUIRED and not cell:
            continue  # a new product reports it missing; an update keeps its value
        try:
            row.values[column] = _cell_value(column, cell)
        except ValueError as exc:
            row.problems.append(CsvProblem(line, column, str(exc)))
    return row


def parse(text: str) -> tuple[list[Row], list[CsvProblem]]:
    """Rows of the file, and the problems found in its structure (header, row sizes)."""
    reader = csv.reader(io.StringIO(text))
    rows: list[Row] = []
    problems: list[CsvProblem] = []
    columns: list[str] | None = None
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if columns is None:
                columns, header_problems = _header(cells)
                problems += header_problems
                if header_problems:
                    return rows, problems
                continue
            if len(rows) == MAX_ROWS:
                problems.append(CsvProblem(start, "row", f"A file holds at most {MAX_ROWS} "
                                           "products: split it.", "too_many_rows"))
                return rows, problems
            rows.append(_row(start, columns, cells))
    except csv.Error as exc:
        problems.append(CsvProblem(line, "row", f"This line is not valid CSV: {exc}.",
                                   "csv_syntax"))
    if columns is None:
        problems.append(CsvProblem(1, "header", "The file is empty: the first line must name "
                                   "the columns.", "csv_empty"))
    return rows, problems


# -- writing ------------------------------------------------------------------------------


def export(products: Iterable[tuple[int, ProductCreate]]) -> bytes:
    """The rows for these products, as a UTF-8 file with a BOM."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for product_id, p in products:
        cells: dict[str, str] = {
            "id": str(product_id),
            "name": p.name,
            "name_zh": p.name_zh,
            "description": p.description,
            "description_zh": p.description_zh,
            "category": p.category,
            "hs_code": format_hs_code(p.hs_code),
            "species": p.species,
            "latin_name": p.latin_name,
            "specifications": encode_specifications(s.model_dump() for s in p.specifications),
            "unit": p.unit,
            "moq": format_quantity(p.moq),
            "price_tiers": encode_tiers((t.min_quantity, t.unit_price) for t in p.price_tiers),
            "currency": p.currency,
            "incoterms": "|".join(p.incoterms),
            "port_of_loading": p.port_of_loading,
            "lead_time_days": "" if p.lead_time_days is None else str(p.lead_time_days),
            "monthly_capacity": (
                "" if p.monthly_capacity is None else format_quantity(p.monthly_capacity)
            ),
            "certifications": "|".join(p.certifications),
            "origin_country": p.origin_country,
            "origin_region": p.origin_region,
            "images": "|".join(str(i) for i in p.images),
        }
        writer.writerow(
            [_guard(cells[c]) if c in TEXT_COLUMNS else cells[c] for c in COLUMNS]
        )
    return out.getvalue().encode("utf-8")
