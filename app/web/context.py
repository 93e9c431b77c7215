"""Per-request page context: who is viewing, in which language and time zone, CSRF."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from babel.lists import format_list
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.ext.asyncio import AsyncSession

from app import PROJECT_ROOT
from app.accounts import service as accounts
from app.accounts.principal import Principal
from app.config import Settings
from app.errors import PermissionDenied
from app.kit.csrf import csrf_token, csrf_valid
from app.kit.timezones import SUPPORTED_LOCALES, zone_or_utc
from app.kit.tokens import new_secret
from app.web.i18n import (
    LANGUAGE_NAMES,
    babel_locale,
    country_name,
    format_time,
    gettext_for,
    language_name,
    negotiate_locale,
    ngettext_for,
)
from app.web.messages import N_

SESSION_COOKIE = "th_session"
ANON_COOKIE = "th_anon"
LANG_COOKIE = "th_lang"
TZ_COOKIE = "th_tz"

templates = Environment(
    loader=FileSystemLoader(PROJECT_ROOT / "frontend" / "templates"),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.install_null_translations(newstyle=True)  # type: ignore[attr-defined]


@dataclass
class PageContext:
    request: Request
    settings: Settings
    principal: Principal | None
    locale: str
    zone: ZoneInfo
    csrf_binding: str
    new_anon_cookie: str | None = None
    cookies_to_set: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    @property
    def csrf_token(self) -> str:
        return csrf_token(self.settings.secret_key, self.csrf_binding)

    def gettext(self, message: str, **variables: Any) -> str:
        return gettext_for(self.locale)(message, **variables)

    def ngettext(self, singular: str, plural: str, n: int, **variables: Any) -> str:
        return ngettext_for(self.locale)(singular, plural, n, **variables)

    def fmt_time(self, value: datetime | None, fmt: str = "medium") -> str:
        """Every time on a page goes through here: the viewer's zone and language."""
        return "" if value is None else format_time(value, self.zone, self.locale, fmt)

    def country_name(self, code: str | None) -> str:
        return country_name(code, self.locale) if code else ""

    def language_name(self, code: str) -> str:
        return language_name(code, self.locale)

    def language_list(self, codes: list[str]) -> str:
        """"Chinese, English, and Spanish" / "中文、英语和西班牙语"."""
        return format_list([language_name(c, self.locale) for c in codes],
                           locale=babel_locale(self.locale))

    @property
    def current_url(self) -> str:
        """Path and query of this page, for links that come back here (language switch)."""
        url = self.request.url
        return f"{url.path}?{url.query}" if url.query else url.path

    def render(
        self,
        template: str,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        **variables: Any,
    ) -> HTMLResponse:
        body = templates.get_template(template).render(
            request=self.request,
            page=self,
            viewer=self.principal,
            locale=self.locale,
            languages=LANGUAGE_NAMES,
            csrf_token=self.csrf_token,
            gettext=self.gettext,
            ngettext=self.ngettext,
            _=self.gettext,
            fmt_time=self.fmt_time,
            country_name=self.country_name,
            language_name=self.language_name,
            language_list=self.language_list,
            dev_mode=self.settings.is_dev,
            current_path=self.request.url.path,
            current_url=self.current_url,
            **variables,
        )
        response = HTMLResponse(body, status_code=status_code, headers=headers)
        self.apply_cookies(response)
        return response

    def apply_cookies(self, response: Response) -> None:
        if self.new_anon_cookie:
            self._set_cookie(response, ANON_COOKIE, self.new_anon_cookie, None)
        for name, (value, max_age) in self.cookies_to_set.items():
            self._set_cookie(response, name, value, max_age)

    def _set_cookie(self, response: Response, name: str, value: str, max_age: int | None) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            httponly=True,
            samesite="lax",
            secure=self.settings.cookies_secure,
            path="/",
        )

    def require_csrf(self, submitted: object) -> None:
        """Refuse a form post that lacks this browser's token or comes from another site."""
        token = submitted if isinstance(submitted, str) else None
        if not csrf_valid(self.settings.secret_key, self.csrf_binding, token):
            raise PermissionDenied(
                N_(
                    "This form has expired or did not come from TradeHall. Reload the page and "
                    "try again."
                ),
                code="csrf_failed",
            )
        origin = self.request.headers.get("origin")
        if origin and origin != "null" and not self._same_origin(origin):
            raise PermissionDenied(
                N_("Forms can only be sent from TradeHall's own pages. Open TradeHall and try "
                   "again."),
                code="csrf_failed",
            )

    def _same_origin(self, origin: str) -> bool:
        if origin in self.settings.allowed_origins:
            return True
        parts = urlsplit(origin)
        return parts.netloc == self.request.headers.get("host", "")


def _locale_and_zone(request: Request, principal: Principal | None) -> tuple[str, ZoneInfo]:
    lang_cookie = request.cookies.get(LANG_COOKIE)
    locale = negotiate_locale(
        lang_cookie if lang_cookie in SUPPORTED_LOCALES else None,
        principal.user.locale if principal else None,
        accept_language=request.headers.get("accept-language", ""),
    )
    zone = zone_or_utc(
        principal.user.time_zone if principal else unquote(request.cookies.get(TZ_COOKIE, ""))
    )
    return locale, zone


def error_context(request: Request) -> PageContext:
    """A context for error pages, built without the database (it may be what failed).

    Language and zone come from the browser's cookies; nobody is signed in as far as the page
    knows, so it shows no account actions (see ``minimal_chrome`` in base.html).
    """
    locale, zone = _locale_and_zone(request, None)
    return PageContext(
        request=request,
        settings=request.app.state.settings,
        principal=None,
        locale=locale,
        zone=zone,
        csrf_binding=request.cookies.get(ANON_COOKIE, ""),
    )


async def page_context(request: Request, session: AsyncSession) -> PageContext:
    settings: Settings = request.app.state.settings
    principal: Principal | None = None
    session_cookie = request.cookies.get(SESSION_COOKIE)
    if session_cookie:
        principal = await accounts.resolve_principal(session, session_cookie, kind="session")
    anon = request.cookies.get(ANON_COOKIE)
    new_anon = None
    if not anon:
        anon = new_anon = new_secret()
    locale, zone = _locale_and_zone(request, principal)
    return PageContext(
        request=request,
        settings=settings,
        principal=principal,
        locale=locale,
        zone=zone,
        csrf_binding=session_cookie if principal and session_cookie else anon,
        new_anon_cookie=new_anon,
    )
