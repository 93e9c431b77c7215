"""Files in negotiation messages: who may send and read them, and what is refused."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.kit.uploads import clean_file_name
from app.models import Attachment, AuditEntry, Message, TopicEvent
from app.negotiations import attachments
from tests.factories import (
    Account,
    Deal,
    count_rows,
    create_negotiation,
    create_product,
    image_bytes,
    register,
)
from tests.negotiations.files import (
    FAKE_EXE,
    FAKE_HTML,
    FAKE_PDF,
    PDF_WITH_DOCUMENT_SCRIPT,
    PDF_WITH_LAUNCH_ACTION,
    PDF_WITH_OPEN_ACTION_SCRIPT,
    encrypted_pdf,
    make_pdf,
)

FileSpec = tuple[str, bytes, str]


async def send(
    client: httpx.AsyncClient, deal: Deal, account: Account | None, *files: FileSpec,
    negotiation_id: int | None = None, **fields: str,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/negotiations/{negotiation_id or deal.negotiation_id}/attachments",
        files=[("file", spec) for spec in files],
        data=fields,
        headers=account.headers if account else {},
    )


def refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The error of a refused request, checked for its status and code."""
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    return error


def stored_files(app: FastAPI) -> list[Path]:
    root = app.state.settings.effective_upload_dir / attachments.STORAGE_PREFIX
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def nothing_stored(app: FastAPI, deal: Deal) -> None:
    assert await count_rows(app, Attachment) == 0
    # Only the message that opened the negotiation.
    assert await count_rows(app, Message, Message.negotiation_id == deal.negotiation_id) == 1
    assert stored_files(app) == []


