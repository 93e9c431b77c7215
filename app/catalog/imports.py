"""CSV import and export of a supplier's own catalog (format: ``app.catalog.csv_io``).

An import is all or nothing: every row is checked first (structure, every product rule,
product ids and images that must be the supplier's) and every problem is reported with its
line; only a file without a single problem is written, in the request's one transaction.
Rows with an ``id`` update that product; rows without create one. A row equal to the stored
product changes nothing, so importing an unedited export is a no-op.
"""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.catalog import csv_io, repository, service
from app.catalog.csv_io import CsvProblem, Row
from app.catalog.rules import Problem, check_product
from app.catalog.schemas import ImportResult, ProductCreate
from app.errors import AppError, InvalidInput

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_REPORTED = 200


class CsvInvalid(InvalidInput):
    code = "csv_invalid"
    message = "The file has problems; nothing was imported."


class CsvTooLarge(AppError):
    status_code = 413
    code = "file_too_large"
    message = (
        f"The file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB: split it into several "
        "files and import them one by one."
    )


def _invalid(problems: list[CsvProblem]) -> CsvInvalid:
    problems.sort(key=lambda p: p.line)
    lines = len({p.line for p in problems})
    first = problems[0]
    return CsvInvalid(
        f"{len(problems)} problem{'s' if len(problems) > 1 else ''} on {lines} "
        f"line{'s' if lines > 1 else ''}; nothing was imported. First, line {first.line} "
        f"({first.field}): {first.message}",
        details=[p.as_dict() for p in problems[:MAX_REPORTED]],
    )


def _row_problems(line: int, problems: list[Problem], skip: set[str]) -> list[CsvProblem]:
    found = []
    for p in problems:
        if p.field in skip:
            continue  # already reported as a malformed cell
        message = p.message
        if p.code == "validation_error" and message.endswith(": Field required"):
            message = f"{p.field} is required for a new product."
        found.append(CsvProblem(line, p.field, message, p.code))
    return found


async def export_catalog(session: AsyncSession, principal: Principal) -> bytes:
    """The caller's live products as CSV (suppliers only)."""
    supplier_id = await service.supplier_of(session, principal)
    products = await repository.all_for_supplier(session, supplier_id)
    loaded = await service.load(session, products)
    return csv_io.export((item.product.id, item.as_input()) for item in loaded)


async def _check_rows(
    session: AsyncSession, supplier_id: int, rows: list[Row]
) -> tuple[list[tuple[Row, ProductCreate]], dict[int, service.Loaded], list[CsvProblem]]:
    problems: list[CsvProblem] = []
    seen: dict[int, int] = {}
    for row in rows:
        if row.product_id is not None:
            if row.product_id in seen:
                problems.append(CsvProblem(
                    row.line, "id", f"Product {row.product_id} is already on line "
                    f"{seen[row.product_id]}.", "duplicate_id"))
            seen.setdefault(row.product_id, row.line)
    found = await repository.get_many_for_supplier(session, supplier_id, seen, for_update=True)
    current = {item.product.id: item for item in await service.load(session, list(found.values()))}

    checked: list[tuple[Row, ProductCreate]] = []
    for row in rows:
        problems += row.problems
        if any(p.field in ("row", "id") for p in row.problems):
            continue  # cells not lining up, or no telling which product: nothing more to say
        if row.product_id is not None and row.product_id not in current:
            problems.append(CsvProblem(
                row.line, "id", f"There is no product {row.product_id} in your catalog; leave "
                "the id empty to create a product.", "product_not_found"))
            continue
        base = current[row.product_id].as_input().model_dump() if row.product_id else {}
        skip = {p.field for p in row.problems}
        try:
            data = ProductCreate.model_validate(base | row.values)
        except ValidationError as exc:
            problems += _row_problems(row.line, service.problems_from(exc), skip)
            continue
        normal, rule_problems = check_product(data)
        problems += _row_problems(row.line, rule_problems, skip)
        if not rule_problems and not row.problems:
            checked.append((row, normal))
    image_problems = await service.image_problems(session, supplier_id, [n for _, n in checked])
    for (row, _), found_problems in zip(checked, image_problems, strict=True):
        problems += _row_problems(row.line, found_problems, set())
    return checked, current, problems


async def import_catalog(
    session: AsyncSession, principal: Principal, data: bytes
) -> ImportResult:
    """Create and update the caller's products from a CSV file: every row valid, or none."""
    supplier_id = await service.supplier_of(session, principal)
    if len(data) > MAX_CSV_BYTES:
        raise CsvTooLarge()
    try:
        text = csv_io.decode(data)
    except ValueError as exc:
        raise _invalid([CsvProblem(1, "file", str(exc), "csv_encoding")]) from exc
    rows, problems = csv_io.parse(text)
    checked, current, row_problems = await _check_rows(session, supplier_id, rows)
    problems += row_problems
    if problems:
        raise _invalid(problems)

    result = ImportResult(created=0, updated=0, unchanged=0, product_ids=[])
    for row, normal in checked:
        if row.product_id is None:
            product = await service.write_new(session, supplier_id, normal)
            action = "product.created"
            result.created += 1
        else:
            item = current[row.product_id]
            product = item.product
            if normal.model_dump() == item.as_input().model_dump():
                result.unchanged += 1
                result.product_ids.append(product.id)
                continue
            await service.write_existing(session, item, normal)
            action = "product.updated"
            result.updated += 1
        result.product_ids.append(product.id)
        await audit.record(
            session,
            actor_user_id=principal.user_id,
            organization_id=supplier_id,
            action=action,
            subject_type="product",
            subject_id=product.id,
            details={"source": "csv", "line": row.line},
        )
    return result
