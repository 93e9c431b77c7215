"""Rules for a supplier's bank details.

Changing them is how a fraudster who took over an account (or a look-alike email) diverts a
buyer's deposit, so:

- only the supplier organization's owners set them (a member gets 403 ``owner_required``,
  anyone else 404: bank details are not public; a buyer sees them on its orders only);
- a change adds a version and never overwrites one, so the history is evidence;
- every change writes an audit entry and emails every member of the organization, so a
  change nobody there made is noticed;
- each order keeps the version in force when it was made (``snapshot_for_order``), and
  ``for_order`` warns when the account differs from the previous order's with the same
  buyer, or changed after the order was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.banking import repository
from app.banking.schemas import (
    BankDetailsRead,
    BankDetailsUpdate,
    BankDetailsVersionRead,
    BankDetailsWarning,
    BankDetailsWarningCode,
)
from app.catalog import reference
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.kit import bank_codes
from app.kit.pagination import cursor_id, encode_cursor
from app.models import BankDetails, Order
from app.models.base import utcnow
from app.organizations import service as organizations
from app.outbox import service as outbox


class BankDetailsNotSet(NotFound):
    code = "bank_details_not_set"
    message = "This organization has not given its bank details yet."


class SupplierOnly(PermissionDenied):
    code = "supplier_only"
    message = (
        "Only supplier organizations give bank details: buyers pay into the account shown "
        "on each order's proforma invoice."
    )


class BankDetailsInvalid(InvalidInput):
    code = "invalid_bank_details"
    message = "Some bank details are not valid."


class BankDetailsChangedConcurrently(Conflict):
    code = "bank_details_changed_concurrently"
    message = (
        "Someone else changed the bank details at the same moment. Reload them, check them, "
        "and save again."
    )


@dataclass(frozen=True, slots=True)
class _Problem:
    field: str
    code: str
    message: str


def read_model(details: BankDetails) -> BankDetailsRead:
    return BankDetailsRead(
        id=details.id, organization_id=details.organization_id, version=details.version,
        beneficiary_name=details.beneficiary_name, bank_name=details.bank_name,
        bank_address=details.bank_address, account_number=details.account_number,
        account_number_display=bank_codes.grouped(details.account_number),
        is_iban=bank_codes.looks_like_iban(details.account_number),
        swift_bic=details.swift_bic, currency=details.currency, changed_at=details.created_at,
    )


def _problems(data: BankDetailsUpdate) -> list[_Problem]:
    problems: list[_Problem] = []
    account = data.account_number
    if bank_codes.looks_like_iban(account):
        if not bank_codes.iban_is_valid(account):
            problems.append(_Problem(
                "account_number", "invalid_iban",
                "This IBAN's check digits do not match: a character is wrong or two are "
                "swapped. Copy it again from the bank's statement.",
            ))
    elif not bank_codes.account_number_is_valid(account):
        problems.append(_Problem(
            "account_number", "invalid_account_number",
            "An account number has 4 to 34 letters or digits (spaces and hyphens allowed), "
            "or give the IBAN.",
        ))
    if not bank_codes.bic_is_valid(data.swift_bic):
        problems.append(_Problem(
            "swift_bic", "invalid_swift_bic",
            "A SWIFT/BIC code has 8 or 11 letters and digits: bank (4 letters), country "
            "(2 letters), location (2), optional branch (3), e.g. BKCHCNBJ.",
        ))
    if data.currency is not None and not reference.is_currency(data.currency.upper()):
        problems.append(_Problem(
            "currency", "unknown_currency",
            "Use an ISO 4217 currency code in use today, e.g. USD, CNY.",
        ))
    return problems


def _invalid(problems: list[_Problem]) -> BankDetailsInvalid:
    """The first problem's code and message; every problem in ``details``, as fields."""
    return BankDetailsInvalid(
        problems[0].message,
        code=problems[0].code,
        details=[{"loc": ["body", p.field], "msg": p.message, "type": p.code}
                 for p in problems],
    )


def _identity(details: BankDetails | BankDetailsRead) -> tuple[str, str, str]:
    """What decides where money goes: the account, the bank (BIC) and the beneficiary.
    The bank's address or the currency changing is not a different account."""
    return (
        bank_codes.compact(details.account_number),
        bank_codes.bic_key(details.swift_bic),
        " ".join(details.beneficiary_name.split()).casefold(),
    )


def _same_as(current: BankDetails, values: dict[str, object]) -> bool:
    return all(getattr(current, name) == value for name, value in values.items())


def organization_of(viewer: Principal) -> int:
    """The viewer's own organization (the settings pages are about it)."""
    if viewer.organization_id is None:
        raise organizations.OrganizationNotFound()
    return viewer.organization_id


async def _supplier_for_member(
    session: AsyncSession, viewer: Principal, organization_id: int
) -> None:
    organization = await organizations.get_settings(session, viewer, organization_id)
    if organization.kind != "supplier":
        raise SupplierOnly()


async def current(
    session: AsyncSession, viewer: Principal, organization_id: int
) -> BankDetailsRead:
    """The organization's current bank details: its members (and platform admins) only."""
    await _supplier_for_member(session, viewer, organization_id)
    details = await repository.current(session, organization_id)
    if details is None:
        raise BankDetailsNotSet()
    return read_model(details)