async def test_a_photo_reaches_the_other_side_who_can_open_it(
    client: httpx.AsyncClient, app: FastAPI, db: AsyncSession
) -> None:
    deal = await create_negotiation(client)
    photo = image_bytes("JPEG", (640, 480))
    sent = await send(client, deal, deal.supplier, ("packing line.jpg", photo, "image/jpeg"),
                      body="Our packing line")
    assert sent.status_code == 201, sent.text
    message = sent.json()
    assert message["kind"] == "text"
    assert message["body"] == "Our packing line"
    [item] = message["attachments"]
    # Re-encoded like the catalog's images: the name says what the file now is.
    assert item["kind"] == "image"
    assert item["name"] == "packing line.webp"
    assert item["content_type"] == "image/webp"
    assert (item["width"], item["height"]) == (640, 480)

    listed = await client.get(f"/api/v1/negotiations/{deal.negotiation_id}/messages",
                              headers=deal.buyer.headers)
    assert listed.json()["items"][-1]["attachments"] == [item]

    got = await client.get(item["url"], headers=deal.buyer.headers)
    assert got.status_code == 200
    assert got.headers["content-type"] == "image/webp"
    assert got.headers["content-disposition"].startswith("inline;")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["cache-control"].startswith("private")
    assert hashlib.sha256(got.content).hexdigest() == item["sha256"]
    assert len(got.content) == item["size_bytes"]
    thumb = await client.get(item["thumbnail_url"], headers=deal.buyer.headers)
    assert thumb.status_code == 200
    assert thumb.headers["content-type"] == "image/webp"

    # A browser revalidates: an unchanged file costs a 304, still only for members.
    again = await client.get(item["url"], headers={**deal.buyer.headers,
                                                   "If-None-Match": got.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""

    # A durable event on the negotiation's topic (what a reconnecting client replays)...
    [event] = (await db.scalars(select(TopicEvent).where(
        TopicEvent.topic == f"negotiation:{deal.negotiation_id}",
        TopicEvent.event == "message.created",
        TopicEvent.sender_user_id == deal.supplier.user_id,
    ))).all()
    assert event.payload["message"]["attachments"] == [item]
    # ...and the buyer's members are told.
    notes = (await db.scalars(select(TopicEvent).where(
        TopicEvent.topic == f"user:{deal.buyer.user_id}"))).all()
    assert [n.payload["seq"] for n in notes] == [message["seq"]]
    audit = await db.scalar(select(AuditEntry).where(AuditEntry.action == "message.posted"))
    assert audit is not None
    assert audit.details["attachments"][0]["sha256"] == item["sha256"]


async def test_a_pdf_is_accepted_and_served_as_a_download_as_it_was_sent(
    client: httpx.AsyncClient,
) -> None:
    deal = await create_negotiation(client)
    pdf = make_pdf()
    sent = await send(client, deal, deal.buyer, ("Spec sheet.PDF", pdf, "application/pdf"))
    assert sent.status_code == 201, sent.text
    assert sent.json()["body"] == ""
    [item] = sent.json()["attachments"]
    assert item["kind"] == "pdf"
    assert item["name"] == "Spec sheet.pdf"
    assert item["thumbnail_url"] is None
    assert item["sha256"] == hashlib.sha256(pdf).hexdigest()

    got = await client.get(item["url"], headers=deal.supplier.headers)
    assert got.status_code == 200
    assert got.content == pdf
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == (
        "attachment; filename=\"Spec sheet.pdf\"; filename*=UTF-8''Spec%20sheet.pdf")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "private" in got.headers["cache-control"]
    thumb = await client.get(f"{item['url']}/thumbnail", headers=deal.supplier.headers)
    assert thumb.status_code == 404


async def test_a_message_carries_up_to_five_files_in_order(client: httpx.AsyncClient) -> None:
    deal = await create_negotiation(client)
    files = [(f"photo {i}.png", image_bytes(size=(10 + i, 10)), "image/png") for i in range(4)]
    sent = await send(client, deal, deal.buyer, *files, ("terms.pdf", make_pdf(), "text/plain"))
    assert sent.status_code == 201, sent.text
    names = [a["name"] for a in sent.json()["attachments"]]
    assert names == ["photo 0.webp", "photo 1.webp", "photo 2.webp", "photo 3.webp",
                     "terms.pdf"]

    too_many = await send(client, deal, deal.buyer, *files, *files[:2])
    refused(too_many, 422, "too_many_attachments")


@pytest.mark.parametrize("pdf", [
    PDF_WITH_OPEN_ACTION_SCRIPT, PDF_WITH_DOCUMENT_SCRIPT, PDF_WITH_LAUNCH_ACTION,
], ids=["open-action-script", "document-script", "launch-action"])
async def test_a_pdf_with_scripts_or_launch_actions_is_refused(
    client: httpx.AsyncClient, app: FastAPI, pdf: bytes
) -> None:
    deal = await create_negotiation(client)
    sent = await send(client, deal, deal.buyer, ("quote.pdf", pdf, "application/pdf"))
    error = refused(sent, 422, "pdf_active_content")
    assert "JavaScript" in error["message"]
    assert "malware" in error["message"]
    await nothing_stored(app, deal)


async def test_an_encrypted_pdf_is_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    deal = await create_negotiation(client)
    sent = await send(client, deal, deal.buyer, ("locked.pdf", encrypted_pdf(),
                                                 "application/pdf"))
    refused(sent, 422, "pdf_encrypted")
    await nothing_stored(app, deal)


@pytest.mark.parametrize(("name", "data", "content_type"), [
    ("holiday.jpg", FAKE_EXE, "image/jpeg"),
    ("photo.png", FAKE_HTML, "image/png"),
    ("spec.pdf", FAKE_PDF, "application/pdf"),
    ("spec.pdf", make_pdf()[:-200], "application/pdf"),
    ("spec.pdf", b"%PDF-1.7\n" + b"\x00" * 4096 + b"\n%%EOF\n", "application/pdf"),
    ("photo.png", image_bytes()[:40], "image/png"),
], ids=["renamed-exe", "html-as-image", "fake-pdf", "truncated-pdf", "empty-pdf",
        "truncated-png"])
async def test_files_that_are_not_what_they_claim_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, app: FastAPI, name: str, data: bytes, content_type: str
) -> None:
    deal = await create_negotiation(client)
    good = ("fine.png", image_bytes(), "image/png")
    # With a good file before it: nothing of the message is kept, the good file neither.
    sent = await send(client, deal, deal.buyer, good, (name, data, content_type), body="hi")
    error = refused(sent, 422, "unsupported_attachment")
    assert error["details"]["file"] == 1
    await nothing_stored(app, deal)


async def test_a_file_over_10_mb_gets_413_and_nothing_is_stored(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    deal = await create_negotiation(client)
    big = b"%PDF-1.7\n" + b"0" * attachments.MAX_ATTACHMENT_BYTES
    sent = await send(client, deal, deal.buyer, ("big.pdf", big, "application/pdf"))
    refused(sent, 413, "file_too_large")
    await nothing_stored(app, deal)


async def test_no_file_an_empty_file_or_a_json_body_are_refused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    deal = await create_negotiation(client)
    url = f"/api/v1/negotiations/{deal.negotiation_id}/attachments"
    no_file = await client.post(url, data={"body": "hi"}, files={"other": ("x", b"x")},
                                headers=deal.buyer.headers)
    refused(no_file, 422, "file_required")
    empty = await send(client, deal, deal.buyer, ("a.pdf", b"", "application/pdf"))
    refused(empty, 422, "file_required")
    as_json = await client.post(url, json={"body": "hi"}, headers=deal.buyer.headers)
    refused(as_json, 415, "unsupported_media_type")
    long_body = await send(client, deal, deal.buyer, ("a.png", image_bytes(), "image/png"),
                           body="x" * 4001)
    refused(long_body, 422, "validation_error")
    await nothing_stored(app, deal)


async def test_a_third_organization_gets_404_when_sending_or_downloading(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    deal = await create_negotiation(client)
    sent = await send(client, deal, deal.buyer, ("a.png", image_bytes(), "image/png"))
    item = sent.json()["attachments"][0]
    for kind in ("buyer", "supplier"):
        outsider = await register(client, kind=kind)
        attempt = await send(client, deal, outsider, ("b.png", image_bytes(), "image/png"))
        refused(attempt, 404, "negotiation_not_found")
        for url in (item["url"], item["thumbnail_url"]):
            got = await client.get(url, headers=outsider.headers)
            refused(got, 404, "negotiation_not_found")
    assert await count_rows(app, Attachment) == 1
    assert len(stored_files(app)) == 2  # the one image and its thumbnail


async def test_anonymous_callers_get_401(client: httpx.AsyncClient) -> None:
    deal = await create_negotiation(client)
    sent = await send(client, deal, deal.buyer, ("a.png", image_bytes(), "image/png"))
    item = sent.json()["attachments"][0]
    anonymous = await send(client, deal, None, ("b.png", image_bytes(), "image/png"))
    assert anonymous.status_code == 401
    assert (await client.get(item["url"])).status_code == 401


async def test_an_attachment_is_not_served_through_another_negotiations_url(
    client: httpx.AsyncClient,
) -> None:
    # The same two organizations in two negotiations: membership alone must not be enough.
    deal_a = await create_negotiation(client)
    other_product = await create_product(client, deal_a.supplier, name="Dried squid")
    opened = await client.post(
        "/api/v1/negotiations",
        json={"subject_type": "product", "subject_id": other_product["id"], "message": "Hi"},
        headers=deal_a.buyer.headers,
    )
    negotiation_b = opened.json()["id"]
    sent = await send(client, deal_a, deal_a.buyer, ("a.pdf", make_pdf(), "application/pdf"))
    attachment_id = sent.json()["attachments"][0]["id"]
    got = await client.get(
        f"/api/v1/negotiations/{negotiation_b}/attachments/{attachment_id}",
        headers=deal_a.buyer.headers,
    )
    refused(got, 404, "attachment_not_found")


async def test_a_retry_with_the_same_client_msg_id_stores_the_files_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    deal = await create_negotiation(client)
    spec = ("a.png", image_bytes(), "image/png")
    first = await send(client, deal, deal.buyer, spec, client_msg_id="upload-1")
    retry = await send(client, deal, deal.buyer, spec, client_msg_id="upload-1")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert await count_rows(app, Attachment) == 1
    assert len(stored_files(app)) == 2


async def test_uploads_per_user_are_limited(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attachments, "UPLOADS_PER_HOUR", 2)
    deal = await create_negotiation(client)
    spec = ("a.png", image_bytes(), "image/png")
    assert (await send(client, deal, deal.buyer, spec, spec)).status_code == 201
    limited = await send(client, deal, deal.buyer, spec)
    refused(limited, 429, "too_many_uploads")
    assert int(limited.headers["retry-after"]) > 0
    # The other side is not held back by the buyer's uploads.
    assert (await send(client, deal, deal.supplier, spec)).status_code == 201


@pytest.mark.parametrize(("raw", "extension", "expected"), [
    ("photo.JPG", "webp", "photo.webp"),
    ("C:\\Users\\li\\Desktop\\报价单 v2.pdf", "pdf", "报价单 v2.pdf"),
    ("../../etc/passwd", "pdf", "passwd.pdf"),
    # A right-to-left override would show "invoice\u202efdp.exe" as "invoiceexe.pdf".
    ("invoice\u202efdp.exe", "pdf", "invoicefdp.pdf"),
    ('a<b>:"c"|?*.png', "webp", "a_b___c____.webp"),
    ("...", "pdf", "document.pdf"),
    ("CON.pdf", "pdf", "_CON.pdf"),
    ("x" * 300 + ".pdf", "pdf", "x" * 116 + ".pdf"),
])
def test_file_names_are_cleaned_and_end_in_the_real_type(
    raw: str, extension: str, expected: str
) -> None:
    assert clean_file_name(raw, extension, default="document") == expected


async def test_messages_without_files_have_an_empty_list(client: httpx.AsyncClient) -> None:
    deal = await create_negotiation(client)
    listed = await client.get(f"/api/v1/negotiations/{deal.negotiation_id}/messages",
                              headers=deal.supplier.headers)
    assert [m["attachments"] for m in listed.json()["items"]] == [[]]
