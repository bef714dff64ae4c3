"""A shop is a business's catalogue: the business's staff run it, customers see the business.

Admins (and the owner) manage the catalogue; agents answer orders only; whoever leaves
the business's staff stops running its shop; the name customers see is the business's.
"""

from __future__ import annotations

import base64

from shop_support import SHOP, add_staff, answer_payment, buyer_with_money, checkout, open_business, open_shop

CSV = base64.b64encode(b"sku,name,price,stock\nMUG,Mug,30.00,5\n").decode()


def _buttons(screen) -> list[str]:
    return [b.label for c in screen.body for b in getattr(c, "buttons", None) or []]


def _import(person, shop_id: str, expect: int = 200) -> dict:
    body = {"shop_id": shop_id, "format": "csv", "content_base64": CSV}
    return person.call("POST", f"{SHOP}/imports", body, expect=expect)


def test_someone_without_a_business_is_told_to_create_one_first(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    ana = world.user("Ana", "BR")
    office = ana.app_chat("shop").send("/myshop")
    assert office.screen.title == "Open your shop"
    assert "Create your business first" in office.text
    assert _buttons(office.screen) == []


def test_an_admin_opens_the_catalogue_once_and_an_agent_answers_orders_only(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna, ana, caio = world.user("Bruna", "BR"), world.user("Ana", "BR"), world.user("Caio", "BR")
    business = open_business(bruna)
    add_staff(bruna, business, ana, "agent")
    add_staff(bruna, business, caio, "admin")
    agent_office = ana.app_chat("shop").send("/myshop")
    assert _buttons(agent_office.screen) == []
    assert "an admin of the business opens it" in agent_office.text
    admin_chat = caio.app_chat("shop")
    first = admin_chat.send("/myshop")
    assert _buttons(first.screen) == ["Open the catalogue"]
    assert _buttons(admin_chat.press("Open the catalogue").screen) == ["Catalogue", "Orders"]
    # The same button pressed again (or by a second admin at once) opens nothing more.
    assert _buttons(admin_chat.press("Open the catalogue", message=first.messages[-1]).screen) == [
        "Catalogue",
        "Orders",
    ]
    db = world.core.runtime.app_store("shop").db
    assert db.execute("SELECT COUNT(*), business_id, name, currency FROM shops").fetchone() == (
        1,
        business["id"],
        "Loja da Bruna",
        "BRL",
    )
    shop_id = db.execute("SELECT id FROM shops").fetchone()[0]
    assert _buttons(ana.app_chat("shop").send("/myshop").screen) == ["Orders"]
    assert _buttons(bruna.app_chat("shop").send("/myshop").screen) == ["Catalogue", "Orders"]
    assert _import(ana, shop_id, expect=404)["error"]["code"] == "not_found"
    assert _import(caio, shop_id)["created"] == 1
    assert ana.call("GET", f"{SHOP}/shops/{shop_id}/orders")["orders"] == []


def test_every_one_of_the_staff_is_told_of_a_paid_order_and_a_leaver_no_longer_sees_them(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna, ana = world.user("Bruna", "BR"), world.user("Ana", "BR")
    shop_id, _ = open_shop(world, bruna)
    add_staff(bruna, {"handle": "lojadabruna"}, ana)
    ana_chat = ana.app_chat("shop")
    ana_chat.send("/orders")
    tiago = buyer_with_money(world, "Tiago")
    order = checkout(tiago, shop_id, "SOCK-1", 2)
    answer_payment(tiago, order["payment_id"], "Confirm")
    world.settle()
    told = [m for m in ana_chat.history() if (m["screen"] or {}).get("title") == "Order #1001"]
    assert len(told) == 1
    accepted = ana_chat.press("Accept", message=told[0])
    assert "accepted" in accepted.text
    assert len(ana.call("GET", f"{SHOP}/shops/{shop_id}/orders")["orders"]) == 1
    bruna.call("DELETE", f"/api/v1/businesses/lojadabruna/staff/{ana.profile['id']}")
    assert ana.call("GET", f"{SHOP}/shops/{shop_id}/orders", expect=404)["error"]["code"] == "not_found"
    assert ana.call("GET", f"{SHOP}/orders/{order['order_id']}", expect=404)["error"]["code"] == "not_found"
    assert _buttons(ana_chat.send("/myshop").screen) == []


def test_customers_see_the_business_name(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    shop_id, _ = open_shop(world, bruna)
    bruna.call("PATCH", "/api/v1/businesses/lojadabruna", {"name": "Bruna Corre"})
    tiago = buyer_with_money(world, "Tiago")
    names = [s["name"] for s in tiago.call("GET", f"{SHOP}/shops")["shops"]]
    assert names == ["Bruna Corre"]
    assert "Bruna Corre" in tiago.app_chat("shop").send("/shop").text
    order = checkout(tiago, shop_id, "SOCK-1", 1)
    assert "Paid ✓ R$\xa015,00 to Bruna Corre (through Shop)" in answer_payment(
        tiago, order["payment_id"], "Confirm"
    )


def test_the_name_kept_beside_orders_follows_the_business_when_its_staff_look(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    shop_id, chat = open_shop(world, bruna)
    bruna.call("PATCH", "/api/v1/businesses/lojadabruna", {"name": "Bruna Corre"})
    db = world.core.runtime.app_store("shop").db
    assert db.execute("SELECT name FROM shops WHERE id = ?", [shop_id]).fetchone() == ("Loja da Bruna",)
    assert chat.send("/myshop").screen.body[0].title == "Bruna Corre"
    assert db.execute("SELECT name FROM shops WHERE id = ?", [shop_id]).fetchone() == ("Bruna Corre",)


def test_the_shop_of_a_closed_business_is_no_longer_listed(souk_world) -> None:
    world = souk_world(["payments", "shop"])
    bruna, carla = world.user("Bruna", "BR"), world.user("Carla", "BR")
    open_shop(world, bruna)
    open_shop(world, carla, name="Casa da Carla", handle="casadacarla")
    tiago = buyer_with_money(world, "Tiago")
    assert [s["name"] for s in tiago.call("GET", f"{SHOP}/shops")["shops"]] == [
        "Casa da Carla",
        "Loja da Bruna",
    ]
    bruna.erase()  # the owner, and its only admin: the business is closed
    assert [s["name"] for s in tiago.call("GET", f"{SHOP}/shops")["shops"]] == ["Casa da Carla"]
