"""Files in the negotiation room: shown to both sides, sent by the plain form (no script),
and refusals explained in the viewer's language."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.models import Attachment
from tests.factories import Account, Deal, count_rows, create_negotiation, image_bytes
from tests.negotiations.files import FAKE_EXE, PDF_WITH_OPEN_ACTION_SCRIPT, make_pdf
from tests.web.helpers import (
    HTML_HEADERS,
    csrf_from,
    get_page,
    new_browser,
    sign_in_via_form,
    text_of,
)


@pytest.fixture
async def deal(client: httpx.AsyncClient) -> Deal:
    return await create_negotiation(client)


@pytest.fixture
async def supplier_browser(app: FastAPI, deal: Deal) -> AsyncIterator[httpx.AsyncClient]:
    async with new_browser(app) as browser:
        signed_in = await sign_in_via_form(browser, deal.supplier.email)
        assert signed_in.status_code == 303, signed_in.text
        yield browser


async def send_via_api(client: httpx.AsyncClient, deal: Deal, account: Account,
                       *files: tuple[str, bytes, str]) -> None:
    response = await client.post(
        f"/api/v1/negotiations/{deal.negotiation_id}/attachments",
        files=[("file", f) for f in files], headers=account.headers,
    )
    assert response.status_code == 201, response.text


async def post_files(
    browser: httpx.AsyncClient, deal: Deal, files: list[tuple[str, bytes, str]],
    token: str | None = None,
) -> httpx.Response:
    if token is None:
        token = csrf_from((await get_page(browser, f"/negotiations/{deal.negotiation_id}")).text)
    return await browser.post(
        f"/negotiations/{deal.negotiation_id}/attachments",
        data={"csrf_token": token}, files=[("file", f) for f in files], headers=HTML_HEADERS,
    )


async def test_the_room_shows_a_photo_thumbnail_and_a_pdf_chip(
    client: httpx.AsyncClient, deal: Deal, supplier_browser: httpx.AsyncClient
) -> None:
    await send_via_api(client, deal, deal.buyer,
                       ("cartons.png", image_bytes(size=(800, 400)), "image/png"),
                       ("Price list 2031.pdf", make_pdf(), "application/pdf"))
    page = await get_page(supplier_browser, f"/negotiations/{deal.negotiation_id}")
    assert page.status_code == 200
    html = page.text
    base = f"/api/v1/negotiations/{deal.negotiation_id}/attachments/"
    # The thumbnail's box is reserved (400 px wide at most) and opens the picture.
    assert 'alt="cartons.webp" width="400" height="200"' in html
    opens = rf'href="{base}\d+" target="_blank" rel="noopener">'
    assert re.search(rf'{opens}<img src="{base}\d+/thumbnail"', html)
    assert 'download="Price list 2031.pdf"' in html
    assert "Price list 2031.pdf" in text_of(html)
    # The control to send files, labelled, taking what the server accepts.
    assert '<label for="f-file">Attach files</label>' in html
    assert 'accept="application/pdf,.pdf,image/jpeg,image/png,image/webp,image/gif"' in html


async def test_files_sent_without_the_script_appear_for_both_sides(
    client: httpx.AsyncClient, app: FastAPI, deal: Deal, supplier_browser: httpx.AsyncClient
) -> None:
    sent = await post_files(supplier_browser, deal,
                            [("spec.pdf", make_pdf(), "application/pdf")])
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"] == f"/negotiations/{deal.negotiation_id}#compose"
    listed = await client.get(f"/api/v1/negotiations/{deal.negotiation_id}/messages",
                              headers=deal.buyer.headers)
    [item] = listed.json()["items"][-1]["attachments"]
    assert item["name"] == "spec.pdf"
    assert await count_rows(app, Attachment) == 1


async def test_a_refused_file_is_explained_on_the_page_in_the_viewers_language(
    app: FastAPI, deal: Deal, supplier_browser: httpx.AsyncClient
) -> None:
    refused = await post_files(supplier_browser, deal, [("photo.jpg", FAKE_EXE, "image/jpeg")])
    assert refused.status_code == 422
    assert "This file is not one we accept" in text_of(refused.text)
    assert 'aria-invalid="true"' in refused.text

    await get_page(supplier_browser, "/lang/zh")
    scripted = await post_files(supplier_browser, deal,
                                [("quote.pdf", PDF_WITH_OPEN_ACTION_SCRIPT, "application/pdf")])
    assert scripted.status_code == 422
    assert "JavaScript" in text_of(scripted.text)
    assert "恶意" in text_of(scripted.text)  # "malware", in Chinese
    assert await count_rows(app, Attachment) == 0


async def test_sending_with_no_file_chosen_asks_for_one(
    deal: Deal, supplier_browser: httpx.AsyncClient
) -> None:
    # A browser sends an empty part for a file field left empty.
    empty = await post_files(supplier_browser, deal, [("", b"", "application/octet-stream")])
    assert empty.status_code == 422
    assert "Choose a file to send first." in text_of(empty.text)


async def test_the_form_needs_its_csrf_token(
    app: FastAPI, deal: Deal, supplier_browser: httpx.AsyncClient
) -> None:
    forged = await post_files(supplier_browser, deal,
                              [("spec.pdf", make_pdf(), "application/pdf")], token="forged")
    assert forged.status_code == 403
    assert await count_rows(app, Attachment) == 0


async def test_another_organizations_member_gets_404(
    client: httpx.AsyncClient, app: FastAPI, deal: Deal
) -> None:
    other = await create_negotiation(client)  # another buyer, another supplier
    async with new_browser(app) as outsider:
        assert (await sign_in_via_form(outsider, other.buyer.email)).status_code == 303
        token = csrf_from((await get_page(outsider, "/negotiations")).text)
        refused = await post_files(outsider, deal,
                                   [("spec.pdf", make_pdf(), "application/pdf")], token=token)
        assert refused.status_code == 404
    assert await count_rows(app, Attachment) == 0
