"""Set-up steps shared by the shop's harness tests: a shop with products, buyers with money, paying."""

from __future__ import annotations

from typing import Any

from souk_sdk import ui

CARD_OK = "4242 4242 4242 4242"
SHOP = "/api/v1/apps/shop"
PRODUCTS = (
    ("SHOE-RED", "Red running shoes", "120.00", "3", "shoes", "running,red"),
    ("SOCK-1", "Wool socks", "15.00", "10", "socks", "wool"),
)


def open_business(owner: Any, name: str = "Loja da Bruna", handle: str = "lojadabruna") -> dict[str, Any]:
    """A business of ``owner``'s, made through the core's API as a person makes one."""
    return owner.call("POST", "/api/v1/businesses", {"name": name, "handle": handle, "category": "shop"})


def add_staff(owner: Any, business: dict[str, Any], person: Any, role: str = "agent") -> None:
    owner.call(
        "POST", f"/api/v1/businesses/{business['handle']}/staff", {"handle": person.handle, "role": role}
    )


def open_catalogue(owner: Any, name: str = "Loja da Bruna", handle: str = "lojadabruna") -> tuple[str, Any]:
    """``owner``'s business, and its catalogue opened from /myshop; (shop id, the owner's shop chat)."""
    open_business(owner, name, handle)
    chat = owner.app_chat("shop")
    office = chat.send("/myshop")
    assert office.screen.title == "Your shops"
    assert chat.press("Open the catalogue").screen.title == "Your shops"
    shop_id = next(s["id"] for s in owner.call("GET", f"{SHOP}/shops")["shops"] if s["name"] == name)
    return shop_id, chat


def open_shop(
    world: Any,
    owner: Any,
    products: tuple[tuple[str, ...], ...] = PRODUCTS,
    name: str = "Loja da Bruna",
    handle: str = "lojadabruna",
) -> tuple[str, Any]:
    """Open a business ("Loja da Bruna") and its catalogue, and add ``products``; (shop id, owner chat)."""
    shop_id, chat = open_catalogue(owner, name, handle)
    chat.press("Catalogue")
    for sku, name, price, stock, category, tags in products:
        saved = chat.submit(
            {"sku": sku, "name": name, "price": price, "stock": stock, "category": category, "tags": tags},
            action="save_product",
        )
        assert f"{name} ({sku}): created." in saved.text
    return shop_id, chat


def buyer_with_money(
    world: Any, name: str, country: str = "BR", amount: str = "500.00", allow_shop: bool = True
) -> Any:
    """A user who topped up ``amount`` (allowing payments) and, with ``allow_shop``, allowed the shop."""
    user = world.user(name, country)
    wallet = user.app_chat("payments")
    wallet.send("/topup")
    assert "done" in wallet.submit({"amount": amount, "card": CARD_OK}).text
    if allow_shop:
        user.app_chat("shop").send("/orders")
    return user


def order_first_product_in_chat(chat: Any) -> Any:
    """Open the shop from /shop, put its first product in the cart, and check out; the reply."""
    chat.send("/shop")
    chat.press("Open")
    chat.press("Add to cart")
    chat.send("/cart")
    return chat.submit({"delivery": "Rua Augusta 100"}, action="checkout")


def checkout(buyer: Any, shop_id: str, sku: str, quantity: int = 1, **kwargs: Any) -> dict[str, Any]:
    """POST /checkout for one line; the answer (201 by default)."""
    body = {"shop_id": shop_id, "items": [{"sku": sku, "quantity": quantity}], "delivery": "Rua Augusta 100"}
    return buyer.call("POST", f"{SHOP}/checkout", body, **{"expect": 201, **kwargs})


def answer_payment(buyer: Any, payment_id: str, label: str) -> str:
    """Press ``label`` (Confirm or Cancel) on the "Pay <shop>" screen of ``payment_id``; the reply's text."""
    chat = buyer.app_chat("payments")
    for message in reversed(chat.history()):
        screen = ui.Screen.model_validate(message["screen"]) if message["screen"] else None
        if screen is None or not screen.title.startswith("Pay "):
            continue
        for component in screen.interactive():
            if getattr(component, "payload", {}).get("payment_id") == payment_id:
                return chat.press(label, message=message).text
    raise AssertionError(f"no payment screen for {payment_id}")


def product(world: Any, sku: str) -> tuple[int, int]:
    """(stock, reserved) of a product, read from the shop's own database."""
    db = world.core.runtime.app_store("shop").db
    return db.execute("SELECT stock, reserved FROM products WHERE sku = ?", [sku]).fetchone()


def order_row(world: Any, order_id: str) -> dict[str, Any]:
    db = world.core.runtime.app_store("shop").db
    return next(iter(db.query("SELECT * FROM orders WHERE id = ?", [order_id])))


def ref(world: Any, order_id: str) -> str:
    """How the shop names the order to people: ``Order #1001``."""
    return f"Order #{order_row(world, order_id)['number']}"


def wallet(buyer: Any) -> int:
    return buyer.call("GET", "/api/v1/apps/payments/wallet")["available"]


def merchant_balance(world: Any) -> int:
    db = world.core.runtime.app_store("payments").db
    row = db.execute("SELECT balance FROM accounts WHERE kind = 'merchant' AND owner = 'shop'").fetchone()
    return row[0] if row else 0


def refunds(world: Any) -> list[tuple[int, str]]:
    db = world.core.runtime.app_store("payments").db
    return db.execute("SELECT amount, reason FROM refunds ORDER BY created_at").fetchall()


def texts(chat: Any) -> list[str]:
    return [m["text"] for m in chat.history()]
