"""Request and response shapes for bank details and the warnings orders carry about them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.kit.validation import TextInput

BankDetailsWarningCode = Literal[
    "changed_since_previous_order", "changed_since_order", "added_since_order"
]


class BankDetailsUpdate(TextInput):
    """The account buyers pay into. Replaces the current details with a new version; the
    old ones stay in the history."""

    beneficiary_name: str = Field(
        min_length=1, max_length=200, description="The account holder, as the bank knows it."
    )
    bank_name: str = Field(min_length=1, max_length=200)
    bank_address: str = Field(default="", max_length=1000)
    account_number: str = Field(
        min_length=1, max_length=64,
        description="An IBAN (checked with its mod-97 digits) or a domestic account number.",
    )
    swift_bic: str = Field(
        min_length=1, max_length=14, description="8 or 11 characters, e.g. BKCHCNBJ.",
    )
    currency: str | None = Field(
        default=None, max_length=8,
        description="ISO 4217 code of the currency this account receives, if only one.",
    )


class BankDetailsRead(BaseModel):
    """One version of an organization's bank details."""

    id: int
    organization_id: int
    version: int
    beneficiary_name: str
    bank_name: str
    bank_address: str
    account_number: str = Field(description="Compact: an IBAN without spaces, upper case.")
    account_number_display: str = Field(description="An IBAN in groups of four.")
    is_iban: bool
    swift_bic: str
    currency: str | None
    changed_at: datetime = Field(description="When this version replaced the previous one.")


class BankDetailsVersionRead(BankDetailsRead):
    """A version in the history, with who made it (owners only)."""

    changed_by_user_id: int | None
    changed_by_name: str | None


class BankDetailsWarning(BaseModel):
    """Why a buyer should confirm the account by phone before paying.

    - ``changed_since_previous_order``: the account differs from the one on the previous
      order between the same buyer and supplier (``previous_order_*``);
    - ``changed_since_order``: the supplier changed its details after this order was made
      (``changed_at``); the order keeps the details it was made with;
    - ``added_since_order``: the order was made before the supplier gave any details; these
      are the ones it gave later (``changed_at``).
    """

    codes: list[BankDetailsWarningCode]
    previous_order_id: int | None = None
    previous_order_created_at: datetime | None = None
    changed_at: datetime | None = None
