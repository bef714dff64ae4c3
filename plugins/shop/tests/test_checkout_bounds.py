"""Where a checkout stops: the edges of each limit, the two sold-out answers, the order numbers.

Each limit is tried on both sides of its edge (a delivery address of 5 and 500
characters goes, 4 and 501 do not; a quantity of ``MAX_QUANTITY`` goes, one more
does not), and a refused checkout reserves nothing.  The HTTP body's own limits
answer ``422 invalid_request`` first; an address that is long enough only with
its surrounding spaces reaches the reservation's check, which counts it trimmed.
"""

from __future__ import annotations

from typing import Any

from shop_support import SHOP, buyer_with_money, open_shop, order_first_product_in_chat, order_row, product
from souk_shop.orders import MAX_QUANTITY
from souk_shop.schema import FIRST_ORDER_NUMBER

BULK = (("RICE-5", "Rice sack", "1.00", str(MAX_QUANTITY + 5), "food", "rice"),)
REFUSED = {"expect": 409}
INVALID = {"expect": 422}


def _checkout(
    buyer: Any, shop_id: str, quantity: int = 1, delivery: str = "Rua Augusta 100", **expect: Any
) -> Any:
    body = {"shop_id": shop_id, "items": [{"sku": "RICE-5", "quantity": quantity}], "delivery": delivery}
    return buyer.call("POST", f"{SHOP}/checkout", body, **{"expect": 201, **expect})


def test_a_delivery_address_is_5_to_500_characters(souk_world: Any) -> None:
    world = souk_world(["payments", "shop"])
    shop_id, _ = open_shop(world, world.user("Bruna", "BR"), BULK)
    tiago = buyer_with_money(world, "Tiago")
    for delivery in ("x" * 4, "x" * 501):
        assert _checkout(tiago, shop_id, delivery=delivery, **INVALID)["error"]["code"] == "invalid_request"
    trimmed = _checkout(tiago, shop_id, delivery="  Rua  ", **REFUSED)
    assert trimmed["error"]["code"] == "order_refused"
    assert product(world, "RICE-5") == (MAX_QUANTITY + 5, 0)
    for delivery in ("x" * 5, "x" * 500):
        _checkout(tiago, shop_id, delivery=delivery)
    assert product(world, "RICE-5") == (MAX_QUANTITY + 5, 2)


def test_a_line_takes_1_to_max_quantity(souk_world: Any) -> None:
    world = souk_world(["payments", "shop"])
    shop_id, _ = open_shop(world, world.user("Bruna", "BR"), BULK)
    tiago = buyer_with_money(world, "Tiago")
    for quantity in (0, MAX_QUANTITY + 1):
        assert _checkout(tiago, shop_id, quantity, **INVALID)["error"]["code"] == "invalid_request"
    assert product(world, "RICE-5") == (MAX_QUANTITY + 5, 0)
    _checkout(tiago, shop_id, MAX_QUANTITY)
    assert product(world, "RICE-5") == (MAX_QUANTITY + 5, MAX_QUANTITY)


def test_sold_out_says_how_many_are_left_and_nothing_left_says_sold_out(souk_world: Any) -> None:
    world = souk_world(["payments", "shop"])
    shop_id, _ = open_shop(world, world.user("Bruna", "BR"), BULK)
    tiago = buyer_with_money(world, "Tiago")
    _checkout(tiago, shop_id, MAX_QUANTITY)
    _checkout(tiago, shop_id, 4)
    some_left = _checkout(tiago, shop_id, 2, **REFUSED)["error"]
    assert (some_left["code"], some_left["message"]) == ("sold_out", "only 1 of Rice sack left")
    _checkout(tiago, shop_id, 1)
    none_left = _checkout(tiago, shop_id, 1, **REFUSED)["error"]
    assert (none_left["code"], none_left["message"]) == ("sold_out", "Rice sack is sold out")
    assert product(world, "RICE-5") == (MAX_QUANTITY + 5, MAX_QUANTITY + 5)


def test_orders_are_numbered_from_the_first_number_up_and_a_cart_checks_out(souk_world: Any) -> None:
    world = souk_world(["payments", "shop"])
    shop_id, _ = open_shop(world, world.user("Bruna", "BR"), BULK)
    tiago = buyer_with_money(world, "Tiago")
    first, second = _checkout(tiago, shop_id), _checkout(tiago, shop_id)
    assert order_row(world, first["order_id"])["number"] == FIRST_ORDER_NUMBER
    assert order_row(world, second["order_id"])["number"] == FIRST_ORDER_NUMBER + 1
    reply = order_first_product_in_chat(tiago.app_chat("shop"))
    assert f"#{FIRST_ORDER_NUMBER + 2}" in reply.text
    assert product(world, "RICE-5") == (MAX_QUANTITY + 5, 3)
