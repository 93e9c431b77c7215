"""What the exhibition pages share: the page dependency, labels and number formats.

``View`` is the dependency of every exhibition page: the request's ``PageContext`` plus the
session, the viewer's organization (the navigation shows exhibitor or organizer tools by its
kind) and ``Formats``, which every template gets as ``x``: prices with Babel's
``format_currency`` in the product's currency and the viewer's locale, quantities, and the
catalog's codes (categories, units, Incoterms, certifications) in the viewer's language.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import AsyncGenerator, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from app.accounts.principal import Principal
from app.api.deps import SessionDep
from app.booths.certifications import CERTIFICATION_SCHEMES
from app.catalog import reference
from app.errors import AppError, InvalidInput, NotFound
from app.kit.validation import MAX_ID as MAX_ID  # the pages' id bound, re-exported
from app.models import Organization
from app.organizations import service as organizations
from app.web.context import PageContext, page_context
from app.web.i18n import babel_locale, country_names
from app.web.messages import N_
from app.web.pages import login_redirect

# Export markets offered as checkboxes on the booth editor: where Fujian seafood goes. Any
# other ISO code can be typed in the "other markets" field.
COMMON_MARKETS = (
    "US", "CA", "MX", "BR", "CL", "ES", "IT", "PT", "FR", "DE", "NL", "BE", "GB", "PL", "RU",
    "JP", "KR", "SG", "MY", "TH", "VN", "PH", "ID", "AU", "NZ", "AE", "SA", "IL", "NG", "ZA",
)
# Units written as symbols in English (the others are words, pluralised).
_UNIT_SYMBOLS = frozenset({"kg", "t", "lb", "g"})
# Words a company name is not told apart by.
_NOT_NAMES = frozenset({"co", "ltd", "inc", "llc", "gmbh", "bv", "sa", "sl", "srl", "pty",
                        "the", "and", "of", "company", "limited", "corp", "corporation"})
# Currencies listed first in price fields; any ISO 4217 code of the catalog is accepted.
COMMON_CURRENCIES = ("USD", "CNY", "EUR", "JPY", "GBP", "KRW", "AUD", "CAD", "HKD", "SGD")


class Formats:
    """Numbers, money and vocabulary labels in one viewer's language (``x`` in templates)."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._babel = babel_locale(locale)

    @property
    def zh(self) -> bool:
        return self.locale == "zh"

    def pick(self, english: str | None, chinese: str | None) -> str:
        """The text in the viewer's language, else the other one (never an empty label)."""
        first, second = (chinese, english) if self.zh else (english, chinese)
        return (first or second or "").strip()

    def other(self, english: str | None, chinese: str | None) -> str:
        """The name in the other language, shown small next to ``pick``'s (if different)."""
        shown = self.pick(english, chinese)
        second = (english if self.zh else chinese) or ""
        return second if second and second != shown else ""

    def money(self, value: Decimal | str | None, currency: str) -> str:
        """A price in its own currency, formatted for the viewer: US$6.80 / ¥48.50.

        Never rounded: a unit price of 0.0125 shows all its digits (at least the currency's
        usual two).
        """
        if value is None:
            return ""
        amount = Decimal(str(value)).normalize()
        return str(
            format_currency(amount, currency, locale=self._babel, decimal_quantization=False)
        )

    def quantity(self, value: Decimal | str | int | None) -> str:
        if value is None:
            return ""
        return format_decimal(Decimal(str(value)).normalize(), locale=self._babel)

    def number(self, value: int | Decimal | None) -> str:
        return "" if value is None else format_decimal(value, locale=self._babel)

    def unit(self, code: str, quantity: Decimal | str | int | None = None) -> str:
        """A unit as traders write it: "kg", "carton" ("cartons" for several) / "千克", "箱"."""
        if self.zh:
            return reference.label(reference.UNITS, code, "zh")
        if code in _UNIT_SYMBOLS:
            return code
        label = reference.label(reference.UNITS, code, "en")
        if quantity is None or Decimal(str(quantity)) == 1:
            return label
        word, _, rest = label.partition(" ")
        plural = f"{word}es" if word.endswith(("x", "s", "ch", "sh")) else f"{word}s"
        return f"{plural} {rest}".strip()

    def amount(self, value: Decimal | str | None, unit: str) -> str:
        """A quantity with its unit: "1,000 kg", "200 cartons" / "1,000 千克"."""
        if value is None:
            return ""
        return f"{self.quantity(value)} {self.unit(unit, value)}"

    def initials(self, name: str) -> str:
        """Two letters for a company without a logo: "Fuqing Yuanhong Ocean Foods" → "FY"."""
        words: list[str] = [
            w for w in re.findall(r"[^\W\d_]+", name) if w.lower() not in _NOT_NAMES
        ]
        if not words:
            return (name.strip()[:1] or "?").upper()
        if not words[0].isascii():  # Chinese: the first character says it
            return words[0][:1]
        return "".join(w[0] for w in words[:2]).upper()

    def tone(self, name: str) -> int:
        """One of six colour pairs, the same for a name everywhere (monograms)."""
        return zlib.crc32(name.encode()) % 6

    def category(self, code: str) -> str:
        return reference.label(reference.CATEGORIES, code, self.locale)

    def incoterm(self, code: str) -> str:
        return reference.label(reference.INCOTERMS, code, self.locale)

    def certification(self, code: str) -> str:
        return reference.label(reference.CERTIFICATIONS, code, self.locale)

    def country(self, code: str | None) -> str:
        return str(self._babel.territories.get(code, code)) if code else ""

    def hs_code(self, digits: str) -> str:
        return reference.format_hs_code(digits) if digits.isdigit() else digits

    def day(self, value: date | None) -> str:
        return "" if value is None else format_date(value, format="medium", locale=self._babel)

    def expired(self, value: date | None, today: date) -> bool:
        return value is not None and value < today

    # Vocabularies for form controls, labelled in the viewer's language.
    def categories(self) -> list[tuple[str, str]]:
        return [(t.code, self.category(t.code)) for t in reference.CATEGORIES]

    def units(self) -> list[tuple[str, str]]:
        return [(t.code, self.unit(t.code)) for t in reference.UNITS]

    def incoterms(self) -> list[tuple[str, str]]:
        return [(t.code, self.incoterm(t.code)) for t in reference.INCOTERMS]

    def product_certifications(self) -> list[tuple[str, str]]:
        return [(t.code, self.certification(t.code)) for t in reference.CERTIFICATIONS]

    def booth_schemes(self) -> list[tuple[str, str]]:
        return [(code, self.certification(code)) for code in CERTIFICATION_SCHEMES]

    def currencies(self, selected: str | None = None) -> list[str]:
        others = sorted(reference.currencies() - set(COMMON_CURRENCIES))
        listed = [*COMMON_CURRENCIES, *others]
        if selected and selected not in listed:
            listed.insert(0, selected)
        return listed

    def countries(self) -> list[tuple[str, str]]:
        return country_names(self.locale)

    def markets(self, selected: Iterable[str]) -> list[str]:
        return [*COMMON_MARKETS, *(c for c in selected if c not in COMMON_MARKETS)]


