"""Product pictures come from Souk's media store: the demo draws its own, an owner's URL is fetched once."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from souk.foundation.settings import Settings
from souk.operators import demo
from souk.runtime import Runtime
from souk_shop.demo import DEMO_SHOPS
from souk_shop.pictures import product_picture
from souk_shop.plugin import app


def test_every_demo_product_has_a_picture_served_by_souk(tmp_path: Any) -> None:
    runtime = Runtime.open(Settings(tmp_path), [app])
    try:
        assert demo.build(runtime) is True
        products = list(runtime.app_store("shop").db.query("SELECT sku, image_url FROM products"))
        assert len(products) == sum(len(spec[3]) for spec in DEMO_SHOPS.values())
        assert all(p["image_url"].startswith("/api/v1/media/f_") for p in products)
        assert len({p["image_url"] for p in products}) == len(products)
        someone = next(runtime.core.db.query("SELECT id FROM users WHERE handle = 'ravi'"))["id"]
        for product in products:
            row, path = runtime.media.open_for(product["image_url"].rsplit("/", 1)[1], someone)
            assert (row["kind"], row["content_type"], row["owner_id"]) == ("image", "image/png", "shop")
            assert Image.open(path).size == (480, 360)
    finally:
        runtime.close()


def test_a_picture_is_drawn_the_same_each_time() -> None:
    first = product_picture("RUN-RED-38", "Red running shoes")
    assert first == product_picture("RUN-RED-38", "Red running shoes")
    assert first != product_picture("RUN-BLU-40", "Blue running shoes")
    assert Image.open(io.BytesIO(first)).format == "PNG"
