"""Request and response shapes for negotiations, messages and offers.

Money and quantities are decimal strings both ways (a JSON float is refused: it may have
lost digits before we see it); totals are printed with the currency's minor units.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from app.catalog.schemas import Code, DecimalIn, MoneyOut, QuantityOut
from app.kit.validation import MAX_ID, TextInput

MAX_BODY = 4000
MAX_LINES = 50


class NegotiationCreate(TextInput):
    """Open a negotiation about a product or a booth, with a first message."""

    subject_type: Literal["product", "booth"]
    subject_id: int = Field(ge=1, le=MAX_ID)
    message: str = Field(min_length=1, max_length=MAX_BODY)
    quantity: DecimalIn | None = Field(default=None, description="What you would order.")
    target_price: DecimalIn | None = Field(default=None, description="Unit price you aim at.")


class PartyRead(BaseModel):
    id: int
    name: str
    country: str


class NegotiationRead(BaseModel):
    id: int
    subject_type: str
    subject_id: int
    subject_title: str
    buyer: PartyRead
    supplier: PartyRead
    your_side: Literal["buyer", "supplier"]
    last_message_seq: int
    last_activity_at: datetime
    unread_count: int
    # What the other organization has read up to (read receipts).
    other_side_read_seq: int
    open_offer_id: int | None
    created_at: datetime


class MessageCreate(TextInput):
    """Exactly one of ``body`` (your words) or ``quick_reply`` (a key of GET
    /negotiations/quick-replies, shown to each reader in their language)."""

    body: str | None = Field(default=None, min_length=1, max_length=MAX_BODY)
    quick_reply: str | None = Field(default=None, min_length=1, max_length=64)
    client_msg_id: str | None = Field(
        default=None, min_length=1, max_length=64,
        description="Your id for this message: a retry with the same id is stored once.",
    )


    @model_validator(mode="after")
    def _body_or_quick_reply(self) -> MessageCreate:
        if (self.body is None) == (self.quick_reply is None):
            raise ValueError("Send exactly one of body or quick_reply.")
        return self


class QuickReplyRead(BaseModel):
    key: str
    text: str


class AttachmentRead(BaseModel):
    """A file a message carries. ``url`` serves it to the two parties' members only."""

    id: int
    name: str
    kind: Literal["image", "pdf"]
    content_type: str
    size_bytes: int
    sha256: str = Field(description="Of the file as served: a download can be checked.")
    url: str
    thumbnail_url: str | None = Field(description="Images only: at most 400 px.")
    width: int | None
    height: int | None


class MessageRead(BaseModel):
    id: int
    negotiation_id: int
    seq: int
    kind: str
    sender_user_id: int | None
    sender_org_id: int | None
    body: str
    data: dict[str, Any]
    offer_id: int | None
    client_msg_id: str | None
    created_at: datetime
    # Text messages only (POST /negotiations/{id}/attachments), in the order they were sent.
    attachments: list[AttachmentRead] = Field(default_factory=list)


class AttachmentMessage(TextInput):
    """The text fields sent with the files of POST /negotiations/{id}/attachments."""

    body: str = Field(default="", max_length=MAX_BODY)
    client_msg_id: str | None = Field(
        default=None, min_length=1, max_length=64,
        description="Your id for this message: a retry with the same id is stored once.",
    )


class ReadMark(TextInput):
    seq: int = Field(ge=0, le=MAX_ID, description="The last message seq you have read.")


class ReadStateRead(BaseModel):
    negotiation_id: int
    organization_id: int
    last_read_seq: int


class OfferLineIn(TextInput):
    product_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    description: str = Field(
        default="", max_length=200,
        description="Required when there is no product; defaults to the product's name.",
    )
    quantity: DecimalIn
    unit: Code
    unit_price: DecimalIn
    currency: str | None = Field(
        default=None, max_length=8, description="If given, must be the offer's currency."
    )


class OfferCreate(TextInput):
    lines: list[OfferLineIn] = Field(min_length=1, max_length=MAX_LINES)
    currency: str = Field(min_length=1, max_length=8, description="ISO 4217, e.g. USD.")
    incoterm: Code = Field(description="An Incoterms 2020 rule: FOB, CFR, CIF, EXW...")
    named_place: str = Field(
        min_length=1, max_length=120, description='The named port or place: "Fuzhou".'
    )
    shipment_date: date | None = None
    deposit_percent: DecimalIn = Field(description="0 to 100, at most 2 decimals.")
    balance_terms: str = Field(default="", max_length=200)
    valid_until: AwareDatetime
    notes: str = Field(default="", max_length=MAX_BODY)


class OfferLineRead(BaseModel):
    position: int
    product_id: int | None
    description: str
    quantity: QuantityOut
    unit: str
    unit_price: MoneyOut
    line_total: str


class FieldChange(BaseModel):
    field: str
    before: Any
    after: Any


class OfferRead(BaseModel):
    id: int
    negotiation_id: int
    status: str
    proposed_by_org_id: int
    proposed_by_user_id: int | None
    answers_offer_id: int | None
    currency: str
    incoterm: str
    named_place: str
    shipment_date: date | None
    deposit_percent: QuantityOut
    balance_terms: str
    valid_until: datetime
    notes: str
    lines: list[OfferLineRead]
    total: str
    created_at: datetime
    decided_at: datetime | None
    # What changed from the offer this one answers, field by field (counter-offers only).
    changes: list[FieldChange] | None = None
    order_id: int | None = None