@dataclass
class View:
    """One exhibition page being built: who looks, in which language, with which session."""

    ctx: PageContext
    session: AsyncSession
    organization: Organization | None
    x: Formats

    @property
    def viewer(self) -> Principal | None:
        return self.ctx.principal

    @property
    def organization_kind(self) -> str | None:
        return self.organization.kind if self.organization is not None else None

    @property
    def request(self) -> Request:
        return self.ctx.request

    def today(self) -> date:
        """The viewer's calendar day (certificates expire by day, in the viewer's zone)."""
        return datetime.now(self.ctx.zone).date()

    def _(self, message: str, **variables: Any) -> str:
        return self.ctx.gettext(message, **variables)

    def render(self, template: str, status_code: int = 200, **variables: Any) -> HTMLResponse:
        return self.ctx.render(
            template,
            status_code=status_code,
            x=self.x,
            organization_kind=self.organization_kind,
            today=self.today(),
            **variables,
        )

    def redirect(self, url: str) -> RedirectResponse:
        response = RedirectResponse(url, status_code=303)
        self.ctx.apply_cookies(response)
        return response

    def login(self) -> RedirectResponse:
        return login_redirect(self.request)

    async def recover(self) -> None:
        """After a service refused a change: undo whatever it flushed, keep the page usable.

        A rollback expires every loaded row, the viewer's included, and an async session
        cannot reload them implicitly while the page renders: reload them explicitly.
        """
        await self.session.rollback()
        viewer = self.viewer
        if viewer is not None:
            await self.session.refresh(viewer.user)
            if viewer.membership is not None:
                await self.session.refresh(viewer.membership)
        if self.organization is not None:
            await self.session.refresh(self.organization)

    def error_text(self, exc: AppError) -> str:
        return self.ctx.gettext(exc.message)


