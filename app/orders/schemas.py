"""Request and response shapes for orders, their steps and payment milestones."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.banking.schemas import BankDetailsRead, BankDetailsWarning
from app.catalog.schemas import MoneyOut, QuantityOut
from app.kit.validation import MAX_ID, TextInput

OrderStatus = Literal[
    "confirmed", "deposit_paid", "in_production", "shipped", "delivered", "completed",
    "cancelled",
]


class TransitionCreate(TextInput):
    """Move an order one step. ``version`` is the order's version you saw (409
    ``version_conflict`` if it changed since). Shipping needs the container and B/L numbers
    and ETD/ETA; confirming the deposit needs the payment reference.
    """

    to: OrderStatus
    version: int = Field(ge=1, le=MAX_ID)
    container_number: str | None = Field(
        default=None, max_length=20, description="ISO 6346, e.g. CSQU3054383."
    )
    bl_number: str | None = Field(default=None, min_length=1, max_length=40)
    etd: date | None = None
    eta: date | None = None
    payment_reference: str | None = Field(default=None, min_length=1, max_length=100)
    paid_on: date | None = None
    reason: str = Field(default="", max_length=500, description="Why, when cancelling.")


class PaymentCreate(TextInput):
    """Record a milestone as paid (the supplier confirms the money arrived)."""

    reference: str = Field(min_length=1, max_length=100)
    paid_on: date


class OrderLineRead(BaseModel):
    position: int
    product_id: int | None
    description: str
    quantity: QuantityOut
    unit: str
    unit_price: MoneyOut
    line_total: str


class MilestoneRead(BaseModel):
    kind: str
    percent: QuantityOut
    amount: str
    currency: str
    terms: str
    paid_on: date | None
    reference: str | None
    recorded_at: datetime | None


class OrderRead(BaseModel):
    id: int
    offer_id: int
    negotiation_id: int
    buyer_id: int
    supplier_id: int
    your_side: Literal["buyer", "supplier"]
    status: str
    version: int
    next_steps: list[str]
    currency: str
    incoterm: str
    named_place: str
    shipment_date: date | None
    deposit_percent: QuantityOut
    balance_terms: str
    notes: str
    total: str
    lines: list[OrderLineRead]
    milestones: list[MilestoneRead]
    container_number: str | None
    bl_number: str | None
    etd: date | None
    eta: date | None
    created_at: datetime
    updated_at: datetime | None
    bank_details: BankDetailsRead | None = Field(
        description="The supplier's account to pay: the version in force when the order was "
        "made (or, for an order made before the supplier gave any, its current one)."
    )
    bank_details_warning: BankDetailsWarning | None = Field(
        description="Set when the buyer should confirm the account by phone before paying."
    )
