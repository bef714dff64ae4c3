"""A checkout's idempotency key stands for its whole request: shop, items and delivery address.

The same key and body find the order made the first time; the same key with
any one of them changed is refused (``409 idempotency_conflict``) and reserves
nothing more.
"""

from __future__ import annotations

from typing import Any

import pytest
from shop_support import SHOP, buyer_with_money, open_shop, product

BODY = {
    "shop_id": "",
    "items": [{"sku": "SOCK-1", "quantity": 2}],
    "delivery": "Rua Augusta 100",
    "idempotency_key": "k1",
}
CHANGES: list[tuple[str, Any]] = [
    ("items", [{"sku": "SOCK-1", "quantity": 3}]),
    ("items", [{"sku": "SHOE-RED", "quantity": 2}]),
    ("items", [{"sku": "SOCK-1", "quantity": 2}, {"sku": "SHOE-RED", "quantity": 1}]),
    ("delivery", "Rua Augusta 200"),
]


@pytest.mark.parametrize(("field", "value"), CHANGES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(CHANGES)])
def test_a_checkout_key_with_another_request_is_refused(souk_world: Any, field: str, value: Any) -> None:
    world = souk_world(["payments", "shop"])
    shop_id, _ = open_shop(world, world.user("Bruna", "BR"))
    tiago = buyer_with_money(world, "Tiago")
    body = {**BODY, "shop_id": shop_id}
    first = tiago.call("POST", f"{SHOP}/checkout", body, expect=201)
    assert tiago.call("POST", f"{SHOP}/checkout", body, expect=201)["order_id"] == first["order_id"]
    refused = tiago.call("POST", f"{SHOP}/checkout", {**body, field: value}, expect=409)
    assert refused["error"]["code"] == "idempotency_conflict"
    assert product(world, "SOCK-1") == (10, 2)
    assert product(world, "SHOE-RED") == (3, 0)
    assert len(tiago.call("GET", f"{SHOP}/orders")["orders"]) == 1
