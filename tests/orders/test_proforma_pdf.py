"""The proforma invoice as a PDF: only the two organizations get it, and it says what the
page says (parties, lines, totals, terms, the seller's bank details and the warning)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

import httpx
import pytest
from pypdf import PdfReader

from app.web import pdf_fonts
from tests.factories import Account, register
from tests.orders.helpers import (
    account_changed_between_orders,
    place_order,
    supplier_with_order,
)
from tests.web.helpers import new_browser, sign_in_via_form


def _text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    # Lines broken inside a cell come back with newlines: compare with spaces collapsed.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


async def _pdf(client: httpx.AsyncClient, who: Account, order_id: int,
               **params: str) -> httpx.Response:
    return await client.get(f"/api/v1/orders/{order_id}/proforma.pdf", params=params,
                            headers=who.headers)


@pytest.fixture
def cjk_font() -> None:
    """A Chinese font on this machine (CI installs fonts-wqy-microhei), or a skip."""
    if not pdf_fonts.pdf_font(None).cjk:
        message = "no font with Chinese glyphs installed (Debian: fonts-wqy-microhei)"
        if os.environ.get("TRADEHALL_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def no_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A server with no font files at all: only the PDF core fonts."""
    monkeypatch.setattr(pdf_fonts, "FONT_DIRS", ())
    pdf_fonts.pdf_font.cache_clear()
    yield
    pdf_fonts.pdf_font.cache_clear()


async def test_the_pdf_has_the_order_its_totals_and_the_iban(
    client: httpx.AsyncClient,
) -> None:
    buyer = await register(client, kind="buyer", country="ES")
    supplier, order = await supplier_with_order(client, buyer=buyer)
    response = await _pdf(client, buyer, order["id"], lang="en")
    assert "private" in response.headers["cache-control"]
    text = _text(response)
    assert "Proforma invoice" in text
    assert f"No. PI-{order['id']}" in text
    # 20,000 kg × 6.45 + 5,000 kg × 5.90, in dollars with cents.
    assert "$129,000.00" in text
    assert "$29,500.00" in text
    assert "$158,500.00" in text
    assert "FOB Fuzhou" in text
    assert "$47,550.00" in text  # the 30% deposit
    assert "$110,950.00" in text  # the balance
    assert "70% against B/L copy" in text
    assert "DE89 3704 0044 0532 0130 00" in text
    assert "DEUTDEFF" in text
    assert "Fuqing Ocean Foods Co., Ltd." in text
    assert "Check before paying" not in text
    # The supplier gets the same document.
    assert "DE89 3704 0044 0532 0130 00" in _text(await _pdf(client, supplier, order["id"]))


async def test_the_pdf_warns_when_the_account_changed_since_the_previous_order(
    client: httpx.AsyncClient,
) -> None:
    deal = await account_changed_between_orders(client)
    text = _text(await _pdf(client, deal.buyer, deal.second["id"], lang="en"))
    assert "Check before paying" in text
    assert f"changed since your order #{deal.first['id']}" in text
    assert "Confirm them by phone with a known contact before paying." in text
    assert "GB82 WEST 1234 5698 7654 32" in text


async def test_without_bank_details_the_pdf_says_to_ask_the_supplier(
    client: httpx.AsyncClient,
) -> None:
    buyer = await register(client, kind="buyer", country="ES")
    order = await place_order(client, buyer=buyer)
    text = _text(await _pdf(client, buyer, order["id"], lang="en"))
    assert "has not given bank details on TradeHall. Ask the supplier for them" in text
    assert "IBAN" not in text


async def test_a_third_organization_gets_404(client: httpx.AsyncClient) -> None:
    supplier, order = await supplier_with_order(client)
    for outsider in (await register(client, kind="buyer"), await register(client)):
        response = await _pdf(client, outsider, order["id"])
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "order_not_found"
    assert (await client.get(f"/api/v1/orders/{order['id']}/proforma.pdf")).status_code == 401
    response = await _pdf(client, supplier, 2**31 - 1)
    assert response.status_code == 404


async def test_the_page_route_serves_the_signed_in_party_only(
    client: httpx.AsyncClient, app: object
) -> None:
    supplier, order = await supplier_with_order(client)
    path = f"/orders/{order['id']}/proforma.pdf"
    async with new_browser(app) as browser:
        anonymous = await browser.get(path)
        assert anonymous.status_code == 303
        assert anonymous.headers["location"].startswith("/login")
        await sign_in_via_form(browser, supplier.email)
        assert "DE89 3704 0044 0532 0130 00" in _text(await browser.get(path))
    outsider = await register(client, kind="buyer")
    async with new_browser(app) as browser:
        await sign_in_via_form(browser, outsider.email)
        assert (await browser.get(path)).status_code == 404


@pytest.mark.usefixtures("cjk_font")
async def test_a_chinese_reader_gets_it_in_chinese(client: httpx.AsyncClient) -> None:
    buyer = await register(client, kind="buyer", locale="zh")
    _supplier, order = await supplier_with_order(client, buyer=buyer)
    text = _text(await _pdf(client, buyer, order["id"]))  # the buyer's own language
    assert "形式发票" in text
    assert f"编号 PI-{order['id']}" in text
    assert "US$158,500.00" in text
    assert "DE89 3704 0044 0532 0130 00" in text
    assert "No font with Chinese characters" not in text
    assert "Proforma invoice" in _text(await _pdf(client, buyer, order["id"], lang="en"))


@pytest.mark.usefixtures("no_fonts")
async def test_without_any_font_file_it_is_english_and_says_why(
    client: httpx.AsyncClient,
) -> None:
    buyer = await register(client, kind="buyer", locale="zh")
    _supplier, order = await supplier_with_order(client, buyer=buyer)
    text = _text(await _pdf(client, buyer, order["id"]))
    assert "Proforma invoice" in text
    assert "No font with Chinese characters is installed on the server" in text
    assert "$158,500.00" in text
    assert "DE89 3704 0044 0532 0130 00" in text