async def history(
    session: AsyncSession, viewer: Principal, organization_id: int, limit: int,
    cursor: str | None,
) -> tuple[list[BankDetailsVersionRead], str | None]:
    """Every version, newest first, with who made it: owners (and platform admins) only."""
    await _supplier_for_member(session, viewer, organization_id)
    if not (viewer.is_admin or viewer.is_owner_of(organization_id)):
        raise organizations.OwnerRequired()
    # The cursor holds the last version shown (versions count like ids: from 1, never reused).
    rows = await repository.history(session, organization_id, limit + 1, cursor_id(cursor))
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        BankDetailsVersionRead(
            **read_model(details).model_dump(), changed_by_user_id=details.created_by_user_id,
            changed_by_name=name,
        )
        for details, name in rows
    ]
    return items, (encode_cursor([rows[-1][0].version]) if more and rows else None)


async def change(
    session: AsyncSession, viewer: Principal, organization_id: int, data: BankDetailsUpdate
) -> tuple[BankDetailsRead, bool]:
    """An owner replaces the bank details: a new version, an audit entry, and an email to
    every member. Saving the same details again changes nothing. Returns (details, changed).
    """
    await _supplier_for_member(session, viewer, organization_id)
    if not viewer.is_owner_of(organization_id):
        raise organizations.OwnerRequired()
    problems = _problems(data)
    if problems:
        raise _invalid(problems)
    values: dict[str, object] = {
        "beneficiary_name": " ".join(data.beneficiary_name.split()),
        "bank_name": " ".join(data.bank_name.split()),
        "bank_address": data.bank_address.strip(),
        "account_number": bank_codes.compact(data.account_number),
        "swift_bic": bank_codes.compact(data.swift_bic),
        "currency": data.currency.upper() if data.currency else None,
    }
    previous = await repository.current(session, organization_id)
    if previous is not None and _same_as(previous, values):
        return read_model(previous), False
    details = BankDetails(
        organization_id=organization_id,
        version=(previous.version + 1) if previous else 1,
        created_by_user_id=viewer.user_id, created_at=utcnow(), **values,
    )
    session.add(details)
    try:
        await session.flush()
    except IntegrityError as exc:  # another owner's change took this version number
        raise BankDetailsChangedConcurrently() from exc
    changed = sorted(
        name for name in values
        if previous is None or getattr(previous, name) != values[name]
    )
    await audit.record(
        session, actor_user_id=viewer.user_id, organization_id=organization_id,
        action="bank_details.changed", subject_type="organization",
        subject_id=organization_id,
        details={"version": details.version, "fields": changed,
                 "account_ending": bank_codes.ending(details.account_number)},
    )
    await _tell_members(session, viewer, details, first=previous is None)
    return read_model(details), True


async def _tell_members(
    session: AsyncSession, viewer: Principal, details: BankDetails, *, first: bool
) -> None:
    organization = await organizations.get_profile(session, details.organization_id)
    who = f"{viewer.user.full_name} <{viewer.user.email}>"
    ending = bank_codes.ending(details.account_number)
    when = details.created_at.strftime("%Y-%m-%d %H:%M UTC")
    subject = (f"Bank details {'set' if first else 'changed'} for {organization.name} "
               f"on TradeHall")
    body = (
        f"The bank details buyers see on {organization.name}'s orders were "
        f"{'set' if first else 'changed'} on TradeHall by {who} at {when}.\n"
        f"New account: ending {ending}, at {details.bank_name} ({details.swift_bic}).\n\n"
        "If nobody in your company made this change, someone may be trying to divert your "
        "buyers' payments: change your password, tell your buyers not to pay into this "
        "account, and restore the right details at once.\n\n"
        f"{organization.name} 在 TradeHall 上的收款银行信息已于 {when} 由 {who} "
        f"{'设置' if first else '修改'}。\n"
        f"新账户：尾号 {ending}，{details.bank_name}（{details.swift_bic}）。\n"
        "如果贵公司无人做过此修改，可能有人企图截留买家的货款：请立即修改密码，"
        "通知买家不要向此账户付款，并恢复正确的银行信息。\n"
    )
    for email in await repository.member_emails(session, details.organization_id):
        await outbox.queue_email(session, to=email, subject=subject, body=body)


async def snapshot_for_order(session: AsyncSession, order: Order) -> None:
    """Link a new order to the supplier's bank details in force now, if it has any."""
    details = await repository.current(session, order.supplier_id)
    if details is not None:
        await repository.link_order(session, order.id, details.id)


async def for_order(
    session: AsyncSession, order: Order
) -> tuple[BankDetailsRead | None, BankDetailsWarning | None]:
    """The account to pay for an order, and why to confirm it first, if there is a reason.

    The order's own version is shown; an order made before the supplier gave any details
    shows the current ones. The caller has checked that the viewer may see the order.
    """
    snapshot = await repository.of_order(session, order.id)
    latest = await repository.current(session, order.supplier_id)
    shown = snapshot or latest
    if shown is None:
        return None, None
    codes: list[BankDetailsWarningCode] = []
    facts: dict[str, Any] = {}
    previous = await repository.of_previous_order(
        session, buyer_id=order.buyer_id, supplier_id=order.supplier_id,
        before_order_id=order.id,
    )
    if previous is not None and _identity(previous[1]) != _identity(shown):
        codes.append("changed_since_previous_order")
        facts.update(previous_order_id=previous[0].id,
                     previous_order_created_at=previous[0].created_at)
    if snapshot is None:
        # An order made before bank details existed in TradeHall at all has no snapshot
        # either; only details given after the order are news to its buyer.
        if shown.created_at > order.created_at:
            codes.append("added_since_order")
            facts["changed_at"] = shown.created_at
    elif latest is not None and _identity(latest) != _identity(snapshot):
        codes.append("changed_since_order")
        facts["changed_at"] = latest.created_at
    warning = BankDetailsWarning(codes=codes, **facts) if codes else None
    return read_model(shown), warning
