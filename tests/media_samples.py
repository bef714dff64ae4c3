"""Pictures and files for the media tests, made here with Pillow (nothing fetched)."""

from __future__ import annotations

import io
import zlib

from PIL import Image

GPS_LATITUDE = (48.0, 51.0, 29.1)
"""Where the phone says the photo was taken (Paris): degrees, minutes, seconds."""
GPS_MARK = b"GPS-POSITION-48.8581N"
"""Text a phone's EXIF would carry beside the position (the GPS processing method): searched for in bytes."""


def photo_with_gps(size: tuple[int, int] = (1200, 900), orientation: int = 1) -> bytes:
    """A JPEG as a phone writes it: EXIF with a GPS position, a camera model and an orientation."""
    image = Image.new("RGB", size, (30, 120, 200))
    for x in range(0, size[0], 40):
        image.paste((240, 200, 20), (x, 0, x + 20, size[1] // 3))
    exif = Image.Exif()
    exif[0x0110] = "PhoneCam 12"  # Model
    exif[0x0112] = orientation  # Orientation
    exif[0x8825] = {  # GPSInfo
        1: "N",
        2: GPS_LATITUDE,
        3: "E",
        4: (2.0, 17.0, 40.2),
        27: GPS_MARK,  # GPSProcessingMethod
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def png(size: tuple[int, int] = (64, 48), colour: str = "orange", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG")
    return out.getvalue()


def gif(size: tuple[int, int] = (32, 32)) -> bytes:
    out = io.BytesIO()
    frames = [Image.new("P", size, i) for i in range(3)]
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 50), "purple").save(out, "WEBP")
    return out.getvalue()


def pixel_bomb(edge: int = 20_000) -> bytes:
    """A PNG whose header says ``edge`` x ``edge`` pixels (400 MP): a few hundred bytes on the wire."""
    raw_row = b"\x00" + b"\x00" * edge
    compressed = zlib.compress(raw_row * 16, 9)  # a valid start; the rest is never decoded

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = edge.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", compressed) + chunk(b"IEND", b"")


def minimal_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
