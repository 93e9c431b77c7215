"""Rules for products: who may list, change and remove them, and what a valid product is.

Only members of a supplier organization create products, which belong to that organization;
only its members change or delete them (to anyone else the product does not exist: 404).
Live products are public. A product always satisfies ``app.catalog.rules.check_product``
and uses only its own organization's images; an invalid write changes nothing. Deleting is
soft: the row stays (offers and orders may refer to it) but the product is gone for
everyone. Every create, update and delete is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.catalog import repository
from app.catalog.rules import Problem, check_product, price_from
from app.catalog.schemas import (
    PriceTierIn,
    PriceTierRead,
    ProductCreate,
    ProductImageRead,
    ProductRead,
    ProductUpdate,
    Specification,
    SpecificationRead,
)
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.media import service as media
from app.models import Media, PriceTier, Product
from app.models.base import utcnow
from app.organizations import service as organizations


class SupplierRequired(PermissionDenied):
    code = "supplier_required"
    message = "Only members of a supplier organization can manage products."


class ProductNotFound(NotFound):
    code = "product_not_found"
    message = "No such product."


class ProductInvalid(InvalidInput):
    """A product breaks a trade rule: ``code`` is the first problem's, ``details`` lists all."""

    code = "product_invalid"


def invalid(problems: Sequence[Problem]) -> ProductInvalid:
    first = problems[0]
    more = len(problems) - 1
    message = first.message + (f" ({more} more problem{'s' if more > 1 else ''})" if more else "")
    return ProductInvalid(
        message,
        code=first.code,
        details=[{"loc": ["body", *p.loc], "msg": p.message, "type": p.code} for p in problems],
    )


def problems_from(error: ValidationError) -> list[Problem]:
    """Pydantic's complaints as problems (code ``validation_error``, like the API's own)."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        where = ".".join(str(p) for p in loc)
        message = f"{where}: {item['msg']}" if where else str(item["msg"])
        problems.append(Problem(loc or ("body",), "validation_error", message))
    return problems


async def supplier_of(session: AsyncSession, principal: Principal) -> int:
    """The caller's organization, which must be a supplier (403 ``supplier_required``)."""
    organization_id = principal.organization_id
    if organization_id is None:
        raise SupplierRequired()
    organization = await organizations.get_profile(session, organization_id)
    if organization.kind != "supplier":
        raise SupplierRequired()
    return organization_id


# -- reading ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loaded:
    """A product with its tiers and image ids, as stored."""

    product: Product
    tiers: list[PriceTier]
    image_ids: list[int]

    def as_input(self) -> ProductCreate:
        """The stored product in input form: what PATCH merges into and CSV rows compare to."""
        p = self.product
        return ProductCreate.model_construct(
            name=p.name,
            name_zh=p.name_zh,
            description=p.description,
            description_zh=p.description_zh,
            category=p.category,
            hs_code=p.hs_code,
            species=p.species,
            latin_name=p.latin_name,
            specifications=[Specification(**s) for s in p.specifications],
            unit=p.unit,
            moq=p.moq,
            price_tiers=[
                PriceTierIn(min_quantity=t.min_quantity, unit_price=t.unit_price)
                for t in self.tiers
            ],
            currency=p.currency,
            incoterms=list(p.incoterms),
            port_of_loading=p.port_of_loading,
            lead_time_days=p.lead_time_days,
            monthly_capacity=p.monthly_capacity,
            certifications=list(p.certifications),
            origin_country=p.origin_country,
            origin_region=p.origin_region,
            images=list(self.image_ids),
        )


async def load(session: AsyncSession, products: Sequence[Product]) -> list[Loaded]:
    ids = [p.id for p in products]
    tiers = await repository.tiers_for(session, ids)
    images = await repository.image_ids_for(session, ids)
    return [Loaded(p, tiers.get(p.id, []), images.get(p.id, [])) for p in products]


def _image_read(item: Media) -> ProductImageRead:
    return ProductImageRead(
        id=item.id,
        url=media.image_url(item.id),
        thumbnail_url=media.image_url(item.id, thumbnail=True),
        width=item.width,
        height=item.height,
    )


def _read(item: Loaded, found: dict[int, Media]) -> ProductRead:
    p = item.product
    return ProductRead(
        id=p.id,
        supplier_id=p.supplier_id,
        name=p.name,
        name_zh=p.name_zh,
        description=p.description,
        description_zh=p.description_zh,
        category=p.category,
        hs_code=p.hs_code,
        species=p.species,
        latin_name=p.latin_name,
        specifications=[SpecificationRead(**s) for s in p.specifications],
        unit=p.unit,
        moq=p.moq,
        price_tiers=[
            PriceTierRead(min_quantity=t.min_quantity, unit_price=t.unit_price)
            for t in item.tiers
        ],
        price_from=p.price_from,
        currency=p.currency,
        incoterms=list(p.incoterms),
        port_of_loading=p.port_of_loading,
        lead_time_days=p.lead_time_days,
        monthly_capacity=p.monthly_capacity,
        certifications=list(p.certifications),
        origin_country=p.origin_country,
        origin_region=p.origin_region,
        images=[_image_read(found[i]) for i in item.image_ids if i in found],
        created_at=p.created_at,
        updated_at=p.updated_at,
    )


async def read_many(session: AsyncSession, products: Sequence[Product]) -> list[ProductRead]:
    """Products as the API shows them (three queries whatever the number of products)."""
    loaded = await load(session, products)
    found = await media.get_many(session, {i for item in loaded for i in item.image_ids})
    return [_read(item, found) for item in loaded]


async def get_product(session: AsyncSession, product_id: int) -> ProductRead:
    """A live product; public."""
    product = await repository.get(session, product_id)
    if product is None:
        raise ProductNotFound()
    return (await read_many(session, [product]))[0]


