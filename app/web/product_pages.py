"""An exhibitor's product manager: the catalog, one product's form, CSV import and export.

Members of supplier organizations only: the catalog service refuses others (a buyer gets its
403, another supplier's product is 404). The product form is multipart (an optional picture
goes through the media service); its repeated rows are ``product_form``'s business.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.catalog import imports
from app.catalog import service as catalog
from app.catalog.schemas import MAX_IMAGES, ProductCreate, ProductUpdate
from app.errors import AppError
from app.kit.validation import Id
from app.media import service as media
from app.media.storage import storage_for
from app.web import product_form
from app.web.exhibition_view import (
    View,
    ViewDep,
    is_page_error,
    parse_upload_form,
    query_int,
    url_with,
)
from app.web.forms import parse_form

router = APIRouter(include_in_schema=False)


PRODUCTS_PER_PAGE = 50


# --- the product manager --------------------------------------------------------------------


async def _products_page(
    view: View,
    report: list[product_form.CsvLine] | None = None,
    import_error: str | None = None,
    status_code: int = 200,
) -> Response:
    assert view.viewer is not None  # noqa: S101
    before = query_int(view.request.query_params.get("before"))
    rows = await catalog.list_own(
        view.session, view.viewer, limit=PRODUCTS_PER_PAGE + 1, before_id=before
    )
    products = rows[:PRODUCTS_PER_PAGE]
    params = view.request.query_params
    return view.render(
        "exhibition/products.html",
        status_code=status_code,
        products=products,
        next_url=url_with("/exhibitor/products", {}, before=products[-1].id)
        if len(rows) > PRODUCTS_PER_PAGE else None,
        first_url="/exhibitor/products" if before else None,
        notice=_notice(view, params),
        report=report or [],
        import_error=import_error,
        max_csv_mb=imports.MAX_CSV_BYTES // (1024 * 1024),
    )


def _notice(view: View, params: Any) -> str | None:
    if params.get("created"):
        return view._("The product is listed: it shows in every booth where you are approved.")
    if params.get("saved"):
        return view._("Your changes are saved.")
    if params.get("deleted"):
        return view._("The product is deleted.")
    if params.get("imported") is not None:
        return view._(
            "Import done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.",
            created=params.get("created_n", "0"), updated=params.get("updated_n", "0"),
            unchanged=params.get("unchanged_n", "0"),
        )
    return None


@router.get("/exhibitor/products", response_class=HTMLResponse)
async def product_manager(view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _products_page(view)


@router.get("/exhibitor/products/export.csv")
async def export_products(view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    data = await imports.export_catalog(view.session, view.viewer)
    return Response(
        content=data,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="products.csv"',
                 "Cache-Control": "no-store"},
    )


@router.post("/exhibitor/products/import", response_class=HTMLResponse)
async def import_products(view: ViewDep) -> Response:
    """Create and update products from a CSV file: every line valid, or nothing imported."""
    if view.viewer is None:
        return view.login()
    await catalog.supplier_of(view.session, view.viewer)  # a buyer: 403 before any reading
    try:
        upload = await parse_upload_form(
            view.request, limit=imports.MAX_CSV_BYTES, file_field="file"
        )
    except AppError as exc:
        return await _products_page(view, import_error=view.error_text(exc),
                                    status_code=exc.status_code)
    view.ctx.require_csrf(upload.fields.get("csrf_token"))
    if not upload.file:
        return await _products_page(view, import_error=view._(
            "Choose a CSV file to import (export your catalog first to get the columns)."),
            status_code=422)
    try:
        result = await imports.import_catalog(view.session, view.viewer, upload.file)
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        return await _products_page(
            view,
            report=product_form.csv_report(exc, view._),
            import_error=view._("The file has problems; nothing was imported. Correct the "
                                "lines below and import the whole file again."),
            status_code=exc.status_code,
        )
    return view.redirect(url_with("/exhibitor/products", {}, imported=1,
                                  created_n=result.created, updated_n=result.updated,
                                  unchanged_n=result.unchanged))


# --- one product: create, edit, delete ----------------------------------------------------------


async def _own_product(view: View, product_id: int) -> Any:
    """The viewer's product: anyone else's is 404, as the catalog service answers changes."""
    assert view.viewer is not None  # noqa: S101
    product = await catalog.get_product(view.session, product_id)
    if not view.viewer.is_member_of(product.supplier_id):
        raise catalog.ProductNotFound()
    return product


def _product_editor(
    view: View,
    form: product_form.ProductForm,
    *,
    product: Any = None,
    status_code: int = 200,
) -> Response:
    images = {image.id: image for image in product.images} if product is not None else {}
    return view.render(
        "exhibition/product_form.html",
        status_code=status_code,
        product=product,
        form=form,
        values=form.values,
        errors=form.errors,
        kept_images=[images[i] for i in form.image_ids if i in images],
        max_upload_mb=media.MAX_UPLOAD_BYTES // (1024 * 1024),
    )


@router.get("/exhibitor/products/new", response_class=HTMLResponse)
async def new_product(view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    await catalog.supplier_of(view.session, view.viewer)
    return _product_editor(view, product_form.empty_form())


@router.get("/exhibitor/products/{product_id}/edit", response_class=HTMLResponse)
async def edit_product(product_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    product = await _own_product(view, product_id)
    return _product_editor(view, product_form.form_of(product), product=product)


async def _save_product(view: View, product_id: int | None) -> Response:
    assert view.viewer is not None  # noqa: S101
    upload = await parse_upload_form(view.request, limit=media.MAX_UPLOAD_BYTES,
                                     file_field="image")
    view.ctx.require_csrf(upload.fields.get("csrf_token"))
    product = await _own_product(view, product_id) if product_id is not None else None
    if product is None:
        await catalog.supplier_of(view.session, view.viewer)
    existing = [image.id for image in product.images] if product is not None else []
    form = product_form.read_form(upload.fields, existing)
    try:
        data = ProductCreate.model_validate(product_form.payload(form))
    except ValidationError as exc:
        form.errors = product_form.validation_errors(form, exc, view._)
        return _product_editor(view, form, product=product, status_code=422)
    if upload.file and len(data.images) >= MAX_IMAGES:
        form.errors = {"image": view._(
            "A product has at most %(n)s pictures: remove one before adding another.",
            n=MAX_IMAGES)}
        return _product_editor(view, form, product=product, status_code=422)
    try:
        if upload.file:
            stored = await media.upload_image(
                view.session, storage_for(view.ctx.settings), view.viewer, upload.file
            )
            data = data.model_copy(update={"images": [*data.images, stored.id]})
        if product is None:
            saved = await catalog.create_product(view.session, view.viewer, data)
        else:
            saved = await catalog.update_product(
                view.session, view.viewer, product.id,
                ProductUpdate.model_validate(data.model_dump()),
            )
    except AppError as exc:
        if not is_page_error(exc):
            raise
        await view.recover()
        if exc.code in ("unsupported_image", "image_too_large", "file_too_large",
                        "file_required"):
            form.errors = {"image": view.error_text(exc)}
        else:
            form.errors = product_form.service_errors(form, exc, view._)
        if product is not None:
            product = await catalog.get_product(view.session, product.id)
        return _product_editor(view, form, product=product, status_code=exc.status_code)
    flag = "created" if product is None else "saved"
    return view.redirect(url_with("/exhibitor/products", {flag: saved.id}))


@router.post("/exhibitor/products/new", response_class=HTMLResponse)
async def create_product(view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _save_product(view, None)


@router.post("/exhibitor/products/{product_id}/edit", response_class=HTMLResponse)
async def update_product(product_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _save_product(view, product_id)


@router.get("/exhibitor/products/{product_id}/delete", response_class=HTMLResponse)
async def confirm_delete(product_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    product = await _own_product(view, product_id)
    return view.render("exhibition/product_delete.html", product=product)


@router.post("/exhibitor/products/{product_id}/delete", response_class=HTMLResponse)
async def delete_product(product_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    await catalog.delete_product(view.session, view.viewer, product_id)
    return view.redirect("/exhibitor/products?deleted=1")
