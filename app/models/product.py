from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, UTCDateTime, table_args

# Money: up to 14 digits before and 4 after the point (unit prices can have sub-cent parts).
MONEY = Numeric(18, 4)
QUANTITY = Numeric(18, 3)


class Product(IdMixin, CreatedAtMixin, Base):
    """A supplier's product with the trade terms buyers filter on.

    It belongs to the supplier organization and appears in every approved booth of it.
    """

    __tablename__ = "products"
    __table_args__ = table_args(
        CheckConstraint("moq > 0", name="moq_positive"),
    )

    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(64), index=True)
    hs_code: Mapped[str] = mapped_column(String(16), index=True)
    species: Mapped[str] = mapped_column(String(120), default="")
    latin_name: Mapped[str] = mapped_column(String(120), default="")
    # [{"key": "Size", "value": "31/40 pcs/lb"}, ...] in the supplier's order
    specifications: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    unit: Mapped[str] = mapped_column(String(16))
    moq: Mapped[Decimal] = mapped_column(QUANTITY)
    currency: Mapped[str] = mapped_column(String(3))
    # The lowest tier's unit price, kept with the tiers: what price filters and sorts use.
    price_from: Mapped[Decimal] = mapped_column(MONEY, index=True)
    incoterms: Mapped[list[str]] = mapped_column(JSON, default=list)
    port_of_loading: Mapped[str] = mapped_column(String(120), default="")
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    monthly_capacity: Mapped[Decimal | None] = mapped_column(QUANTITY)
    certifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    origin_country: Mapped[str] = mapped_column(String(2), index=True)
    origin_region: Mapped[str] = mapped_column(String(120), default="")
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Deleted products keep their row (offers and orders may point at them) but vanish.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class PriceTier(IdMixin, Base):
    """From ``min_quantity`` units on, the unit price is ``unit_price`` (product currency)."""

    __tablename__ = "price_tiers"
    __table_args__ = table_args(
        UniqueConstraint("product_id", "min_quantity"),
        CheckConstraint("unit_price > 0", name="price_positive"),
        CheckConstraint("min_quantity > 0", name="quantity_positive"),
    )

    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    min_quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)


class ProductImage(IdMixin, Base):
    __tablename__ = "product_images"
    __table_args__ = table_args(UniqueConstraint("product_id", "media_id"))

    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
