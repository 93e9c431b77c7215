"""A supplier's bank details page, and the warnings orders show about bank details.

The banking service decides (app/banking/service.py): members see the current details,
owners change them and see the history, anyone else gets 404. The warnings are sentences
built here once, for the order page, the proforma page and the proforma PDF alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.banking import service as banking
from app.banking.schemas import (
    BankDetailsRead,
    BankDetailsUpdate,
    BankDetailsVersionRead,
    BankDetailsWarning,
)
from app.web.exhibition_view import View, ViewDep
from app.web.forms import form_errors, form_values, parse_form
from app.web.i18n import Gettext

router = APIRouter(include_in_schema=False)

PATH = "/settings/bank-details"
FIELDS = ("beneficiary_name", "bank_name", "bank_address", "account_number", "swift_bic",
          "currency")
HISTORY_SHOWN = 20


def warning_texts(
    warning: BankDetailsWarning | None, _: Gettext, day: Callable[[datetime], str]
) -> list[str]:
    """What a buyer reads before paying, one sentence per reason, in the viewer's language;
    ``day`` writes a moment as a date in the viewer's zone."""
    if warning is None:
        return []
    texts: list[str] = []
    for code in warning.codes:
        if code == "changed_since_previous_order" and warning.previous_order_created_at:
            texts.append(_(
                "The supplier's bank details changed since your order #%(id)s on %(date)s. "
                "Confirm them by phone with a known contact before paying.",
                id=warning.previous_order_id, date=day(warning.previous_order_created_at),
            ))
        elif code == "changed_since_order" and warning.changed_at:
            texts.append(_(
                "The supplier changed its bank details on %(date)s, after this order was "
                "made. Below are the details the order was made with. Confirm by phone with "
                "a known contact which account to pay before paying.",
                date=day(warning.changed_at),
            ))
        elif code == "added_since_order" and warning.changed_at:
            texts.append(_(
                "The supplier gave these bank details on %(date)s, after this order was made. "
                "Confirm them by phone with a known contact before paying.",
                date=day(warning.changed_at),
            ))
    return texts


async def _page(
    view: View, *, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    assert view.viewer is not None  # noqa: S101 - the routes redirect anonymous viewers
    organization_id = banking.organization_of(view.viewer)
    current: BankDetailsRead | None
    try:
        current = await banking.current(view.session, view.viewer, organization_id)
    except banking.BankDetailsNotSet:
        current = None
    is_owner = view.viewer.is_owner_of(organization_id)
    history: list[BankDetailsVersionRead] = []
    if is_owner:
        history, _cursor = await banking.history(view.session, view.viewer, organization_id,
                                                 HISTORY_SHOWN, None)
    if values is None:
        values = {name: (getattr(current, name) or "") if current else "" for name in FIELDS}
        if current is not None:
            values["account_number"] = current.account_number_display
    return view.render(
        "settings/bank_details.html", status_code=status_code, current=current,
        history=history, can_edit=is_owner, values=values, errors=errors or {},
        saved=view.request.query_params.get("saved"),
    )


@router.get(PATH, response_class=HTMLResponse)
async def bank_details_page(view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _page(view)


@router.post(PATH, response_class=HTMLResponse)
async def bank_details_submit(view: ViewDep) -> Response:
    """A new version of the bank details (owners); bad input is shown next to its field."""
    if view.viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    organization_id = banking.organization_of(view.viewer)
    values = form_values(form)
    payload = {name: values.get(name, "") for name in FIELDS}
    payload["currency"] = payload["currency"] or None
    try:
        data = BankDetailsUpdate.model_validate(payload)
    except ValidationError as exc:
        return await _page(view, values=values, errors=form_errors(exc, view.ctx),
                           status_code=422)
    try:
        _details, changed = await banking.change(view.session, view.viewer, organization_id,
                                                 data)
    except banking.BankDetailsInvalid as exc:
        errors = {str(d["loc"][-1]): view.ctx.gettext(d["msg"]) for d in exc.details}
        return await _page(view, values=values, errors=errors, status_code=422)
    return view.redirect(f"{PATH}?saved={'1' if changed else 'same'}")
