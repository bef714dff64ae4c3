"""What an upload is, decided from its bytes (never its name), and the copy of it that is safe to keep.

Images are decoded by Pillow and encoded again: what is kept is the picture and nothing
else, so EXIF (a phone's GPS position, its serial number), comments, colour profiles and
whatever a polyglot hid after the image data are gone.  The picture is first turned the
way its EXIF orientation says, so it still stands upright once the tag is dropped.  A
picture whose header announces more pixels than :data:`MAX_PIXELS` is refused before
it is decoded (a decompression bomb never gets its memory).

Other files are recognised by their first bytes: PDF, ZIP, and plain UTF-8 text.  Markup
(HTML, SVG, XML: anything that a browser could run as a page) is refused, whatever its
name says, and so is everything else.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageOps, UnidentifiedImageError

from ..foundation.errors import Invalid

MAX_PIXELS = 40_000_000
"""The most pixels a picture may have (a 48 MP phone photo is kept as 40 MP at most: refused)."""
LONGEST_EDGE = 4096
"""A kept picture is at most this wide and high (scaled down, its proportions kept)."""
THUMBNAIL_EDGE = 320

Kind = Literal["image", "file"]

# Pillow's format -> what is kept: (format written, content type, extension).
_IMAGE_FORMATS = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
    "GIF": ("PNG", "image/png", "png"),  # its first frame
}

# First bytes -> (content type, extension).
_FILE_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"PK\x03\x04", "application/zip", "zip"),
)

SERVED_TYPES = (
    "image/jpeg",
    "image/png",
    "image/webp",
    *(content_type for _, content_type, _ in _FILE_SIGNATURES),
    "text/plain",
)
"""Every type Souk serves a kept file as."""

_MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe", b"<head")


@dataclass(frozen=True)
class Sanitised:
    """The bytes that are kept, and what they are."""

    kind: Kind
    content_type: str
    extension: str
    data: bytes
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None
    """A picture's small version, always a JPEG."""


def sanitise(data: bytes, *, max_pixels: int = MAX_PIXELS) -> Sanitised:
    """What ``data`` is, re-encoded when it is a picture; :class:`Invalid` when Souk does not keep it."""
    if not data:
        raise Invalid("the file is empty", code="empty_file")
    picture = _picture(data, max_pixels)
    if picture is not None:
        return picture
    return _file(data)


def _picture(data: bytes, max_pixels: int) -> Sanitised | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(_IMAGE_FORMATS))
    except UnidentifiedImageError:
        return None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid(f"a picture may have at most {max_pixels:,} pixels", code="image_too_large") from None
    except (OSError, ValueError, SyntaxError):
        raise Invalid("this picture cannot be read: it is damaged", code="invalid_image") from None
    width, height = image.size
    if width * height > max_pixels:
        raise Invalid(f"a picture may have at most {max_pixels:,} pixels", code="image_too_large")
    written, content_type, extension = _IMAGE_FORMATS[image.format or ""]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.seek(0)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombWarning):
        raise Invalid("this picture cannot be read: it is damaged", code="invalid_image") from None
    upright = _plain_mode(upright, written)
    upright.thumbnail((LONGEST_EDGE, LONGEST_EDGE))
    kept = _encode(upright, written)
    return Sanitised(
        "image", content_type, extension, kept, upright.width, upright.height, _thumbnail(upright)
    )


def _thumbnail(image: Image.Image) -> bytes:
    """A JPEG at most :data:`THUMBNAIL_EDGE` a side; what is transparent is on white."""
    small = image.convert("RGBA")
    small.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
    flat = Image.new("RGB", small.size, "white")
    flat.paste(small, mask=small.getchannel("A"))
    return _encode(flat, "JPEG")


def _plain_mode(image: Image.Image, written: str) -> Image.Image:
    """The picture in a mode its format writes: RGB for JPEG, RGB(A) or L(A) for the others."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if written == "JPEG":
        return image.convert("RGB") if image.mode not in ("RGB", "L") else image
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    return image.convert("RGBA" if has_alpha else "RGB")


def _encode(image: Image.Image, written: str) -> bytes:
    """Only the pixels: no ``exif=``, ``icc_profile=`` or ``pnginfo=``, so no metadata is written."""
    out = io.BytesIO()
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)  # a new image carries none of the old one's info dictionary
    options = {"quality": 85} if written in ("JPEG", "WEBP") else {}
    fresh.save(out, format=written, **options)
    return out.getvalue()


def _file(data: bytes) -> Sanitised:
    for signature, content_type, extension in _FILE_SIGNATURES:
        if data.startswith(signature):
            return Sanitised("file", content_type, extension, data)
    if _is_plain_text(data):
        return Sanitised("file", "text/plain; charset=utf-8", "txt", data)
    raise Invalid(
        "Souk keeps pictures (JPEG, PNG, WebP, GIF) and PDF, ZIP and plain text files; this is none of them",
        code="unsupported_type",
    )


def _is_plain_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text):
        return False
    lowered = data.lower()
    return not lowered.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and not any(
        tag in lowered for tag in _MARKUP
    )


def safe_name(name: str | None, sanitised: Sanitised) -> str:
    """A file name to show and to download under: its last part, printable, with the extension of
    what the bytes are (a JPEG named ``report.pdf`` becomes ``report.jpg``)."""
    last = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(
        c for c in unicodedata.normalize("NFC", last) if unicodedata.category(c)[0] not in "CZ" or c == " "
    )
    cleaned = " ".join(cleaned.replace('"', "").split()).strip(". ")
    stem = cleaned.rsplit(".", 1)[0] if "." in cleaned else cleaned
    stem = stem[:80].strip() or ("photo" if sanitised.kind == "image" else "file")
    return f"{stem}.{sanitised.extension}"
