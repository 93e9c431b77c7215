"""Files in the negotiation room, in two real Chromium contexts: the buyer sends a photo and a
spec sheet, the Chinese-UI supplier sees both appear without a reload, opens the photo and
downloads the PDF; a fake PDF is refused with a reason in the supplier's language."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, FilePayload, expect

from tests.e2e import test_negotiation_room as room_test
from tests.e2e.helpers import api_post
from tests.e2e.test_negotiation_room import buyer_and_chinese_supplier, live, sign_in
from tests.factories import PASSWORD, image_bytes
from tests.negotiations.files import FAKE_PDF, make_pdf

pytestmark = pytest.mark.browser
# The same two people's browser contexts as the negotiation test (a fixture).
contexts = room_test.contexts


def test_files_reach_the_other_side_live_and_open(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str
) -> None:
    buyer_email, supplier_email, product_id = buyer_and_chinese_supplier(server_url)
    token = api_post(server_url, "/auth/login",
                     {"email": buyer_email, "password": PASSWORD})["access_token"]
    negotiation = api_post(server_url, "/negotiations", {
        "subject_type": "product", "subject_id": product_id, "message": "Spec sheet attached.",
    }, token)
    room = f"/negotiations/{negotiation['id']}"
    buyer_context, supplier_context = contexts
    ana = sign_in(buyer_context, buyer_email, room)
    lin = sign_in(supplier_context, supplier_email, room)
    live(ana)
    live(lin)

    ana.get_by_label("Attach files").set_input_files([
        FilePayload(name="packing.jpg", mimeType="image/jpeg",
                    buffer=image_bytes("JPEG", (800, 600))),
        FilePayload(name="spec sheet.pdf", mimeType="application/pdf", buffer=make_pdf()),
    ])
    ana.get_by_role("button", name="Send files", exact=True).click()
    expect(ana.locator("#deal-messages .deal-file")).to_contain_text("spec sheet.pdf")
    expect(ana.get_by_label("Attach files")).to_have_value("")

    # The supplier sees both without a reload: the thumbnail loads, the chip says the size.
    thumbnail = lin.locator("#deal-messages .deal-file-image img")
    expect(thumbnail).to_have_attribute("alt", "packing.webp")
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") == 400
    chip = lin.locator("#deal-messages .deal-file")
    expect(chip).to_contain_text("spec sheet.pdf")
    with lin.expect_download() as download:
        chip.click()
    assert download.value.suggested_filename == "spec sheet.pdf"
    with lin.expect_popup() as opened:
        lin.locator("#deal-messages .deal-file-image").click()
    expect(opened.value.locator("img")).to_be_visible()

    # A fake PDF is refused, in Chinese, and nothing appears on either side.
    lin.get_by_label("添加附件").set_input_files(
        FilePayload(name="报价.pdf", mimeType="application/pdf", buffer=FAKE_PDF))
    lin.get_by_role("button", name="发送文件", exact=True).click()
    expect(lin.locator("#e-file")).to_contain_text("不接受此类文件")
    expect(lin.locator("#f-file")).to_have_attribute("aria-invalid", "true")
    expect(ana.locator("#deal-messages .deal-files")).to_have_count(1)
