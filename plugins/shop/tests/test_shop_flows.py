"""The shop as people use it: open a shop, stock it, find a product, order, pay, accept, ship, cancel."""

from __future__ import annotations

from shop_support import add_staff, buyer_with_money, open_shop, order_first_product_in_chat
from souk_payments.check import problems


def test_find_order_pay_accept_ship(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    open_shop(world, bruna)
    tiago = buyer_with_money(world, "Tiago")
    chat = tiago.app_chat("shop")
    shelves = chat.send("/shop")
    assert "Loja da Bruna" in shelves.text
    chat.press("Open")
    found = chat.submit({"q": "red shoe"}, action="search")
    assert found.screen.body[-1].title == "Red running shoes"
    assert "R$\xa0120,00 · 3 in stock" in found.text
    assert "1 x Red running shoes in your cart" in chat.press("Add to cart").text
    cart = chat.send("/cart")
    assert "Pay R$\xa0120,00" in cart.text
    reserved = chat.submit({"delivery": "Tiago, Rua Augusta 100, São Paulo"}, action="checkout")
    assert "is reserved for you" in reserved.text
    assert "Pay Loja da Bruna" in reserved.text and "Order #1001" in reserved.text
    paid = chat.press("Confirm")
    assert "Paid ✓ R$\xa0120,00 to Loja da Bruna (through Shop)" in paid.text
    world.settle()
    assert any("Thank you!" in m["text"] for m in chat.history())
    owner_chat = bruna.app_chat("shop")
    order_card = owner_chat.history()[-1]
    assert order_card["screen"]["title"] == "Order #1001"
    assert "Deliver to: Tiago, Rua Augusta 100" in order_card["text"]
    owner_chat.press("Accept", message=order_card)
    shipped = owner_chat.press("Mark shipped")
    assert "shipped" in shipped.text
    buyer_news = [m["text"] for m in chat.history()]
    assert any("is now accepted" in t for t in buyer_news) and any("is now shipped" in t for t in buyer_news)
    shop_db = world.core.runtime.app_store("shop").db
    row = shop_db.execute("SELECT stock, reserved FROM products WHERE sku = 'SHOE-RED'").fetchone()
    assert row == (2, 0)
    pay_db = world.core.runtime.app_store("payments").db
    merchant = pay_db.execute(
        "SELECT balance FROM accounts WHERE kind = 'merchant' AND owner = 'shop'"
    ).fetchone()
    assert merchant == (12000,)
    assert problems(pay_db) == []


def test_cancel_after_payment_refunds_and_returns_stock_once(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    open_shop(world, bruna)
    tiago = buyer_with_money(world, "Tiago")
    chat = tiago.app_chat("shop")
    order_first_product_in_chat(chat)
    chat.press("Confirm")
    world.settle()
    owner_chat = bruna.app_chat("shop")
    card = owner_chat.history()[-1]
    cancelled = owner_chat.press("Cancel order", message=card)
    assert "cancelled" in cancelled.text and "Refunded R$\xa0120,00" in cancelled.text
    again = owner_chat.press("Cancel order", message=card, expect=409)
    assert again.error == "already_done"
    shop_db = world.core.runtime.app_store("shop").db
    assert shop_db.execute("SELECT stock, reserved FROM products WHERE sku = 'SHOE-RED'").fetchone() == (3, 0)
    pay_db = world.core.runtime.app_store("payments").db
    assert pay_db.execute("SELECT COUNT(*), SUM(amount) FROM refunds").fetchone() == (1, 12000)
    assert tiago.call("GET", "/api/v1/apps/payments/wallet")["available"] == 50000
    assert any("Your money was refunded" in m["text"] for m in chat.history())
    assert problems(pay_db) == []


def test_failed_and_expired_payments_give_the_stock_back(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    open_shop(world, bruna)
    tiago = world.user("Tiago", "BR")
    chat = tiago.app_chat("shop")
    order_first_product_in_chat(chat)
    shop_db = world.core.runtime.app_store("shop").db
    assert shop_db.execute("SELECT reserved FROM products WHERE sku = 'SHOE-RED'").fetchone() == (1,)
    assert "Not paid: cancelled by the payer" in chat.press("Cancel").text
    world.settle()
    assert shop_db.execute("SELECT reserved FROM products WHERE sku = 'SHOE-RED'").fetchone() == (0,)
    assert shop_db.execute("SELECT status FROM orders").fetchone() == ("failed",)
    # The failed order's lines are back in the cart, ready to try again.
    assert "1 x Red running shoes" in chat.send("/cart").text
    chat.submit({"delivery": "Rua Augusta 100"}, action="checkout")
    world.advance(minutes=16)
    statuses = [r[0] for r in shop_db.execute("SELECT status FROM orders ORDER BY created_at, id")]
    assert sorted(statuses) == ["failed", "failed"]
    assert shop_db.execute("SELECT stock, reserved FROM products WHERE sku = 'SHOE-RED'").fetchone() == (3, 0)


def test_staff_see_their_shop_orders_only(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    shop_id, _ = open_shop(world, bruna)
    tiago = buyer_with_money(world, "Tiago", allow_shop=False)
    ana = world.user("Ana", "BR")
    answer = tiago.call(
        "POST",
        "/api/v1/apps/shop/checkout",
        {"shop_id": shop_id, "items": [{"sku": "SOCK-1", "quantity": 2}], "delivery": "Rua Augusta 100"},
        expect=(201, 403),
    )
    if "error" in answer:
        tiago.app_chat("shop").send("/orders")
        answer = tiago.call(
            "POST",
            "/api/v1/apps/shop/checkout",
            {"shop_id": shop_id, "items": [{"sku": "SOCK-1", "quantity": 2}], "delivery": "Rua Augusta 100"},
            expect=201,
        )
    order_id = answer["order_id"]
    assert bruna.call("GET", f"/api/v1/apps/shop/orders/{order_id}")["id"] == order_id
    ana.app_chat("shop").send("/orders")
    assert ana.call("GET", f"/api/v1/apps/shop/orders/{order_id}", expect=404)["error"]["code"] == "not_found"
    assert (
        ana.call("GET", f"/api/v1/apps/shop/shops/{shop_id}/orders", expect=404)["error"]["code"]
        == "not_found"
    )
    assert len(bruna.call("GET", f"/api/v1/apps/shop/shops/{shop_id}/orders")["orders"]) == 1
    add_staff(bruna, {"handle": "lojadabruna"}, ana)
    assert len(ana.call("GET", f"/api/v1/apps/shop/shops/{shop_id}/orders")["orders"]) == 1


def test_a_product_shared_into_a_chat_is_a_card_with_a_view_button(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    open_shop(world, bruna)
    tiago = world.user("Tiago", "BR")
    code = world.core.runtime.app_store("shop").db.execute("SELECT code FROM products WHERE sku = 'SOCK-1'")
    code = code.fetchone()[0]
    chat = tiago.direct_chat(bruna)
    shared = chat.send(f"/product {code}")
    assert shared.screen.title == "From Loja da Bruna"
    assert shared.messages[-1]["private"] is False
    viewed = bruna.chat(chat.conversation_id).press("View")
    assert viewed.screen.title == "Wool socks"


def test_a_shared_product_cannot_be_bought_from_another_country(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    open_shop(world, bruna)
    asha = world.user("Asha", "IN")
    code = world.core.runtime.app_store("shop").db.execute("SELECT code FROM products WHERE sku = 'SOCK-1'")
    code = code.fetchone()[0]
    chat = bruna.group_chat("Friends", [asha])
    chat.send(f"/product {code}")
    seen = asha.chat(chat.conversation_id).press("View")
    assert "Loja da Bruna sells only in its own country (BR)" in seen.text
    assert world.core.runtime.app_store("shop").db["carts"].count == 0


def test_orders_of_an_owner_begin_with_the_shops_and_a_buyer_sees_theirs(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    open_shop(world, bruna)
    tiago = buyer_with_money(world, "Tiago")
    order_first_product_in_chat(tiago.app_chat("shop"))

    owner = bruna.app_chat("shop").send("/orders").screen
    assert [card.title for card in owner.body] == ["Loja da Bruna: orders"]  # no empty list of her own
    assert "No orders yet." not in bruna.app_chat("shop").send("/orders").text
    buyer = tiago.app_chat("shop").send("/orders").screen
    assert [card.title for card in buyer.body] == ["Your orders"]
    newcomer = world.user("Ana", "BR").app_chat("shop").send("/orders")
    assert [card.title for card in newcomer.screen.body] == ["Your orders"]
    assert "No orders yet." in newcomer.text

    order_first_product_in_chat(bruna.app_chat("shop"))  # the owner buys too: both, her shop's first
    both = bruna.app_chat("shop").send("/orders").screen
    assert [card.title for card in both.body] == ["Loja da Bruna: orders", "Your orders"]
