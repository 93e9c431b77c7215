"""The proforma invoice as a PDF: the same content as the page, in the viewer's language.

Written with fpdf2 (pure Python). The document is laid out from plain values gathered in the
request (``gather``), then drawn in a worker thread (``render``): drawing and font
subsetting take a few hundred milliseconds of CPU that should not hold the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import anyio
from fastapi.responses import Response
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.models import Organization
from app.orders import service as orders
from app.orders.schemas import OrderRead
from app.organizations import service as organizations
from app.web.bank_details_pages import warning_texts
from app.web.exhibition_view import Formats
from app.web.i18n import format_time, gettext_for
from app.web.pdf_fonts import PdfFont, pdf_font

FONT = "body"
INK = (23, 32, 43)
MUTED = (83, 96, 113)
RULE = (213, 219, 227)
HEAD_FILL = (231, 240, 250)
WARN_FILL = (255, 244, 219)
WARN_INK = (107, 69, 0)


@dataclass(frozen=True)
class Party:
    name: str
    lines: tuple[str, ...]  # address, country, email, phone: what there is


@dataclass(frozen=True)
class Proforma:
    order: OrderRead
    seller: Party
    buyer: Party
    locale: str
    zone: ZoneInfo


def _party(organization: Organization, x: Formats) -> Party:
    lines = (organization.address, x.country(organization.country),
             organization.contact_email, organization.phone)
    return Party(name=organization.name, lines=tuple(line for line in lines if line))


async def gather(
    session: AsyncSession, viewer: Principal, order_id: int, *, locale: str, zone: ZoneInfo
) -> Proforma:
    """The order as its viewer may see it (404 ``order_not_found`` for a third party)."""
    order = await orders.read(session, viewer, await orders.visible(session, viewer, order_id))
    x = Formats(locale)
    seller = await organizations.get_profile(session, order.supplier_id)
    buyer = await organizations.get_profile(session, order.buyer_id)
    return Proforma(order=order, seller=_party(seller, x), buyer=_party(buyer, x),
                    locale=locale, zone=zone)


def pdf_response(content: bytes, order_id: int) -> Response:
    # Bank details: never kept by a shared cache; "inline" opens it in the browser's viewer.
    return Response(content, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="proforma-PI-{order_id}.pdf"',
        "Cache-Control": "private, no-store",
    })


# Drawing is CPU-bound (about a second with a CJK font, mostly fontTools subsetting it): at
# most this many at once per process, so a burst of downloads cannot take every core.
MAX_CONCURRENT_RENDERS = 2
_limiter: anyio.CapacityLimiter | None = None


async def render_async(proforma: Proforma, configured_font: Path | None) -> bytes:
    global _limiter  # noqa: PLW0603 - one per process, made inside the event loop
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(MAX_CONCURRENT_RENDERS)
    return await anyio.to_thread.run_sync(render, proforma, configured_font, limiter=_limiter)


def render(proforma: Proforma, configured_font: Path | None) -> bytes:
    font = pdf_font(configured_font)
    # Chinese labels need Chinese glyphs: without them, English labels and a note.
    locale = proforma.locale if font.cjk else "en"
    return _Writer(proforma, font, locale).write()


class _Writer:
    def __init__(self, proforma: Proforma, font: PdfFont, locale: str) -> None:
        self.p = proforma
        self.order = proforma.order
        self.font = font
        self.locale = locale
        self._ = gettext_for(locale)
        self.x = Formats(locale)
        self.lost_text = False
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_margins(15, 15, 15)
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.set_title(self.text(self._("Proforma invoice") + f" PI-{self.order.id}"))
        pdf.set_creator("TradeHall")
        if font.path is not None:
            pdf.add_font(FONT, fname=str(font.path))
            self.family = FONT
        else:
            self.family = "helvetica"
        pdf.add_page()
        self.pdf = pdf

    def text(self, value: str) -> str:
        cleaned = self.font.clean(value)
        if cleaned != value:
            self.lost_text = True
        return cleaned

    def day(self, moment: datetime) -> str:
        return format_time(moment, self.p.zone, self.locale, "date")

    def style(self, size: float, color: tuple[int, int, int] = INK) -> None:
        self.pdf.set_font(self.family, size=size)
        self.pdf.set_text_color(*color)

    def line(self, value: str, size: float = 10, color: tuple[int, int, int] = INK,
             height: float = 5.5) -> None:
        self.style(size, color)
        self.pdf.multi_cell(0, height, self.text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, value: str) -> None:
        self.pdf.ln(4)
        self.line(value, size=12.5, height=7)
        self.pdf.set_draw_color(*RULE)
        y = self.pdf.get_y()
        self.pdf.line(self.pdf.l_margin, y, self.pdf.w - self.pdf.r_margin, y)
        self.pdf.ln(2)

    def write(self) -> bytes:
        _ = self._
        order = self.order
        self.line(_("Proforma invoice"), size=20, height=10)
        self.line(f"{_('No. PI-%(id)s', id=order.id)} · {self.day(order.created_at)}",
                  color=MUTED)
        self.parties()
        self.heading(_("Goods and totals"))
        self.goods()
        self.heading(_("Terms"))
        self.terms()
        self.heading(_("Seller's bank details"))
        self.bank_details()
        self.pdf.ln(4)
        self.line(_("This proforma invoice restates the accepted offer #%(id)s. Check the "
                    "seller's bank details with them by phone before paying.",
                    id=order.offer_id), size=8.5, color=MUTED, height=4.5)
        if self.locale != self.p.locale or self.lost_text:
            self.line(_("No font with Chinese characters is installed on the server, so this "
                        "PDF is in English and Chinese text shows as \"?\". The proforma page "
                        "shows everything."), size=8.5, color=WARN_INK, height=4.5)
        return bytes(self.pdf.output())

    def parties(self) -> None:
        _ = self._
        self.pdf.ln(4)
        self.style(10)
        with self.pdf.table(
            borders_layout="NONE", col_widths=(1, 1), text_align="LEFT", line_height=5.5,
            headings_style=FontFace(color=MUTED), padding=(1, 4, 1, 0), v_align="TOP",
        ) as table:
            heads = table.row()
            heads.cell(self.text(_("Seller")))
            heads.cell(self.text(_("Buyer")))
            row = table.row()
            for party in (self.p.seller, self.p.buyer):
                row.cell(self.text("\n".join((party.name, *party.lines))))

    def goods(self) -> None:
        _, x, order = self._, self.x, self.order
        self.style(9)
        with self.pdf.table(
            col_widths=(6, 64, 30, 40, 40), line_height=5.5,
            text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
            headings_style=FontFace(fill_color=HEAD_FILL), padding=1.2,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            head = table.row()
            for label in ("#", _("Goods"), _("Quantity"), _("Unit price"), _("Line total")):
                head.cell(self.text(label))
            for number, item in enumerate(order.lines, start=1):
                row = table.row()
                row.cell(str(number))
                row.cell(self.text(item.description))
                row.cell(self.text(x.amount(item.quantity, item.unit)))
                row.cell(self.text(f"{x.money(item.unit_price, order.currency)} / "
                                   f"{x.unit(item.unit)}"))
                row.cell(self.text(x.money(item.line_total, order.currency)))
            total = table.row()
            total.cell(self.text(_("Total")), colspan=4, align="RIGHT")
            total.cell(self.text(x.money(order.total, order.currency)))

    def facts(self, pairs: list[tuple[str, str]]) -> None:
        self.style(10)
        with self.pdf.table(
            borders_layout="NONE", col_widths=(1, 2.6), text_align="LEFT", line_height=5.5,
            first_row_as_headings=False, padding=(0.8, 2, 0.8, 0),
        ) as table:
            for label, value in pairs:
                row = table.row()
                row.cell(self.text(label), style=FontFace(color=MUTED))
                row.cell(self.text(value))

    def terms(self) -> None:
        _, x, order = self._, self.x, self.order
        pairs = [
            (_("Incoterm"), f"{order.incoterm} {order.named_place} "
                            f"({x.incoterm(order.incoterm)})"),
            (_("Shipment date"), x.day(order.shipment_date) if order.shipment_date else "—"),
            (_("Deposit"), f"{x.quantity(order.deposit_percent)}%"),
            (_("Balance terms"), order.balance_terms or "—"),
        ]
        for m in order.milestones:
            value = x.money(m.amount, m.currency)
            if m.recorded_at and m.paid_on:
                value += " · " + _("paid on %(day)s, ref. %(ref)s", day=x.day(m.paid_on),
                                   ref=m.reference)
            pairs.append((_("Deposit due") if m.kind == "deposit" else _("Balance due"), value))
        if order.notes:
            pairs.append((_("Notes"), order.notes))
        self.facts(pairs)

    def bank_details(self) -> None:
        _, order = self._, self.order
        for warning in warning_texts(order.bank_details_warning, _, self.day):
            self.style(10, WARN_INK)
            self.pdf.set_fill_color(*WARN_FILL)
            self.pdf.multi_cell(0, 5.5, self.text(f"{_('Check before paying:')} {warning}"),
                                fill=True, padding=2, align="L", new_x=XPos.LMARGIN,
                                new_y=YPos.NEXT)
            self.pdf.set_fill_color(255, 255, 255)
            self.pdf.ln(2)
        details = order.bank_details
        if details is None:
            self.line(_("The supplier has not given bank details on TradeHall. Ask the "
                        "supplier for them, and confirm them by phone with a known contact "
                        "before paying."))
            return
        pairs = [(_("Beneficiary"), details.beneficiary_name), (_("Bank"), details.bank_name)]
        if details.bank_address:
            pairs.append((_("Bank address"), details.bank_address))
        pairs.append((_("IBAN") if details.is_iban else _("Account number"),
                      details.account_number_display))
        pairs.append((_("SWIFT/BIC"), details.swift_bic))
        if details.currency:
            pairs.append((_("Account currency"), details.currency))
        self.facts(pairs)
