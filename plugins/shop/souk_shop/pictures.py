"""Pictures of the demo's products, drawn here with Pillow (nothing is fetched from anywhere).

Each is a card in a colour of its own (from the product's SKU), with the product's
name written on it; the demo stores them in Souk's media store, so the shelves show
pictures that Souk serves itself.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

SIZE = (480, 360)


def _colour(sku: str) -> tuple[int, int, int]:
    hue = int.from_bytes(hashlib.sha256(sku.encode()).digest()[:2], "big") / 65535
    red, green, blue = colorsys.hls_to_rgb(hue, 0.45, 0.55)
    return int(red * 255), int(green * 255), int(blue * 255)


def product_picture(sku: str, name: str) -> bytes:
    """A PNG: the product's name in white on its colour, with a lighter band below."""
    image = Image.new("RGB", SIZE, _colour(sku))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, SIZE[1] - 70, SIZE[0], SIZE[1]), fill=(255, 255, 255))
    font = ImageFont.load_default(size=34)
    lines = textwrap.wrap(name, width=20)[:3]
    for index, line in enumerate(lines):
        draw.text((28, 40 + index * 46), line, fill=(255, 255, 255), font=font)
    draw.text((28, SIZE[1] - 52), sku, fill=_colour(sku), font=ImageFont.load_default(size=26))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
