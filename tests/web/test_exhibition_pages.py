"""The exhibition floor's pages: who sees them, what they show, and their forms.

Test data is made through the API (tests/factories.py); the pages are driven as a browser
would: signed in through /login, forms posted with the CSRF token read from the page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics import service as analytics
from app.models import Activity, Booth, BoothCertification, Event, Hall, Product
from tests.factories import (
    Account,
    Expo,
    apply_for_booth,
    approved_booth,
    create_product,
    image_bytes,
    open_expo,
    register,
)
from tests.web.helpers import (
    HTML_HEADERS,
    csrf_for,
    csrf_from,
    get_page,
    new_browser,
    post_form,
    sign_in_via_form,
    text_of,
)

Form = dict[str, str | list[str]]

CERTIFICATES = [
    {"scheme": "HACCP", "number": "CQC-HACCP-24-0418", "issuer": "CQC",
     "expires_on": "2031-12-31"},
    {"scheme": "MSC", "number": "MSC-C-56011", "issuer": "Control Union",
     "expires_on": "2031-06-30"},
]


@pytest.fixture
async def browser(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser with its own cookies, for the person signed in to the pages."""
    async with new_browser(app) as second:
        yield second


async def signed_in(browser: httpx.AsyncClient, account: Account) -> httpx.AsyncClient:
    response = await sign_in_via_form(browser, account.email)
    assert response.status_code == 303, response.text
    return browser


async def booth_with_profile(
    client: httpx.AsyncClient, expo: Expo, **profile: Any
) -> tuple[Account, dict[str, Any]]:
    """A supplier with an approved booth, certificates and export markets."""
    supplier, booth = await approved_booth(client, expo)
    response = await client.patch(
        f"/api/v1/booths/{booth['id']}",
        json={"description": "Frozen shrimp from Fuqing.", "description_zh": "福清冷冻虾。",
              "export_markets": ["ES", "US"], "founded_year": 2004, "staff_count": 620,
              "certifications": CERTIFICATES, **profile},
        headers=supplier.headers,
    )
    assert response.status_code == 200, response.text
    return supplier, response.json()


# --- the public floor -----------------------------------------------------------------------


async def test_an_anonymous_visitor_walks_a_published_event(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client, halls=2)
    supplier, booth = await booth_with_profile(client, expo)
    product = await create_product(client, supplier)

    events = await get_page(client, "/events")
    assert events.status_code == 200
    assert expo.event["title"] in text_of(events.text)

    lobby = await get_page(client, f"/events/{expo.event_id}")
    assert lobby.status_code == 200
    text = text_of(lobby.text)
    assert expo.event["title"] in text
    assert booth["supplier_name"] in text
    assert "HACCP" in text
    assert "MSC" in text
    assert "Spain" in text
    assert f'href="/booths/{booth["id"]}"' in lobby.text
    # Times in the visitor's zone (no zone known yet: UTC), with the zone named.
    assert "(UTC)" in text

    booth_page = await get_page(client, f"/booths/{booth['id']}")
    assert booth_page.status_code == 200
    text = text_of(booth_page.text)
    assert "Frozen shrimp from Fuqing." in text
    assert "CQC-HACCP-24-0418" in text
    assert "620" in text
    assert product["name"] in text
    assert f'/products/{product["id"]}?booth={booth["id"]}' in booth_page.text

    product_page = await get_page(client, f"/products/{product['id']}?booth={booth['id']}")
    assert product_page.status_code == 200
    text = text_of(product_page.text)
    for fact in ("Penaeus vannamei", "0306.17", "FOB Fuzhou", "21 days", "31/40 pcs/lb",
                 "Minimum order: 1,000 kg", "200,000 kg", "China, Fujian"):
        assert fact in text, fact
    assert booth["supplier_name"] in text
    assert "Request a quote" not in text

    search = await get_page(client, f"/events/{expo.event_id}/search")
    assert search.status_code == 200
    assert product["name"] in text_of(search.text)


