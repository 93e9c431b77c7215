"""Products: /products, /products/{id}, CSV import/export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.api.deps import CurrentPrincipal, OptionalPrincipal, SessionDep
from app.api.media import multipart_body, read_upload
from app.api.responses import error_responses
from app.catalog import imports, reference
from app.catalog import service as catalog
from app.catalog.schemas import (
    ImportResult,
    ProductCreate,
    ProductRead,
    ProductUpdate,
    ReferenceRead,
    TermRead,
)
from app.errors import NotAuthenticated
from app.kit.pagination import Page, PageDep, cursor_id, id_page
from app.kit.validation import Id

router = APIRouter(prefix="/products", tags=["products"])

_NOT_FOUND = error_responses(described={404: "product_not_found"})
_SUPPLIERS = error_responses(described={403: "supplier_required"})
CSV_TYPES = frozenset({"text/csv", "text/plain", "application/csv"})

# ``:int`` keeps /products/{product_id} from capturing "export.csv" or "import": a method
# those fixed paths lack is then 405 (with Allow), not a 422 about the id.


@router.get("/reference")
async def get_reference() -> ReferenceRead:
    """The codes product fields take: categories, units, Incoterms, certifications, currencies.

    Public.
    """

    def terms(items: tuple[reference.Term, ...]) -> list[TermRead]:
        return [TermRead(code=t.code, label=t.label, label_zh=t.label_zh) for t in items]

    return ReferenceRead(
        categories=terms(reference.CATEGORIES),
        units=terms(reference.UNITS),
        incoterms=terms(reference.INCOTERMS),
        certifications=terms(reference.CERTIFICATIONS),
        currencies=sorted(reference.currencies()),
    )


@router.get(
    "/export.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "The catalog as CSV."},
        **_SUPPLIERS,
    },
)
async def export_products(principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Your organization's live products as CSV, one row per product (suppliers only).

    UTF-8 with a byte order mark; the format is described in docs/api.md.
    """
    data = await imports.export_catalog(session, principal)
    return Response(
        content=data,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="products.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.post(
    "/import",
    openapi_extra={
        "requestBody": {
            **multipart_body("A CSV file, at most 5 MB.")["requestBody"],
            "content": {
                **multipart_body("")["requestBody"]["content"],
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
    responses={
        **_SUPPLIERS,
        **error_responses(
            413,
            described={
                415: "unsupported_media_type: neither multipart nor CSV",
                422: "csv_invalid: details list every problem with its line",
            },
        ),
    },
)
async def import_products(
    request: Request, principal: CurrentPrincipal, session: SessionDep
) -> ImportResult:
    """Create and update your products from CSV (suppliers only): every row valid, or none.

    Send a multipart field ``file`` or a ``text/csv`` body. Rows with an ``id`` update that
    product, rows without one create a product. Any problem → 422 ``csv_invalid`` with
    ``details`` ``[{"line", "field", "code", "message"}]``, and nothing is written.
    """
    await catalog.supplier_of(session, principal)  # refuse before reading the body
    data = await read_upload(
        request,
        limit=imports.MAX_CSV_BYTES,
        too_large=imports.CsvTooLarge(),
        raw_types=CSV_TYPES,
    )
    return await imports.import_catalog(session, principal, data)


@router.get("", responses=_SUPPLIERS)
async def list_products(
    principal: OptionalPrincipal,
    session: SessionDep,
    page: PageDep,
    supplier_id: Annotated[Id | None, Query()] = None,
) -> Page[ProductRead]:
    """A supplier's products, newest first.

    With ``supplier_id``: that supplier's live products (public). Without: your own
    organization's catalog (suppliers only).
    """
    before_id = cursor_id(page.cursor)
    if supplier_id is not None:
        rows = await catalog.list_products(
            session, supplier_id, limit=page.limit + 1, before_id=before_id
        )
    else:
        if principal is None:
            raise NotAuthenticated("Sign in to list your catalog, or pass supplier_id.")
        rows = await catalog.list_own(session, principal, limit=page.limit + 1,
                                      before_id=before_id)
    return id_page(rows, page.limit)


@router.post("", status_code=status.HTTP_201_CREATED, responses=_SUPPLIERS)
async def create_product(
    data: ProductCreate, principal: CurrentPrincipal, session: SessionDep
) -> ProductRead:
    """Add a product to your organization's catalog (members of supplier organizations)."""
    return await catalog.create_product(session, principal, data)


@router.get("/{product_id:int}", responses=_NOT_FOUND)
async def get_product(product_id: Id, session: SessionDep) -> ProductRead:
    """A live product (public)."""
    return await catalog.get_product(session, product_id)


@router.patch("/{product_id:int}", responses=_NOT_FOUND)
async def update_product(
    product_id: Id, data: ProductUpdate, principal: CurrentPrincipal, session: SessionDep
) -> ProductRead:
    """Change some fields (members of the owning supplier; 404 for everyone else)."""
    return await catalog.update_product(session, principal, product_id, data)


@router.delete(
    "/{product_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_NOT_FOUND,
)
async def delete_product(
    product_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """Remove a product (members of the owning supplier; 404 for everyone else)."""
    await catalog.delete_product(session, principal, product_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
