"""Request and response shapes for selling from a show: quote requests, flash offers,
claims, and the show's funnel.

Money and quantities are decimal strings both ways, as everywhere in the API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from app.catalog.schemas import Code, DecimalIn, MoneyOut, QuantityOut
from app.kit.validation import Id, IsoMoment, TextInput

MAX_FLASH_MINUTES = 24 * 60

FlashStatus = Literal["open", "sold_out", "closed"]


class QuoteRequestCreate(TextInput):
    """Ask for a quote from the room."""

    product_id: Id | None = Field(
        default=None, description="Default: the product pinned in the show right now."
    )
    quantity: DecimalIn | None = Field(
        default=None,
        description="In the product's unit. Default: the quantity you last asked for this "
        "product in a show, else the product's MOQ.",
    )


class QuoteRequestRead(BaseModel):
    quote_request_id: int
    negotiation_id: int
    negotiation_created: bool = Field(
        description="False when your existing negotiation about the product was reused."
    )
    product_id: int
    quantity: QuantityOut


class FlashOfferCreate(TextInput):
    """A limited offer: a price for a quantity, until ``ends_at`` (or for
    ``duration_minutes``), on the terms each claim's offer will carry."""

    product_id: Id
    unit_price: DecimalIn = Field(description="In the product's currency, per its unit.")
    quantity: DecimalIn = Field(description="Units available in total, in the product's unit.")
    ends_at: IsoMoment | None = Field(
        default=None, description="In the future, at most 24 hours ahead."
    )
    duration_minutes: int | None = Field(default=None, ge=1, le=MAX_FLASH_MINUTES)
    incoterm: Code = Field(description="An Incoterms 2020 rule: FOB, CFR, CIF, EXW...")
    named_place: str = Field(min_length=1, max_length=120, description='e.g. "Fuzhou".')
    deposit_percent: DecimalIn = Field(description="0 to 100, at most 2 decimals.")
    balance_terms: str = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _one_end(self) -> FlashOfferCreate:
        if (self.ends_at is None) == (self.duration_minutes is None):
            raise ValueError("Give exactly one of ends_at or duration_minutes.")
        return self


class FlashOfferRead(BaseModel):
    id: int
    livestream_id: int
    product_id: int
    product_name: str
    product_name_zh: str = Field(description="Empty when the product has no Chinese name.")
    currency: str
    unit: str
    unit_price: MoneyOut
    quantity_total: QuantityOut
    quantity_claimed: QuantityOut
    quantity_remaining: QuantityOut
    incoterm: str
    named_place: str
    deposit_percent: QuantityOut
    balance_terms: str
    ends_at: datetime
    status: FlashStatus = Field(
        description="open; sold_out (nothing remains); closed (by the host, at ends_at, or "
        "when the show ended)."
    )
    created_at: datetime


class FlashClaimCreate(TextInput):
    quantity: DecimalIn = Field(description="Units to claim, in the offer's unit.")


class FlashClaimRead(BaseModel):
    id: int
    flash_offer_id: int
    quantity: QuantityOut
    negotiation_id: int
    negotiation_created: bool
    offer_id: int | None = Field(
        description="The offer at the flash price proposed to you in the negotiation "
        "(null only when the supplier has no member left to propose it: offer_note says so)."
    )
    replaced_offer_id: int | None = Field(
        description="The open offer the flash terms replaced in the negotiation, if any "
        "(yours is countered, the supplier's is withdrawn)."
    )
    offer_note: str | None
    quantity_remaining: QuantityOut


class MoneyTotal(BaseModel):
    currency: str
    orders: int
    total: MoneyOut


class FunnelRead(BaseModel):
    """From watching to ordering. ``chat_messages`` counts every line sent, deleted ones
    included (the audience's activity, not what is shown)."""

    livestream_id: int
    peak_viewers: int
    unique_viewers: int
    chat_messages: int
    likes: int
    product_pins: int
    quote_requests: int
    flash_claims: int
    flash_units_claimed: QuantityOut
    negotiations_opened: int = Field(
        description="Negotiations the show's quote requests and claims started."
    )
    negotiations_reached: int = Field(
        description="Distinct negotiations the show's quote requests and claims went to, "
        "started or reused."
    )
    orders: int = Field(
        description="Orders made in those negotiations after the show first led to each."
    )
    order_value: list[MoneyTotal] = Field(description="Per currency.")