async def test_the_booth_page_shows_chinese_text_to_chinese_readers(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    _supplier, booth = await booth_with_profile(client, expo)
    client.cookies.set("th_lang", "zh")
    page = await get_page(client, f"/booths/{booth['id']}")
    text = text_of(page.text)
    assert "福清冷冻虾。" in text
    assert "Frozen shrimp from Fuqing." not in text
    assert "西班牙" in text  # the export market, named in Chinese


async def test_a_draft_event_is_404_for_strangers_and_open_to_its_organizer(
    client: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    expo = await open_expo(client, status="draft")
    for path in (f"/events/{expo.event_id}", f"/events/{expo.event_id}/search"):
        response = await get_page(client, path)
        assert response.status_code == 404, path
        assert "We could not find that page" in text_of(response.text)
    stranger = await register(client, kind="buyer")
    await signed_in(browser, stranger)
    assert (await get_page(browser, f"/events/{expo.event_id}")).status_code == 404
    assert expo.event["title"] not in text_of((await get_page(browser, "/events")).text)

    async with new_browser(client._transport.app) as organizer:  # type: ignore[attr-defined]
        await signed_in(organizer, expo.organizer)
        assert (await get_page(organizer, f"/events/{expo.event_id}")).status_code == 200
        mine = await get_page(organizer, "/organizer/events")
        assert expo.event["title"] in text_of(mine.text)


async def test_booths_in_review_are_hidden_from_the_lobby(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    applicant = await register(client, kind="supplier", organization_name="Pending Seafood Co")
    pending = await apply_for_booth(client, applicant, expo.event_id, expo.hall_id)
    lobby = await get_page(client, f"/events/{expo.event_id}")
    assert "Pending Seafood Co" not in text_of(lobby.text)
    assert (await get_page(client, f"/booths/{pending['id']}")).status_code == 404


async def test_the_lobby_finds_booths_by_name_certification_and_market(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    _a, shrimp = await booth_with_profile(client, expo)
    _b, squid = await booth_with_profile(
        client, expo, certifications=[], export_markets=["JP"]
    )
    lobby = f"/events/{expo.event_id}"
    by_cert = text_of((await get_page(client, f"{lobby}?certification=MSC")).text)
    assert shrimp["supplier_name"] in by_cert
    assert squid["supplier_name"] not in by_cert
    by_market = text_of((await get_page(client, f"{lobby}?market=JP")).text)
    assert squid["supplier_name"] in by_market
    assert shrimp["supplier_name"] not in by_market
    name = squid["supplier_name"].split()[-1]
    by_name = text_of((await get_page(client, f"{lobby}?q={name}")).text)
    assert squid["supplier_name"] in by_name
    assert shrimp["supplier_name"] not in by_name
    nothing = await get_page(client, f"{lobby}?q=zzzz-no-such-company")
    assert "No exhibitor matches this search." in text_of(nothing.text)
    bad = await get_page(client, f"{lobby}?market=XX")
    assert bad.status_code == 422
    assert "Choose a country from the list." in text_of(bad.text)


# --- prices and search ------------------------------------------------------------------------


async def test_the_product_page_formats_prices_for_english_and_chinese(
    client: httpx.AsyncClient,
) -> None:
    expo = await open_expo(client)
    supplier, _booth = await approved_booth(client, expo)
    dollars = await create_product(
        client, supplier, price_tiers=[{"min_quantity": "1000", "unit_price": "1234.5"},
                                       {"min_quantity": "5000", "unit_price": "6.45"}],
    )
    yuan = await create_product(
        client, supplier, name="Dried laver", currency="CNY", unit="carton", moq="200",
        monthly_capacity="5000", price_tiers=[{"min_quantity": "200", "unit_price": "48.5"}],
    )

    english = text_of((await get_page(client, f"/products/{dollars['id']}")).text)
    assert "$1,234.50 / kg" in english
    assert "$6.45" in english
    assert "From 5,000 kg" in english
    english_yuan = text_of((await get_page(client, f"/products/{yuan['id']}")).text)
    assert "CN¥48.50 / carton" in english_yuan
    assert "Minimum order: 200 cartons" in english_yuan

    client.cookies.set("th_lang", "zh")
    chinese = text_of((await get_page(client, f"/products/{dollars['id']}")).text)
    assert "US$1,234.50 / 千克" in chinese
    assert "起订量：1,000 千克" in chinese or "1,000 千克" in chinese
    chinese_yuan = text_of((await get_page(client, f"/products/{yuan['id']}")).text)
    assert "¥48.50 / 箱" in chinese_yuan
    assert "CN¥" not in chinese_yuan


async def _search_expo(client: httpx.AsyncClient) -> tuple[Expo, list[dict[str, Any]]]:
    expo = await open_expo(client)
    supplier, _booth = await approved_booth(client, expo)
    products = [
        await create_product(client, supplier, name="Frozen whiteleg shrimp HLSO 31/40",
                             name_zh="冷冻南美白对虾 去头带壳 31/40",
                             certifications=["HACCP", "ASC"], incoterms=["FOB", "CIF"]),
        await create_product(client, supplier, name="Frozen black tiger shrimp HOSO",
                             name_zh="冷冻斑节对虾", latin_name="Penaeus monodon",
                             certifications=["HACCP"], incoterms=["CFR"]),
        await create_product(client, supplier, name="Frozen squid rings", name_zh="冷冻鱿鱼圈",
                             description="", description_zh="", species="Argentine squid",
                             latin_name="Illex argentinus", category="cephalopods",
                             hs_code="0307.43", certifications=["MSC"], incoterms=["FOB"]),
    ]
    return expo, products


async def test_the_search_page_shows_facets_with_counts(client: httpx.AsyncClient) -> None:
    expo, _products = await _search_expo(client)
    page = await get_page(client, f"/events/{expo.event_id}/search")
    assert page.status_code == 200
    html = page.text
    assert "3 products" in text_of(html)
    # Checkbox groups, each value with its count.
    assert re.search(r'name="certification" value="HACCP"[^>]*>\s*<span class="ex-facet-label">'
                     r'[^<]*</span><span class="ex-facet-count"><span aria-hidden="true">2<', html)
    assert re.search(r'name="incoterm" value="FOB"[^>]*>.*?aria-hidden="true">2<', html, re.S)
    assert 'name="category" value="cephalopods"' in html

    filtered = await get_page(client, f"/events/{expo.event_id}/search?certification=HACCP"
                                      "&incoterm=FOB")
    text = text_of(filtered.text)
    assert "1 product" in text
    assert "Frozen whiteleg shrimp HLSO 31/40" in text
    assert 'name="certification" value="HACCP" checked' in filtered.text
    assert "(remove this filter)" in text


async def test_the_chinese_query_finds_the_whiteleg_shrimp_through_the_page(
    client: httpx.AsyncClient,
) -> None:
    expo, _products = await _search_expo(client)
    page = await get_page(client, f"/events/{expo.event_id}/search?q=虾")
    text = text_of(page.text)
    assert "Frozen whiteleg shrimp HLSO 31/40" in text
    assert "冷冻南美白对虾 去头带壳 31/40" in text
    assert "Frozen squid rings" not in text
    english = text_of((await get_page(client, f"/events/{expo.event_id}/search?q=squid")).text)
    assert "Frozen squid rings" in english
    assert "whiteleg" not in english


async def test_a_search_that_finds_nothing_says_what_to_try(client: httpx.AsyncClient) -> None:
    expo, _products = await _search_expo(client)
    page = await get_page(client, f"/events/{expo.event_id}/search?q=abalone&certification=MSC")
    text = text_of(page.text)
    assert "No products match this search." in text
    assert "use fewer words" in text
    assert "Show every product of this event" in text


async def test_bad_search_input_is_shown_next_to_its_field(client: httpx.AsyncClient) -> None:
    expo, _products = await _search_expo(client)
    base = f"/events/{expo.event_id}/search"
    no_currency = await get_page(client, f"{base}?price_max=5")
    assert no_currency.status_code == 422
    assert 'id="e-currency"' in no_currency.text
    assert 'value="5"' in no_currency.text  # kept
    negative = await get_page(client, f"{base}?currency=USD&price_min=-1")
    assert negative.status_code == 422
    assert 'id="e-price_min"' in negative.text
    cursor = await get_page(client, f"{base}?cursor=garbage")
    assert cursor.status_code == 422
    assert "Start again" in text_of(cursor.text)


async def test_search_pages_through_results_with_a_cursor(client: httpx.AsyncClient) -> None:
    expo = await open_expo(client)
    supplier, _booth = await approved_booth(client, expo)
    for size in range(26):
        await create_product(client, supplier, name=f"Frozen shrimp lot {size:02d}")
    first = await get_page(client, f"/events/{expo.event_id}/search?q=shrimp")
    found = re.search(r'href="([^"]*cursor=[^"]+)" rel="next"', first.text)
    assert found, "no next page link"
    second = await get_page(client, found.group(1).replace("&amp;", "&"))
    assert second.status_code == 200
    names = set(re.findall(r"Frozen shrimp lot \d\d", text_of(first.text)))
    more = set(re.findall(r"Frozen shrimp lot \d\d", text_of(second.text)))
    assert len(names) == 24
    assert len(more) == 2
    assert not names & more


# --- exhibitor tools --------------------------------------------------------------------------


async def test_exhibitor_tools_send_visitors_to_sign_in_and_refuse_buyers(
    client: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    for path in ("/exhibitor/booths", "/exhibitor/products", "/exhibitor/products/new"):
        response = await get_page(client, path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=/exhibitor/")
    buyer = await register(client, kind="buyer")
    await signed_in(browser, buyer)
    for path in ("/exhibitor/booths", "/exhibitor/products", "/exhibitor/products/new"):
        response = await get_page(browser, path)
        assert response.status_code == 403, path
        assert "You cannot do this" in text_of(response.text)


async def test_another_supplier_cannot_open_my_booth_or_product_editor(
    client: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    expo = await open_expo(client)
    owner, booth = await approved_booth(client, expo)
    product = await create_product(client, owner)
    rival = await register(client, kind="supplier")
    await signed_in(browser, rival)
    for path in (f"/exhibitor/booths/{booth['id']}/edit",
                 f"/exhibitor/products/{product['id']}/edit",
                 f"/exhibitor/products/{product['id']}/delete"):
        assert (await get_page(browser, path)).status_code == 404, path
    token = csrf_from((await get_page(browser, "/exhibitor/products")).text)
    deleted = await post_form(browser, f"/exhibitor/products/{product['id']}/delete",
                              {"csrf_token": token})
    assert deleted.status_code == 404
    # The organizer may look at the booth but not edit it.
    async with new_browser(client._transport.app) as organizer:  # type: ignore[attr-defined]
        await signed_in(organizer, expo.organizer)
        response = await get_page(organizer, f"/exhibitor/booths/{booth['id']}/edit")
        assert response.status_code == 403


async def test_a_supplier_applies_and_fills_in_the_booth(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client, halls=2)
    supplier = await register(client, kind="supplier")
    await signed_in(browser, supplier)
    page = await get_page(browser, "/exhibitor/booths")
    assert f'id="event-{expo.event_id}"' in page.text
    token = csrf_from(page.text)

    no_hall = await post_form(browser, "/exhibitor/booths/apply",
                              {"csrf_token": token, "event_id": str(expo.event_id),
                               "hall_id": ""})
    assert no_hall.status_code == 422
    assert "Choose a hall for your booth." in text_of(no_hall.text)

    applied = await post_form(browser, "/exhibitor/booths/apply",
                              {"csrf_token": token, "event_id": str(expo.event_id),
                               "hall_id": str(expo.halls[1]["id"])})
    assert applied.status_code == 303
    edit_url = applied.headers["location"]
    booth_id = int(edit_url.split("/")[3])
    again = await post_form(browser, "/exhibitor/booths/apply",
                            {"csrf_token": token, "event_id": str(expo.event_id),
                             "hall_id": str(expo.hall_id)})
    assert again.status_code == 303 or again.status_code == 409
    editor = await get_page(browser, edit_url)
    assert "Your application is sent." in text_of(editor.text)
    mine = await get_page(browser, "/exhibitor/booths")
    assert f'href="/exhibitor/booths/{booth_id}/edit"' in mine.text
    assert "Waiting for the organizer" in text_of(mine.text)
    assert f'id="event-{expo.event_id}"' not in mine.text  # no second application offered

    form: Form = {
        "csrf_token": token, "hall_id": str(expo.hall_id),
        "description": "We peel shrimp.", "description_zh": "我们剥虾。",
        "video_url": "https://video.example/factory", "export_markets": ["ES", "JP"],
        "other_markets": "eg, PE", "founded_year": "1850x", "staff_count": "120",
        "annual_output_tonnes": "3,000", "cold_storage_tonnes": "",
        "cert-0-scheme": "BRC", "cert-0-number": "1403571", "cert-0-issuer": "SGS",
        "cert-0-expires_on": "2030-05-01",
        "cert-1-scheme": "MSC", "cert-1-number": "", "cert-1-issuer": "",
        "cert-1-expires_on": "",
    }
    refused = await post_form(browser, edit_url.split("?")[0], form)
    assert refused.status_code == 422
    assert 'id="e-founded_year"' in refused.text
    assert 'id="e-cert-1-number"' in refused.text
    assert "We peel shrimp." in refused.text  # kept
    assert await db.scalar(select(Booth.description).where(Booth.id == booth_id)) == ""

    form.update({"founded_year": "2004", "cert-1-number": "MSC-C-1"})
    saved = await post_form(browser, edit_url.split("?")[0], form)
    assert saved.status_code == 303
    assert saved.headers["location"].endswith("?saved=profile")
    booth = await db.scalar(select(Booth).where(Booth.id == booth_id))
    assert booth is not None
    assert (booth.hall_id, booth.founded_year, booth.staff_count) == (expo.hall_id, 2004, 120)
    assert booth.export_markets == ["ES", "JP", "EG", "PE"]
    schemes = set(await db.scalars(select(BoothCertification.scheme)
                                   .where(BoothCertification.booth_id == booth_id)))
    assert schemes == {"BRC", "MSC"}


async def test_the_exhibitor_uploads_a_logo_and_a_bad_file_is_refused(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    supplier, booth = await approved_booth(client, expo)
    await signed_in(browser, supplier)
    url = f"/exhibitor/booths/{booth['id']}/edit"
    token = await csrf_for(browser, url)
    images = f"/exhibitor/booths/{booth['id']}/images"

    no_token = await browser.post(images, data={"kind": "logo"},
                                  files={"file": ("logo.png", image_bytes(), "image/png")},
                                  headers=HTML_HEADERS)
    assert no_token.status_code == 403

    not_an_image = await browser.post(
        images, data={"csrf_token": token, "kind": "logo"},
        files={"file": ("logo.png", b"%PDF-1.4 not a picture", "image/png")},
        headers=HTML_HEADERS,
    )
    assert not_an_image.status_code == 422
    assert 'id="e-file"' in not_an_image.text

    uploaded = await browser.post(
        images, data={"csrf_token": token, "kind": "logo"},
        files={"file": ("logo.png", image_bytes(size=(200, 200)), "image/png")},
        headers=HTML_HEADERS,
    )
    assert uploaded.status_code == 303, uploaded.text
    logo_id = await db.scalar(select(Booth.logo_id).where(Booth.id == booth["id"]))
    assert logo_id is not None
    lobby = await get_page(client, f"/events/{expo.event_id}")
    assert f"/api/v1/media/{logo_id}/thumbnail" in lobby.text
    picture = await client.get(f"/api/v1/media/{logo_id}/thumbnail")
    assert picture.status_code == 200

    removed = await browser.post(images, data={"csrf_token": token, "remove": "logo"},
                                 files={"file": ("", b"", "application/octet-stream")},
                                 headers=HTML_HEADERS)
    assert removed.status_code == 303
    await db.rollback()
    assert await db.scalar(select(Booth.logo_id).where(Booth.id == booth["id"])) is None


def _product_form(token: str, **changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "csrf_token": token,
        "name": "Frozen whiteleg shrimp PD 41/50", "name_zh": "冷冻南美白对虾仁 41/50",
        "description": "Peeled and deveined.", "description_zh": "去壳去肠线。",
        "category": "frozen_shrimp", "hs_code": "0306.17", "species": "Whiteleg shrimp",
        "latin_name": "Litopenaeus vannamei", "origin_country": "CN", "origin_region": "Fujian",
        "unit": "kg", "moq": "2000", "currency": "USD", "port_of_loading": "Fuzhou",
        "lead_time_days": "25", "monthly_capacity": "90000", "incoterms": ["FOB", "CIF"],
        "certifications": ["HACCP", "BRC"],
        "tier-0-quantity": "2000", "tier-0-price": "7.10",
        "tier-1-quantity": "", "tier-1-price": "",
        "tier-2-quantity": "10000", "tier-2-price": "6.80",
        "spec-0-key": "Size", "spec-0-value": "41/50 pcs/lb",
        "spec-1-key": "", "spec-1-value": "",
        "spec-2-key": "Glazing", "spec-2-value": "15%",
    }
    form.update(changes)
    return form


async def _post_product(browser: httpx.AsyncClient, path: str, form: dict[str, Any],
                        image: bytes | None = None) -> httpx.Response:
    files = {"image": ("shrimp.png", image, "image/png")} if image is not None else {
        "image": ("", b"", "application/octet-stream")}
    return await browser.post(path, data=form, files=files, headers=HTML_HEADERS)


async def test_the_product_manager_creates_edits_and_deletes_a_product(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, db: AsyncSession
) -> None:
    supplier = await register(client, kind="supplier")
    await signed_in(browser, supplier)
    token = await csrf_for(browser, "/exhibitor/products/new")

    bad = await _post_product(browser, "/exhibitor/products/new", _product_form(
        token, hs_code="306.17", **{"tier-2-quantity": "1000", "tier-2-price": "6.80"}))
    assert bad.status_code == 422
    assert 'id="e-hs_code"' in bad.text
    assert 'id="e-tier-2-quantity"' in bad.text  # the row as typed: the empty one is skipped
    assert 'value="Frozen whiteleg shrimp PD 41/50"' in bad.text
    assert await db.scalar(select(func.count()).select_from(Product)) == 0

    created = await _post_product(browser, "/exhibitor/products/new", _product_form(token),
                                  image=image_bytes(size=(320, 240)))
    assert created.status_code == 303, created.text
    product_id = int(created.headers["location"].split("created=")[1])
    listing = await get_page(browser, created.headers["location"])
    assert "The product is listed" in text_of(listing.text)
    assert "Frozen whiteleg shrimp PD 41/50" in text_of(listing.text)
    stored = await db.scalar(select(Product).where(Product.id == product_id))
    assert stored is not None
    assert str(stored.price_from.normalize()) == "6.8"
    assert stored.specifications == [{"key": "Size", "value": "41/50 pcs/lb"},
                                     {"key": "Glazing", "value": "15%"}]

    editor = await get_page(browser, f"/exhibitor/products/{product_id}/edit")
    assert 'value="41/50 pcs/lb"' in editor.text
    assert "/thumbnail" in editor.text  # the picture, with a "remove" box
    image_id = re.search(r'name="remove_image" value="(\d+)"', editor.text)
    assert image_id
    changed = await _post_product(browser, f"/exhibitor/products/{product_id}/edit",
                                  _product_form(token, name="Frozen vannamei PD 41/50",
                                                remove_image=image_id.group(1)))
    assert changed.status_code == 303
    await db.rollback()
    stored = await db.scalar(select(Product).where(Product.id == product_id))
    assert stored is not None
    assert stored.name == "Frozen vannamei PD 41/50"
    page = await get_page(client, f"/products/{product_id}")
    assert "/thumbnail" not in page.text
    assert "/api/v1/media/" not in page.text

    confirm = await get_page(browser, f"/exhibitor/products/{product_id}/delete")
    assert "Delete this product?" in text_of(confirm.text)
    gone = await post_form(browser, f"/exhibitor/products/{product_id}/delete",
                           {"csrf_token": csrf_from(confirm.text)})
    assert gone.status_code == 303
    assert (await get_page(client, f"/products/{product_id}")).status_code == 404


async def test_csv_import_reports_each_bad_line_and_export_downloads_the_catalog(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, db: AsyncSession
) -> None:
    supplier = await register(client, kind="supplier")
    await create_product(client, supplier)
    await signed_in(browser, supplier)
    exported = await browser.get("/exhibitor/products/export.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 1

    token = await csrf_for(browser, "/exhibitor/products")
    good = dict(rows[0], id="", name="Frozen squid tubes")
    bad = dict(rows[0], id="", name="Broken", hs_code="12", price_tiers="1000@-1")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows([good, bad])
    refused = await browser.post(
        "/exhibitor/products/import", data={"csrf_token": token},
        files={"file": ("products.csv", out.getvalue().encode(), "text/csv")},
        headers=HTML_HEADERS,
    )
    assert refused.status_code == 422
    text = text_of(refused.text)
    assert "nothing was imported" in text
    assert re.search(r"\b3 hs_code\b", text), text
    assert await db.scalar(select(func.count()).select_from(Product)) == 1

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow(good)
    imported = await browser.post(
        "/exhibitor/products/import", data={"csrf_token": token},
        files={"file": ("products.csv", out.getvalue().encode(), "text/csv")},
        headers=HTML_HEADERS,
    )
    assert imported.status_code == 303
    done = await get_page(browser, imported.headers["location"])
    assert "Import done: 1 created, 0 updated, 0 unchanged." in text_of(done.text)


# --- organizer tools --------------------------------------------------------------------------


async def test_organizer_tools_send_visitors_to_sign_in_and_refuse_suppliers(
    client: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    expo = await open_expo(client)
    draft = await open_expo(client, status="draft")
    queue = f"/organizer/events/{expo.event_id}/applications"
    for path in ("/organizer/events", queue, f"/organizer/events/{expo.event_id}/halls"):
        response = await get_page(client, path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=/organizer/")
    supplier, booth = await approved_booth(client, expo)
    await signed_in(browser, supplier)
    assert (await get_page(browser, "/organizer/events")).status_code == 403
    assert (await get_page(browser, queue)).status_code == 403
    assert (await get_page(browser, f"/organizer/events/{draft.event_id}/applications")
            ).status_code == 404
    token = await csrf_for(browser, "/exhibitor/booths")
    approve = await post_form(browser, f"/organizer/booths/{booth['id']}/approve",
                              {"csrf_token": token})
    assert approve.status_code == 403
    # Another organizer sees nothing of this event's queue.
    other = await register(client, kind="organizer")
    async with new_browser(client._transport.app) as stranger:  # type: ignore[attr-defined]
        await signed_in(stranger, other)
        assert (await get_page(stranger, queue)).status_code == 403


async def test_forms_without_the_csrf_token_are_refused(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    supplier = await register(client, kind="supplier")
    pending = await apply_for_booth(client, supplier, expo.event_id, expo.hall_id)
    await signed_in(browser, expo.organizer)
    posts: list[tuple[str, Form]] = [
        ("/organizer/events", {"title": "Sneaky"}),
        (f"/organizer/events/{expo.event_id}/status", {"action": "close"}),
        (f"/organizer/events/{expo.event_id}/halls", {"name": "Sneaky hall"}),
        (f"/organizer/booths/{pending['id']}/approve", {}),
        (f"/organizer/booths/{pending['id']}/reject", {"reason": "Sneaky"}),
    ]
    for path, data in posts:
        response = await post_form(browser, path, data)
        assert response.status_code == 403, path
        assert "This form has expired" in text_of(response.text)
    assert await db.scalar(select(Booth.status).where(Booth.id == pending["id"])) == "applied"
    assert await db.scalar(select(Event.status).where(Event.id == expo.event_id)) == "published"
    async with new_browser(client._transport.app) as exhibitor:  # type: ignore[attr-defined]
        await signed_in(exhibitor, supplier)
        for path in ("/exhibitor/booths/apply", f"/exhibitor/booths/{pending['id']}/edit"):
            response = await post_form(exhibitor, path, {"event_id": str(expo.event_id)})
            assert response.status_code == 403, path
        product = await _post_product(exhibitor, "/exhibitor/products/new", _product_form(""))
        assert product.status_code == 403


async def test_an_organizer_creates_an_event_adds_a_hall_and_publishes_it(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, db: AsyncSession
) -> None:
    organizer = await register(client, kind="organizer")
    await signed_in(browser, organizer)
    page = await get_page(browser, "/organizer/events")
    token = csrf_from(page.text)
    form: Form = {"csrf_token": token, "title": "Fuqing Dried Seafood Week",
                  "title_zh": "福清干货周",
                  "theme": "Dried seafood", "description": "", "description_zh": "",
                  "time_zone": "Asia/Shanghai", "starts_at": "2031-05-10T09:00",
                  "ends_at": "2031-05-01T18:00"}
    backwards = await post_form(browser, "/organizer/events", form)
    assert backwards.status_code == 422
    assert 'id="e-ends_at"' in backwards.text
    assert 'value="Fuqing Dried Seafood Week"' in backwards.text

    form["ends_at"] = "2031-05-17T18:00"
    created = await post_form(browser, "/organizer/events", form)
    assert created.status_code == 303
    event_id = int(created.headers["location"].split("/")[3])
    event = await db.scalar(select(Event).where(Event.id == event_id))
    assert event is not None
    assert event.status == "draft"
    assert event.starts_at.isoformat() == "2031-05-10T01:00:00+00:00"  # 09:00 in Shanghai

    halls = f"/organizer/events/{event_id}/halls"
    assert (await post_form(browser, halls, {"csrf_token": token, "name": ""})
            ).status_code == 422
    added = await post_form(browser, halls, {"csrf_token": token, "name": "Dried squid",
                                             "name_zh": "鱿鱼干", "description": ""})
    assert added.status_code == 303
    twice = await post_form(browser, halls, {"csrf_token": token, "name": "dried squid"})
    assert twice.status_code == 409
    assert "already has a hall with this name" in text_of(twice.text)
    assert await db.scalar(select(func.count()).select_from(Hall)
                           .where(Hall.event_id == event_id)) == 1

    status = f"/organizer/events/{event_id}/status"
    live_too_soon = await post_form(browser, status, {"csrf_token": token, "action": "go-live"})
    assert live_too_soon.status_code == 409
    assert "publish it first" in text_of(live_too_soon.text)
    published = await post_form(browser, status, {"csrf_token": token, "action": "publish"})
    assert published.status_code == 303
    assert (await get_page(client, f"/events/{event_id}")).status_code == 200


async def test_the_review_queue_approves_and_rejects_with_a_required_reason(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, db: AsyncSession
) -> None:
    expo = await open_expo(client)
    first = await register(client, kind="supplier", organization_name="Fuqing Clam Co")
    second = await register(client, kind="supplier", organization_name="Fuqing Eel Co")
    clam = await apply_for_booth(client, first, expo.event_id, expo.hall_id)
    eel = await apply_for_booth(client, second, expo.event_id, expo.hall_id)
    await signed_in(browser, expo.organizer)
    queue = await get_page(browser, f"/organizer/events/{expo.event_id}/applications")
    assert queue.status_code == 200
    text = text_of(queue.text)
    assert "Fuqing Clam Co" in text
    assert "Fuqing Eel Co" in text
    token = csrf_from(queue.text)

    no_reason = await post_form(browser, f"/organizer/booths/{eel['id']}/reject",
                                {"csrf_token": token, "reason": "  "})
    assert no_reason.status_code == 422
    assert f'id="e-reason-{eel["id"]}"' in no_reason.text
    assert await db.scalar(select(Booth.status).where(Booth.id == eel["id"])) == "applied"

    rejected = await post_form(browser, f"/organizer/booths/{eel['id']}/reject",
                               {"csrf_token": token, "reason": "Add your HACCP certificate."})
    assert rejected.status_code == 303
    approved = await post_form(browser, f"/organizer/booths/{clam['id']}/approve",
                               {"csrf_token": token})
    assert approved.status_code == 303
    done = await get_page(browser, approved.headers["location"])
    assert "Fuqing Clam Co is approved" in text_of(done.text)
    assert "No application is waiting." in text_of(done.text)
    await db.rollback()
    assert await db.scalar(select(Booth.rejection_reason).where(Booth.id == eel["id"])) == (
        "Add your HACCP certificate.")
    twice = await post_form(browser, f"/organizer/booths/{clam['id']}/approve",
                            {"csrf_token": token})
    assert twice.status_code == 409
    assert "already approved" in text_of(twice.text)


# --- navigation and activity ------------------------------------------------------------------


async def test_the_navigation_offers_each_kind_its_tools(
    client: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    anonymous = await get_page(client, "/events")
    assert 'href="/events"' in anonymous.text
    assert "/exhibitor/" not in anonymous.text
    supplier = await register(client, kind="supplier")
    await signed_in(browser, supplier)
    for path in ("/", "/events", "/settings/organization"):
        html = (await get_page(browser, path)).text
        assert 'href="/exhibitor/booths"' in html, path
        assert 'href="/exhibitor/products"' in html, path
        assert 'href="/organizer/events"' not in html
    organizer = await register(client, kind="organizer")
    async with new_browser(client._transport.app) as second:  # type: ignore[attr-defined]
        await signed_in(second, organizer)
        html = (await get_page(second, "/events")).text
        assert 'href="/organizer/events"' in html
        assert "/exhibitor/" not in html


async def test_booth_visits_and_product_views_are_counted(
    app: FastAPI, client: httpx.AsyncClient, browser: httpx.AsyncClient, db: AsyncSession
) -> None:
    recorder = await analytics.start(app.state, flush_interval=60)
    expo = await open_expo(client)
    supplier, booth = await approved_booth(client, expo)
    product = await create_product(client, supplier)
    await get_page(client, f"/booths/{booth['id']}")
    await get_page(client, f"/products/{product['id']}?booth={booth['id']}")
    await signed_in(browser, supplier)  # the exhibitor's own visits are not interest
    await get_page(browser, f"/booths/{booth['id']}")
    await recorder.flush()
    await analytics.stop(app.state)
    rows = list(await db.execute(select(Activity.kind, Activity.booth_id, Activity.product_id,
                                        Activity.event_id)))
    assert sorted(rows) == sorted([
        ("booth_visit", booth["id"], None, expo.event_id),
        ("product_view", booth["id"], product["id"], expo.event_id),
    ])
