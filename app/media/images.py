"""Turn untrusted image bytes into a safe, re-encoded image and its thumbnail.

The type is found from the content (Pillow reading the header, restricted to a few plain
raster formats), never from the file name or the Content-Type header. The pixel count is
checked from the header *before* any pixel is decoded, so a small file that would decode to
a huge bitmap (a decompression bomb) costs nothing. The output is a fresh WebP encoding of
the pixels only: EXIF (GPS positions, camera serials), XMP, comments and embedded colour
profiles are gone, with the EXIF orientation applied first and colours converted to sRGB.

CPU-bound and synchronous: call ``process`` from a worker thread (the media service does).
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Plain raster formats only: Pillow's other plugins (EPS runs Ghostscript, for one) are
# never even tried on an upload. (Many cameras' JPEGs open as "MPO" through the JPEG plugin.)
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo fits; a bomb does not
MAX_DIMENSION = 2048  # longest side of the stored image
THUMBNAIL_DIMENSION = 400
OUTPUT_FORMAT = "WEBP"
OUTPUT_CONTENT_TYPE = "image/webp"
OUTPUT_EXTENSION = "webp"
QUALITY = 85

# Decoding is where memory goes (up to MAX_PIXELS x 4 bytes): a few at a time, whatever the
# number of concurrent uploads.
_DECODE_SLOTS = threading.BoundedSemaphore(2)
_SRGB = ImageCms.createProfile("sRGB")


class ImageRejected(Exception):
    """The bytes are not an acceptable image; ``reason`` is ``unsupported`` or ``too_large``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    content_type: str = OUTPUT_CONTENT_TYPE
    extension: str = OUTPUT_EXTENSION


def _unsupported(detail: str = "") -> ImageRejected:
    return ImageRejected(
        "unsupported",
        "This file is not an image we accept: upload a JPEG, PNG, WebP or GIF picture"
        + (f" ({detail})." if detail else "."),
    )


def _too_large(width: int | None = None, height: int | None = None) -> ImageRejected:
    size = f" ({width}×{height} pixels)" if width and height else ""
    return ImageRejected(
        "too_large",
        f"This image is too large{size}: at most {MAX_PIXELS // 1_000_000} megapixels. "
        "Resize it and upload it again.",
    )


def _to_srgb(image: Image.Image) -> Image.Image:
    """Pixels in sRGB, RGB or RGBA: what every browser shows the same way without a profile."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    target = "RGBA" if has_alpha else "RGB"
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a broken profile: convert without it
        if converted is not None:
            image = converted
    return image if image.mode == target else image.convert(target)


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # Nothing but pixels: no exif=, icc_profile= or xmp= is passed, so none is written.
    image.save(out, OUTPUT_FORMAT, quality=QUALITY, method=4)
    return out.getvalue()


def _decode(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as exc:
        raise _too_large() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _unsupported() from exc
    width, height = image.size
    if width < 1 or height < 1:
        raise _unsupported("it has no pixels")
    if width * height > MAX_PIXELS:
        raise _too_large(width, height)
    if image.format in ("JPEG", "MPO"):
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the result is big enough anyway.
        image.draft("RGB", (MAX_DIMENSION, MAX_DIMENSION))
    try:
        image.load()
    except Image.DecompressionBombError as exc:
        raise _too_large(width, height) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _unsupported("it is damaged or truncated") from exc
    return image


def process(data: bytes) -> ProcessedImage:
    """Validate and re-encode an upload; raises ``ImageRejected`` for anything unacceptable."""
    with _DECODE_SLOTS:
        try:
            image = _decode(data)
            image = ImageOps.exif_transpose(image)
            image = _to_srgb(image)
            image.thumbnail((MAX_DIMENSION, MAX_DIMENSION), Image.Resampling.LANCZOS)
            image.info = {}
            thumbnail = image.copy()
            thumbnail.thumbnail(
                (THUMBNAIL_DIMENSION, THUMBNAIL_DIMENSION), Image.Resampling.LANCZOS
            )
            return ProcessedImage(
                image=_encode(image),
                thumbnail=_encode(thumbnail),
                width=image.width,
                height=image.height,
            )
        except ImageRejected:
            raise
        except Exception as exc:
            # Parsers of hostile input fail in many ways (OSError, ValueError, struct.error,
            # IndexError...): each means "not an image we can use", never a server error.
            raise _unsupported("it could not be decoded") from exc
