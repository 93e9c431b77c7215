from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from fastapi import FastAPI
from PIL import ExifTags

from app.media import service as media_service
from app.models import AuditEntry, Media
from tests.factories import count_rows, image_bytes, register, upload_image
from tests.media.images import bomb_png, jpeg_with_gps, opened


def _stored_files(app: FastAPI) -> list[Path]:
    root: Path = app.state.settings.effective_upload_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_a_member_uploads_an_image_and_anyone_can_fetch_it(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    r = await client.post(
        "/api/v1/media",
        files={"file": ("../../etc/My Photo.png", image_bytes("PNG", (640, 480)), "image/png")},
        headers=supplier.headers,
    )
    assert r.status_code == 201, r.text
    media = r.json()
    assert media["owner_org_id"] == supplier.organization_id
    assert media["content_type"] == "image/webp"
    assert (media["width"], media["height"]) == (640, 480)
    assert media["url"] == f"/api/v1/media/{media['id']}"

    image = await client.get(media["url"])  # no credentials: product pictures are public
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/webp"
    assert image.headers["x-content-type-options"] == "nosniff"
    assert image.headers["content-disposition"] == "inline"
    assert "immutable" in image.headers["cache-control"]
    assert "max-age=31536000" in image.headers["cache-control"]
    assert image.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert opened(image.content).format == "WEBP"

    thumbnail = await client.get(media["thumbnail_url"])
    assert thumbnail.status_code == 200
    assert thumbnail.headers["x-content-type-options"] == "nosniff"
    assert max(opened(thumbnail.content).size) == 400

    # Random names, never the client's.
    files = _stored_files(app)
    assert len(files) == 2
    assert not any("Photo" in str(f) or "etc" in f.parts for f in files)
    assert await count_rows(app, AuditEntry, AuditEntry.action == "media.uploaded") == 1


async def test_a_jpeg_with_gps_comes_back_without_exif(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    source = jpeg_with_gps(size=(300, 120))
    assert opened(source).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    media = await upload_image(client, supplier, source, filename="IMG_0001.JPG")
    assert (media["width"], media["height"]) == (120, 300)  # orientation applied
    served = await client.get(media["url"])
    image = opened(served.content)
    assert len(image.getexif()) == 0
    assert b"SecretCam" not in served.content
    assert served.headers["content-type"] == "image/webp"


async def test_a_text_file_renamed_png_is_refused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    r = await client.post(
        "/api/v1/media",
        files={"file": ("photo.png", b"<html><script>alert(1)</script></html>", "image/png")},
        headers=supplier.headers,
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "unsupported_image"
    assert await count_rows(app, Media) == 0
    assert _stored_files(app) == []


async def test_a_png_that_decodes_to_20000_by_20000_is_refused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    bomb = bomb_png(20_000, 20_000)
    r = await client.post(
        "/api/v1/media", files={"file": ("map.png", bomb, "image/png")}, headers=supplier.headers
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "image_too_large"
    assert "50 megapixels" in r.json()["error"]["details"]["reason"]
    assert await count_rows(app, Media) == 0
    assert _stored_files(app) == []


async def test_an_oversized_upload_is_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    supplier = await register(client)
    just_over = image_bytes("PNG") + b"\0" * (media_service.MAX_UPLOAD_BYTES)
    r = await client.post(
        "/api/v1/media", files={"file": ("big.png", just_over, "image/png")},
        headers=supplier.headers,
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "file_too_large"

    # Far over: refused from the Content-Length alone.
    r = await client.post(
        "/api/v1/media",
        files={"file": ("huge.png", b"\0" * (media_service.MAX_UPLOAD_BYTES * 2), "image/png")},
        headers=supplier.headers,
    )
    assert r.status_code == 413

    # No Content-Length (chunked): refused while the body streams in.
    received = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal received
        yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n\r\n"
        for _ in range(40):
            received += 1
            yield b"\0" * (1024 * 1024)
        yield b"\r\n--b--\r\n"

    r = await client.post(
        "/api/v1/media",
        content=chunks(),
        headers={**supplier.headers, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert r.status_code == 413
    assert received < 40  # it stopped reading
    assert await count_rows(app, Media) == 0


async def test_uploads_need_a_signed_in_member_and_a_file(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/media", files={"file": ("a.png", image_bytes(), "image/png")})
    assert r.status_code == 401
    supplier = await register(client)
    r = await client.post(
        "/api/v1/media", files={"picture": ("a.png", image_bytes(), "image/png")},
        headers=supplier.headers,
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "file_required"
    r = await client.post(
        "/api/v1/media", content=image_bytes(),
        headers={**supplier.headers, "Content-Type": "image/png"},
    )
    assert r.status_code == 415
    r = await client.post(
        "/api/v1/media", files={"file": ("a.png", b"", "image/png")}, headers=supplier.headers
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "file_required"


async def test_buyers_upload_too_and_list_only_their_own(client: httpx.AsyncClient) -> None:
    buyer = await register(client, kind="buyer")
    supplier = await register(client)
    mine = await upload_image(client, buyer)
    await upload_image(client, supplier)
    r = await client.get("/api/v1/media", headers=buyer.headers)
    assert r.status_code == 200
    assert [m["id"] for m in r.json()["items"]] == [mine["id"]]


async def test_missing_media_is_404(client: httpx.AsyncClient, app: FastAPI) -> None:
    assert (await client.get("/api/v1/media/424242")).json()["error"]["code"] == (
        "media_not_found"
    )
    supplier = await register(client)
    media = await upload_image(client, supplier)
    for path in _stored_files(app):
        path.unlink()
    r = await client.get(media["url"])
    assert r.status_code == 404
