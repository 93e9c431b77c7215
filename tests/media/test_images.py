from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image

from app.media import images
from app.media.images import ImageRejected, process
from tests.factories import image_bytes
from tests.media.images import bomb_png, jpeg_with_gps, opened, png_with_alpha


def test_a_jpeg_is_reencoded_as_webp_without_any_metadata() -> None:
    source = jpeg_with_gps()
    assert opened(source).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input has GPS
    result = process(source)
    image = opened(result.image)
    assert image.format == "WEBP"
    assert result.content_type == "image/webp"
    assert len(image.getexif()) == 0
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert b"SecretCam" not in result.image
    assert b"Exif" not in result.image


def test_exif_orientation_is_applied_before_it_is_dropped() -> None:
    result = process(jpeg_with_gps(size=(200, 100), orientation=6))
    assert (result.width, result.height) == (100, 200)
    image = opened(result.image).convert("RGB")
    # Orientation 6 turns the picture clockwise: the blue left half ends up on top.
    top = image.getpixel((50, 20))
    bottom = image.getpixel((50, 180))
    assert isinstance(top, tuple)
    assert isinstance(bottom, tuple)
    assert top[2] > top[0]
    assert bottom[0] > bottom[2]


def test_large_images_are_scaled_down_and_thumbnailed() -> None:
    result = process(image_bytes("JPEG", size=(4000, 1000)))
    assert (result.width, result.height) == (images.MAX_DIMENSION, 512)
    thumbnail = opened(result.thumbnail)
    assert thumbnail.size == (images.THUMBNAIL_DIMENSION, 100)


def test_transparency_is_kept() -> None:
    result = process(png_with_alpha())
    assert opened(result.image).mode == "RGBA"


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP", "JPEG"])
def test_plain_raster_formats_are_accepted(fmt: str) -> None:
    assert process(image_bytes(fmt)).width == 64


def test_palette_and_cmyk_images_are_converted() -> None:
    out = io.BytesIO()
    Image.new("CMYK", (30, 30), (0, 100, 100, 0)).save(out, "JPEG")
    assert opened(process(out.getvalue()).image).mode == "RGB"
    out = io.BytesIO()
    Image.new("P", (30, 30), 3).save(out, "PNG")
    assert opened(process(out.getvalue()).image).mode == "RGB"


@pytest.mark.parametrize(
    "data",
    [
        b"just some text pretending to be a picture\n" * 20,
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"GIF89a",
        image_bytes("BMP"),
        image_bytes("TIFF"),
        image_bytes("PNG")[:60],  # truncated
        image_bytes("JPEG")[:-200],
    ],
    ids=["text", "eps", "svg", "gif-header-only", "bmp", "tiff", "png-truncated",
         "jpeg-truncated"],
)
def test_anything_else_is_unsupported(data: bytes) -> None:
    with pytest.raises(ImageRejected) as caught:
        process(data)
    assert caught.value.reason == "unsupported"


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = bomb_png(20_000, 20_000)
    assert len(bomb) < 200_000  # tiny file, 400 megapixels
    with pytest.raises(ImageRejected) as caught:
        process(bomb)
    assert caught.value.reason == "too_large"


def test_more_pixels_than_the_cap_is_refused_even_below_pillows_own_limit() -> None:
    side = int(images.MAX_PIXELS**0.5) + 10
    with pytest.raises(ImageRejected) as caught:
        process(bomb_png(side, side))
    assert caught.value.reason == "too_large"
    assert "megapixels" in caught.value.message