async def _view(request: Request, session: SessionDep) -> View:
    ctx = await page_context(request, session)
    organization = None
    if ctx.principal is not None and ctx.principal.organization_id is not None:
        organization = await organizations.get_profile(session, ctx.principal.organization_id)
    return View(ctx=ctx, session=session, organization=organization, x=Formats(ctx.locale))


ViewDep = Annotated[View, Depends(_view)]


# --- query strings ---------------------------------------------------------------------------


def query_int(value: str | None) -> int | None:
    """A positive database id from a query string, or None (ignored) when it is not one."""
    if value is None or not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def id_or_404(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        raise NotFound()
    return value


def url_with(path: str, params: Mapping[str, Any], **changes: Any) -> str:
    """``path`` with ``params`` and ``changes`` (None drops a key) as its query string."""
    merged: dict[str, Any] = {**params, **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list | tuple):
            pairs += [(key, str(v)) for v in value]
        else:
            pairs.append((key, str(value)))
    return f"{path}?{urlencode(pairs)}" if pairs else path


# --- multipart forms (file uploads with their CSRF token) ---------------------------------

MULTIPART_SLACK = 64 * 1024  # the envelope around the file: boundaries, the other fields


class UploadTooLarge(AppError):
    status_code = 413
    code = "file_too_large"
    message = N_("The file is too large. Make it smaller and upload it again.")


@dataclass
class UploadForm:
    """A multipart form's text fields and its file (empty bytes when none was chosen)."""

    fields: FormData
    file: bytes
    file_name: str


async def _capped(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise UploadTooLarge()  # stop reading: an oversized body is never buffered whole
        yield chunk


async def parse_upload_form(request: Request, *, limit: int, file_field: str) -> UploadForm:
    """Read a multipart form with at most one file of ``limit`` bytes (413 beyond it).

    A declared Content-Length over the cap is refused before reading a byte; otherwise the
    body is counted as it streams in. Text fields are capped like any form's.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + MULTIPART_SLACK:
        raise UploadTooLarge()
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "multipart/form-data":
        raise InvalidInput(N_("Send this form from the page, with its file field."),
                           code="invalid_multipart")
    parser = MultiPartParser(
        request.headers,
        _capped(request, limit + MULTIPART_SLACK),
        max_files=1,
        max_fields=200,
        max_part_size=64 * 1024,
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise InvalidInput(N_("Send this form from the page, with its file field."),
                           code="invalid_multipart") from exc
    data = b""
    name = ""
    try:
        upload = form.get(file_field)
        if isinstance(upload, UploadFile):
            name = upload.filename or ""
            data = await upload.read(limit + 1)
    finally:
        await form.close()
    if len(data) > limit:
        raise UploadTooLarge()
    return UploadForm(fields=form, file=data, file_name=name)


def form_text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def form_list(form: FormData, name: str) -> list[str]:
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def is_page_error(exc: AppError) -> bool:
    """Errors a form shows next to its fields (bad input, a state conflict, a big file).

    Not found and forbidden are not the form's business: they become the error page.
    """
    return exc.status_code in (409, 413, 422)


def field_of(exc: AppError) -> str | None:
    """The body field a service's refusal is about (its details' first ``loc``), if any."""
    details = exc.details if isinstance(exc.details, list) else []
    for item in details:
        if isinstance(item, dict) and item.get("loc"):
            loc = [str(p) for p in item["loc"] if p != "body"]
            if loc:
                return loc[0]
    return None
