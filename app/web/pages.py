"""Page routes. Thin like the API routers: parse the form, call a service, render."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from app.accounts import service as accounts
from app.accounts.schemas import MeUpdate, RegisterRequest
from app.api.deps import CounterDep, SessionDep, client_address
from app.errors import AppError, NotFound
from app.kit.timezones import SUPPORTED_LOCALES
from app.organizations import service as organizations
from app.organizations.schemas import InvitationAccept, InvitationCreate, OrganizationUpdate
from app.outbox import service as outbox
from app.web.context import LANG_COOKIE, SESSION_COOKIE, PageContext, error_context, page_context
from app.web.forms import (
    form_errors,
    form_values,
    language_options,
    parse_form,
    time_zone_names,
)
from app.web.i18n import country_names
from app.web.messages import N_

router = APIRouter(include_in_schema=False)


async def _ctx(request: Request, session: SessionDep) -> PageContext:
    return await page_context(request, session)


Ctx = Annotated[PageContext, Depends(_ctx)]


def _redirect(url: str, ctx: PageContext | None = None) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    if ctx is not None:
        ctx.apply_cookies(response)
    return response


def _safe_next(value: str | None) -> str:
    # Only same-site paths: "//evil.example" and "https://..." would be open redirects.
    # Control characters are refused too: browsers drop tabs and newlines, so "/\t/evil" is
    # "//evil" to them.
    if (
        value
        and value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and value.isprintable()
    ):
        return value
    return "/"


def login_redirect(request: Request) -> RedirectResponse:
    """Send an anonymous visitor to sign in, and back here afterwards."""
    here = f"{request.url.path}?{request.url.query}" if request.url.query else request.url.path
    return RedirectResponse(f"/login?next={quote(here, safe='/')}", status_code=303)


# Starlette's bare phrases say what failed, not what to do next.
_FRIENDLIER = {
    "Not Found": N_("Check the address, or start again from the home page."),
    "Method Not Allowed": N_("This address cannot be used that way. Start again from the home "
                             "page."),
}


def render_error(
    request: Request,
    status_code: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """The HTML error page used by the global error handler for browser requests."""
    ctx = error_context(request)
    return ctx.render(
        "error.html",
        status_code=status_code,
        headers=headers,
        code=code,
        message=_FRIENDLIER.get(message, message),
        status=status_code,
        minimal_chrome=True,
    )


@router.get("/", response_class=HTMLResponse)
async def home(ctx: Ctx, session: SessionDep) -> Response:
    organization = None
    if ctx.principal and ctx.principal.organization_id is not None:
        organization = await organizations.get_profile(session, ctx.principal.organization_id)
    return ctx.render("home.html", organization=organization)


@router.get("/lang/{locale}")
async def switch_language(locale: str, request: Request) -> Response:
    if locale not in SUPPORTED_LOCALES:
        raise NotFound(N_("No such language."))
    response = RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    response.set_cookie(LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return response


# --- registration and sign-in -------------------------------------------------------------


def _register_form(ctx: PageContext, values: dict[str, Any], errors: dict[str, str],
                   status_code: int = 200) -> Response:
    return ctx.render(
        "auth/register.html",
        status_code=status_code,
        values=values,
        errors=errors,
        countries=country_names(ctx.locale),
        common_languages=language_options(values.get("languages", [])),
    )


@router.get("/register", response_class=HTMLResponse)
async def register_page(ctx: Ctx) -> Response:
    if ctx.principal:
        return _redirect("/")
    languages = ["zh", "en"] if ctx.locale == "zh" else ["en"]
    return _register_form(ctx, {"kind": "supplier", "languages": languages}, {})


@router.post("/register", response_class=HTMLResponse)
async def register_submit(request: Request, ctx: Ctx, session: SessionDep) -> Response:
    form = await parse_form(request)
    ctx.require_csrf(form.get("csrf_token"))
    values = form_values(form, multi={"languages"})
    payload = {
        "email": values.get("email", ""),
        "password": values.get("password", ""),
        "full_name": values.get("full_name", ""),
        "locale": ctx.locale,
        "time_zone": values.get("time_zone") or "UTC",
        "organization": {
            "name": values.get("organization_name", ""),
            "kind": values.get("kind", ""),
            "country": values.get("country", ""),
            "languages": values.get("languages", []),
        },
    }
    values.pop("password", None)
    try:
        data = RegisterRequest.model_validate(payload)
    except ValidationError as exc:
        return _register_form(ctx, values, form_errors(exc, ctx), status_code=422)
    try:
        user, _org, _membership = await accounts.register(session, data)
    except AppError as exc:
        # Nothing of this attempt may be committed (the insert may have failed half way).
        await session.rollback()
        return _register_form(ctx, values, {"email": ctx.gettext(exc.message)}, exc.status_code)
    return await _start_session(ctx, session, user, "/")


async def _start_session(
    ctx: PageContext, session: SessionDep, user: Any, next_url: str
) -> Response:
    secret, _token = await accounts.issue_token(
        session, ctx.settings, user, kind="session",
        name=ctx.request.headers.get("user-agent", ""),
    )
    ctx.cookies_to_set[SESSION_COOKIE] = (secret, ctx.settings.session_ttl_hours * 3600)
    return _redirect(next_url, ctx)


@router.get("/login", response_class=HTMLResponse)
async def login_page(ctx: Ctx, request: Request) -> Response:
    if ctx.principal:
        return _redirect("/")
    next_url = _safe_next(request.query_params.get("next"))
    return ctx.render("auth/login.html", values={"next": next_url}, error=None)


@router.post("/login", response_class=HTMLResponse)
async def login_submit(
    request: Request, ctx: Ctx, session: SessionDep, counter: CounterDep
) -> Response:
    form = await parse_form(request)
    ctx.require_csrf(form.get("csrf_token"))
    email = str(form.get("email", "")).strip()
    next_url = _safe_next(str(form.get("next", "/")))
    try:
        user = await accounts.authenticate(
            session,
            ctx.settings,
            counter,
            email=email,
            password=str(form.get("password", ""))[:128],
            client_address=client_address(request),
        )
    except AppError as exc:
        headers = {"Retry-After": str(exc.details["retry_after"])} if exc.status_code == 429 else {}
        response = ctx.render(
            "auth/login.html",
            status_code=exc.status_code,
            values={"email": email, "next": next_url},
            error=ctx.gettext(exc.message) if exc.status_code != 429 else ctx.gettext(
                "Too many failed sign-in attempts. Try again in %(seconds)s seconds.",
                seconds=exc.details["retry_after"],
            ),
        )
        response.headers.update(headers)
        return response
    return await _start_session(ctx, session, user, next_url)


@router.post("/logout")
async def logout(request: Request, ctx: Ctx, session: SessionDep) -> Response:
    form = await parse_form(request)
    ctx.require_csrf(form.get("csrf_token"))
    if ctx.principal:
        await accounts.revoke_current(session, ctx.principal)
    response = _redirect("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- settings -------------------------------------------------------------------------------


@router.get("/settings/profile", response_class=HTMLResponse)
async def profile_page(ctx: Ctx) -> Response:
    if not ctx.principal:
        return login_redirect(ctx.request)
    user = ctx.principal.user
    values = {"full_name": user.full_name, "locale": user.locale, "time_zone": user.time_zone}
    return _profile_form(ctx, values, {})


def _profile_form(ctx: PageContext, values: dict[str, Any], errors: dict[str, str],
                  status_code: int = 200) -> Response:
    return ctx.render(
        "settings/profile.html",
        status_code=status_code,
        values=values,
        errors=errors,
        saved=ctx.request.query_params.get("saved") == "1",
        time_zones=time_zone_names(),
    )


@router.post("/settings/profile", response_class=HTMLResponse)
async def profile_submit(request: Request, ctx: Ctx, session: SessionDep) -> Response:
    if not ctx.principal:
        return login_redirect(request)
    form = await parse_form(request)
    ctx.require_csrf(form.get("csrf_token"))
    values = form_values(form)
    try:
        data = MeUpdate.model_validate(
            {k: values.get(k) for k in ("full_name", "locale", "time_zone")}
        )
    except ValidationError as exc:
        return _profile_form(ctx, values, form_errors(exc, ctx), status_code=422)
    await accounts.update_me(session, ctx.principal, data)
    # The new language applies at once: the explicit cookie would otherwise win.
    ctx.cookies_to_set[LANG_COOKIE] = (data.locale or ctx.locale, 365 * 24 * 3600)
    return _redirect("/settings/profile?saved=1", ctx)


def _organization_id(ctx: PageContext) -> int:
    if ctx.principal is None or ctx.principal.organization_id is None:
        raise NotFound(N_("You do not belong to an organization."), code="organization_not_found")
    return ctx.principal.organization_id


_ORGANIZATION_FIELDS = ("name", "country", "languages", "description", "website",
                       "contact_email", "phone", "address", "time_zone")


async def _organization_form(
    ctx: PageContext,
    session: SessionDep,
    organization_id: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    assert ctx.principal is not None  # noqa: S101 - callers redirect anonymous viewers first
    organization = await organizations.get_settings(session, ctx.principal, organization_id)
    members = await organizations.list_members(session, ctx.principal, organization_id)
    if values is None:
        values = {name: getattr(organization, name) or "" for name in _ORGANIZATION_FIELDS}
    return ctx.render(
        "settings/organization.html",
        status_code=status_code,
        organization=organization,
        members=members,
        values=values,
        errors=errors or {},
        saved=ctx.request.query_params.get("saved") == "1",
        can_edit=ctx.principal.is_owner_of(organization_id) or ctx.principal.is_admin,
        countries=country_names(ctx.locale),
        common_languages=language_options(values.get("languages", [])),
        time_zones=time_zone_names(),
    )


@router.get("/settings/organization", response_class=HTMLResponse)
async def organization_page(ctx: Ctx, session: SessionDep) -> Response:
    if not ctx.principal:
        return login_redirect(ctx.request)
    return await _organization_form(ctx, session, _organization_id(ctx))


@router.post("/settings/organization", response_class=HTMLResponse)
async def organization_submit(request: Request, ctx: Ctx, session: SessionDep) -> Response:
    if not ctx.principal:
        return login_redirect(request)
    form = await parse_form(request)
    ctx.require_csrf(form.get("csrf_token"))
    organization_id = _organization_id(ctx)
    values = form_values(form, multi={"languages"})
    payload: dict[str, Any] = {
        k: values.get(k, []) if k == "languages" else (values.get(k) or None)
        for k in _ORGANIZATION_FIELDS
    }
    payload["description"] = values.get("description", "")
    try:
        data = OrganizationUpdate.model_validate(payload)
    except ValidationError as exc:
        return await _organization_form(
            ctx, session, organization_id, values, form_errors(exc, ctx), status_code=422
        )
    # The service decides who may change it (owners; a member gets 403).
    await organizations.update_organization(session, ctx.principal, organization_id, data)
    return _redirect("/settings/organization?saved=1", ctx)


@router.get("/settings/invitations", response_class=HTMLResponse)
async def invitations_page(ctx: Ctx, session: SessionDep) -> Response:
    if not ctx.principal:
        return login_redirect(ctx.request)
    organization_id = _organization_id(ctx)
    invitations = await organizations.list_invitations(session, ctx.principal, organization_id)
    return ctx.render(
        "settings/invitations.html",
        invitations=invitations,
        values={"role": "member"},
        errors={},
        sent=ctx.request.query_params.get("sent"),
    )


@router.post("/settings/invitations", response_class=HTMLResponse)
async def invitations_submit(request: Request, ctx: Ctx, session: SessionDep) -> Response:
    if not ctx.principal:
        return login_redirect(request)
    form = await parse_form(request)
    ctx.require_csrf(form.get("csrf_token"))
    organization_id = _organization_id(ctx)
    values = form_values(form)
    try:
        data = InvitationCreate.model_validate(
            {"email": values.get("email", ""), "role": values.get("role", "member")}
        )
        invitation, _secret = await organizations.invite(
            session, ctx.settings, ctx.principal, organization_id, data
        )
    except (ValidationError, AppError) as exc:
        errors = (
            form_errors(exc, ctx) if isinstance(exc, ValidationError)
            else {"email": ctx.gettext(exc.message)}
        )
        if isinstance(exc, AppError) and exc.status_code in (403, 404):
            raise
        invitations = await organizations.list_invitations(session, ctx.principal, organization_id)
        return ctx.render("settings/invitations.html", status_code=422, invitations=invitations,
                          values=values, errors=errors, sent=None)
    return _redirect(f"/settings/invitations?{urlencode({'sent': invitation.email})}", ctx)


@router.post("/settings/invitations/{invitation_id}/revoke")
async def invitation_revoke(
    invitation_id: int, request: Request, ctx: Ctx, session: SessionDep
) -> Response:
    if not ctx.principal:
        return login_redirect(request)
    form = await parse_form(request)
    ctx.require_csrf(form.get("csrf_token"))
    await organizations.revoke_invitation(
        session, ctx.principal, _organization_id(ctx), invitation_id
    )
    return _redirect("/settings/invitations", ctx)


@router.get("/invitations/accept", response_class=HTMLResponse)
async def accept_page(ctx: Ctx, session: SessionDep, request: Request) -> Response:
    token = request.query_params.get("token", "")
    invitation, organization = await organizations.preview_invitation(session, token)
    return ctx.render("invitations/accept.html", invitation=invitation,
                      organization=organization, token=token, values={}, errors={})


@router.post("/invitations/accept", response_class=HTMLResponse)
async def accept_submit(request: Request, ctx: Ctx, session: SessionDep) -> Response:
    form = await parse_form(request)
    ctx.require_csrf(form.get("csrf_token"))
    values = form_values(form)
    token = values.get("token", "")
    try:
        data = InvitationAccept.model_validate({
            "token": token,
            "full_name": values.get("full_name", ""),
            "password": values.get("password", ""),
            "locale": ctx.locale,
            "time_zone": values.get("time_zone") or "UTC",
        })
    except ValidationError as exc:
        invitation, organization = await organizations.preview_invitation(session, token)
        values.pop("password", None)
        return ctx.render("invitations/accept.html", status_code=422, invitation=invitation,
                          organization=organization, token=token, values=values,
                          errors=form_errors(exc, ctx))
    user = await organizations.accept_invitation(session, data)
    return await _start_session(ctx, session, user, "/settings/organization")


# --- development helpers ----------------------------------------------------------------------


@router.get("/dev/outbox", response_class=HTMLResponse)
async def dev_outbox(ctx: Ctx, session: SessionDep) -> Response:
    """The emails the platform would have sent. Development mode only."""
    if not ctx.settings.is_dev:
        raise NotFound()
    return ctx.render("dev/outbox.html", emails=await outbox.recent_emails(session))