async def list_products(
    session: AsyncSession, supplier_id: int, *, limit: int, before_id: int | None
) -> list[ProductRead]:
    """A supplier's live products, newest first; public."""
    rows = await repository.list_for_supplier(
        session, supplier_id, limit=limit, before_id=before_id
    )
    return await read_many(session, rows)


async def list_own(
    session: AsyncSession, principal: Principal, *, limit: int, before_id: int | None
) -> list[ProductRead]:
    """The caller's catalog (suppliers only)."""
    supplier_id = await supplier_of(session, principal)
    return await list_products(session, supplier_id, limit=limit, before_id=before_id)


# -- writing ----------------------------------------------------------------------------


async def image_problems(
    session: AsyncSession, supplier_id: int, products: Iterable[ProductCreate]
) -> list[list[Problem]]:
    """For each product, its images that are not this supplier's (missing ones included)."""
    products = list(products)
    owned = await media.owned_by(session, supplier_id, {i for p in products for i in p.images})
    return [
        [
            Problem(
                ("images", index),
                "unknown_image",
                f"Image {media_id} is not one of your organization's uploads: upload it "
                "with POST /media first.",
            )
            for index, media_id in enumerate(p.images)
            if media_id not in owned
        ]
        for p in products
    ]


async def validated(
    session: AsyncSession, supplier_id: int, data: ProductCreate
) -> ProductCreate:
    """The product normalised, or ``ProductInvalid`` listing every broken rule."""
    normal, problems = check_product(data)
    problems += (await image_problems(session, supplier_id, [normal]))[0]
    if problems:
        raise invalid(problems)
    return normal


def _assign(product: Product, data: ProductCreate) -> None:
    product.name = data.name
    product.name_zh = data.name_zh
    product.description = data.description
    product.description_zh = data.description_zh
    product.category = data.category
    product.hs_code = data.hs_code
    product.species = data.species
    product.latin_name = data.latin_name
    product.specifications = [s.model_dump() for s in data.specifications]
    product.unit = data.unit
    product.moq = data.moq
    product.currency = data.currency
    product.price_from = price_from(data)
    product.incoterms = list(data.incoterms)
    product.port_of_loading = data.port_of_loading
    product.lead_time_days = data.lead_time_days
    product.monthly_capacity = data.monthly_capacity
    product.certifications = list(data.certifications)
    product.origin_country = data.origin_country
    product.origin_region = data.origin_region


async def write_new(session: AsyncSession, supplier_id: int, data: ProductCreate) -> Product:
    """Insert a product already validated by ``validated``."""
    product = Product(supplier_id=supplier_id, extra={})
    _assign(product, data)
    session.add(product)
    await session.flush()
    await repository.replace_tiers(
        session, product.id, [(t.min_quantity, t.unit_price) for t in data.price_tiers]
    )
    await repository.replace_images(session, product.id, data.images)
    return product


async def write_existing(session: AsyncSession, current: Loaded, data: ProductCreate) -> None:
    """Update a product to ``data`` (validated); tiers and images are rewritten if changed."""
    product = current.product
    _assign(product, data)
    product.updated_at = utcnow()
    await session.flush()
    tiers = [(t.min_quantity, t.unit_price) for t in data.price_tiers]
    if tiers != [(t.min_quantity, t.unit_price) for t in current.tiers]:
        await repository.replace_tiers(session, product.id, tiers)
    if data.images != current.image_ids:
        await repository.replace_images(session, product.id, data.images)


async def create_product(
    session: AsyncSession, principal: Principal, data: ProductCreate
) -> ProductRead:
    """A supplier's member adds a product to the organization's catalog."""
    supplier_id = await supplier_of(session, principal)
    normal = await validated(session, supplier_id, data)
    product = await write_new(session, supplier_id, normal)
    await audit.record(
        session,
        actor_user_id=principal.user_id,
        organization_id=supplier_id,
        action="product.created",
        subject_type="product",
        subject_id=product.id,
        details={"name": product.name},
    )
    return (await read_many(session, [product]))[0]


async def _own_product(
    session: AsyncSession, principal: Principal, product_id: int
) -> Product:
    """A live product of the caller's organization, locked for the change; else 404."""
    product = await repository.get(session, product_id, for_update=True)
    if product is None or not principal.is_member_of(product.supplier_id):
        raise ProductNotFound()
    return product


async def update_product(
    session: AsyncSession, principal: Principal, product_id: int, data: ProductUpdate
) -> ProductRead:
    """Change some fields; the product as a whole must still satisfy every rule."""
    product = await _own_product(session, principal, product_id)
    (current,) = await load(session, [product])
    changes = data.model_dump(exclude_unset=True)
    try:
        merged = ProductCreate.model_validate(current.as_input().model_dump() | changes)
    except ValidationError as exc:
        raise invalid(problems_from(exc)) from exc
    normal = await validated(session, product.supplier_id, merged)
    await write_existing(session, current, normal)
    await audit.record(
        session,
        actor_user_id=principal.user_id,
        organization_id=product.supplier_id,
        action="product.updated",
        subject_type="product",
        subject_id=product.id,
        details={"fields": sorted(changes)},
    )
    return (await read_many(session, [product]))[0]


async def delete_product(session: AsyncSession, principal: Principal, product_id: int) -> None:
    """Soft delete: the product disappears for everyone, its row stays for the record."""
    product = await _own_product(session, principal, product_id)
    product.deleted_at = utcnow()
    await session.flush()
    await audit.record(
        session,
        actor_user_id=principal.user_id,
        organization_id=product.supplier_id,
        action="product.deleted",
        subject_type="product",
        subject_id=product.id,
        details={"name": product.name},
    )
