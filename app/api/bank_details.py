"""A supplier's bank details: the current version, a change, the history."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import CurrentPrincipal, SessionDep
from app.api.responses import error_responses
from app.banking import service as banking
from app.banking.schemas import BankDetailsRead, BankDetailsUpdate, BankDetailsVersionRead
from app.kit.pagination import Page, PageDep
from app.kit.validation import Id

router = APIRouter(prefix="/organizations", tags=["bank details"])

_READ_ERRORS = error_responses(403, 404, described={
    403: "supplier_only (not a supplier organization)",
    404: "organization_not_found (not your organization) or bank_details_not_set",
})


@router.get("/{organization_id}/bank-details", responses=_READ_ERRORS)
async def get_bank_details(
    organization_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> BankDetailsRead:
    """The current bank details (members only: bank details are not public; a buyer sees
    them on its orders). ``changed_at`` is when this version replaced the previous one."""
    return await banking.current(session, principal, organization_id)


@router.put(
    "/{organization_id}/bank-details",
    responses=error_responses(403, 404, 409, 422, described={
        403: "owner_required or supplier_only",
        404: "organization_not_found",
        409: "bank_details_changed_concurrently",
        422: "validation_error, invalid_iban, invalid_account_number, invalid_swift_bic, "
             "unknown_currency (details list every invalid field)",
    }),
)
async def put_bank_details(
    organization_id: Id, data: BankDetailsUpdate, principal: CurrentPrincipal,
    session: SessionDep,
) -> BankDetailsRead:
    """Owners replace the bank details with a new version (the old ones stay in the
    history); every member of the organization is emailed. The same details again change
    nothing."""
    details, _changed = await banking.change(session, principal, organization_id, data)
    return details


@router.get(
    "/{organization_id}/bank-details/history",
    responses=error_responses(403, 404, 422, described={
        403: "owner_required or supplier_only", 404: "organization_not_found",
        422: "invalid_cursor",
    }),
)
async def bank_details_history(
    organization_id: Id, principal: CurrentPrincipal, session: SessionDep, page: PageDep
) -> Page[BankDetailsVersionRead]:
    """Every version, newest first, with who made it (owners only)."""
    items, cursor = await banking.history(session, principal, organization_id, page.limit,
                                          page.cursor)
    return Page(items=items, next_cursor=cursor)
