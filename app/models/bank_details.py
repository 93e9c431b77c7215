"""A supplier's bank details, one row per version."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CreatedAtMixin, IdMixin, table_args


class BankDetails(IdMixin, CreatedAtMixin, Base):
    """One version of where an organization wants to be paid.

    A change inserts the next version and never updates or deletes a row: the history is the
    evidence when a buyer paid into an account a fraudster had swapped in, and orders point at
    the version they were made with. ``version`` counts per organization (unique), so two
    concurrent changes cannot both become the same version.
    """

    __tablename__ = "bank_details"
    __table_args__ = table_args(UniqueConstraint("organization_id", "version"))

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    version: Mapped[int] = mapped_column(Integer)
    beneficiary_name: Mapped[str] = mapped_column(String(200))
    bank_name: Mapped[str] = mapped_column(String(200))
    bank_address: Mapped[str] = mapped_column(Text, default="")
    # An IBAN (stored compact, upper case) or a domestic account number (spaces removed).
    account_number: Mapped[str] = mapped_column(String(64))
    swift_bic: Mapped[str] = mapped_column(String(11))
    # The currency this account receives, when the supplier keeps one account per currency.
    currency: Mapped[str | None] = mapped_column(String(3))
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class OrderBankDetails(Base):
    """The bank details version in force when an order was made: what its proforma shows.

    A table of its own rather than a column on ``orders``: adding a foreign key column to
    ``orders`` on SQLite means copying the table and dropping the original, and with foreign
    keys on, that drop deletes every order's lines and milestones by cascade. RESTRICT keeps
    the version, the evidence of where the buyer was told to pay, from being deleted.
    """

    __tablename__ = "order_bank_details"

    order_id: Mapped[int] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    bank_details_id: Mapped[int] = mapped_column(
        ForeignKey("bank_details.id", ondelete="RESTRICT"), index=True
    )
