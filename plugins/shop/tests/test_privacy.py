"""Who sees which orders, and what the shop learns about a buyer: never the phone number.

Two shops (Bruna's, with Ana as staff, and Carla's) and two buyers (Tiago buys
from Bruna, Maria from Carla), all over the harness's HTTP API.  Every
"not yours" answer is the same 404 as for an order or shop that does not
exist, so it does not even say that it exists.  Then the shop's database
files, every event and context it was handed, and what its staff are shown
are searched for the buyers' phone numbers and core user ids.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shop_support import (
    SHOP,
    add_staff,
    answer_payment,
    buyer_with_money,
    checkout,
    open_catalogue,
    open_shop,
    order_row,
)
from souk_sdk import Subscription
from souk_shop import flows
from souk_shop import plugin as shop_plugin

NOT_FOUND = 404


def spy_on_the_shop(monkeypatch) -> list[dict[str, Any]]:
    """Record every event the shop is handed, and the user of every checkout, as JSON-ready dicts."""
    seen: list[dict[str, Any]] = []
    checkout_flow = flows.checkout

    def spied(handler):
        async def handle(ctx, event):
            seen.append({"event": event.model_dump(mode="json"), "user": _user(ctx)})
            return await handler(ctx, event)

        return handle

    async def spied_checkout(ctx, *args, **kwargs):
        seen.append({"checkout": [args, kwargs], "user": _user(ctx)})
        return await checkout_flow(ctx, *args, **kwargs)

    subscriptions = [Subscription(s.type, spied(s.handler), s.source) for s in shop_plugin.app.subscriptions]
    monkeypatch.setattr(shop_plugin.app, "subscriptions", subscriptions)
    monkeypatch.setattr(flows, "checkout", spied_checkout)
    return seen


def _user(ctx) -> dict[str, Any] | None:
    return ctx.user.model_dump(mode="json") if ctx.user is not None else None


def error(user, path: str) -> dict[str, Any]:
    return user.call("GET", path, expect=NOT_FOUND)["error"]


def test_orders_are_seen_by_their_buyer_and_their_shop_only(souk_world, monkeypatch) -> None:
    seen = spy_on_the_shop(monkeypatch)
    world = souk_world(["payments", "shop"])
    bruna, carla, ana = world.user("Bruna", "BR"), world.user("Carla", "BR"), world.user("Ana", "BR")
    bruna_shop, _ = open_shop(world, bruna)
    add_staff(bruna, {"handle": "lojadabruna"}, ana)
    ana.app_chat("shop").send("/orders")
    carla_shop, carla_chat = open_catalogue(carla, "Casa da Carla", "casadacarla")
    carla_chat.press("Catalogue")
    carla_chat.submit(
        {"sku": "MUG", "name": "Mug", "price": "30.00", "stock": "5", "category": "", "tags": ""},
        action="save_product",
    )
    tiago, maria = buyer_with_money(world, "Tiago"), buyer_with_money(world, "Maria")
    tiago_order = checkout(tiago, bruna_shop, "SOCK-1", 2)
    maria_order = checkout(maria, carla_shop, "MUG", 1)
    answer_payment(tiago, tiago_order["payment_id"], "Confirm")
    answer_payment(maria, maria_order["payment_id"], "Confirm")
    world.settle()
    tiago_id, maria_id = tiago_order["order_id"], maria_order["order_id"]

    # Staff (owner and helper) see their own shop's orders, one each, and not the other shop's.
    staff_of = ((bruna, bruna_shop, tiago_id), (ana, bruna_shop, tiago_id), (carla, carla_shop, maria_id))
    for person, shop, order_id in staff_of:
        listed = person.call("GET", f"{SHOP}/shops/{shop}/orders")["orders"]
        assert [o["id"] for o in listed] == [order_id]
        assert person.call("GET", f"{SHOP}/orders/{order_id}")["status"] == "paid"
    nobody = error(bruna, f"{SHOP}/orders/o_0000000000000000")
    assert nobody == {"code": "not_found", "message": "no such order"}
    no_shop = error(bruna, f"{SHOP}/shops/s_0000000000000000/orders")
    assert no_shop["code"] == "not_found"
    for outsider, order_id in ((bruna, maria_id), (ana, maria_id), (carla, tiago_id)):
        assert error(outsider, f"{SHOP}/orders/{order_id}") == nobody
    for outsider, shop in ((bruna, carla_shop), (ana, carla_shop), (carla, bruna_shop)):
        assert error(outsider, f"{SHOP}/shops/{shop}/orders") == no_shop

    # Buyers see their own orders only; another buyer's order, or a shop's list, is a 404.
    assert [o["id"] for o in tiago.call("GET", f"{SHOP}/orders")["orders"]] == [tiago_id]
    assert [o["id"] for o in maria.call("GET", f"{SHOP}/orders")["orders"]] == [maria_id]
    assert error(tiago, f"{SHOP}/orders/{maria_id}") == nobody
    assert error(maria, f"{SHOP}/orders/{tiago_id}") == nobody
    assert error(tiago, f"{SHOP}/shops/{bruna_shop}/orders") == no_shop

    # What the shop knows about a buyer: its own id for them, their name and where to deliver.
    order = bruna.call("GET", f"{SHOP}/orders/{tiago_id}") | {"buyer": order_row(world, tiago_id)["buyer"]}
    other = carla.call("GET", f"{SHOP}/orders/{maria_id}") | {"buyer": order_row(world, maria_id)["buyer"]}
    core_ids = {tiago.profile["id"], maria.profile["id"]}
    assert {order["buyer"], other["buyer"]}.isdisjoint(core_ids)
    assert (order["buyer_name"], order["delivery"]) == ("Tiago", "Rua Augusta 100")
    events = [s for s in seen if "event" in s]
    paid = [s for s in events if s["event"]["type"] == "payment.succeeded"]
    assert sorted(s["user"]["id"] for s in paid) == sorted([order["buyer"], other["buyer"]])
    checkouts = [s for s in seen if "checkout" in s]
    assert [s["user"]["id"] for s in checkouts] == [order["buyer"], other["buyer"]]
    assert checkouts[0]["checkout"][0][2] == "Rua Augusta 100"
    assert [s["user"]["phone"] for s in seen if s["user"]] == [None] * len(seen)
    # The payments mini-app knows Tiago by another id: ids are per mini-app.
    pay_db = world.core.runtime.app_store("payments").db
    payer = pay_db.execute("SELECT payer FROM payments WHERE reference = ?", [tiago_id]).fetchone()[0]
    assert payer not in (order["buyer"], tiago.profile["id"])

    # Nowhere in the shop: not in its database files, not in what it was handed, not in what
    # its staff were shown in chat or over HTTP.
    secrets = set()
    for buyer in (tiago, maria):
        phone = buyer.profile["phone"]
        secrets |= {phone, phone.lstrip("+"), phone[3:], buyer.profile["id"]}
    store = world.core.runtime.app_store("shop")
    files = sorted(Path(store.path).parent.glob(Path(store.path).name + "*"))
    assert {f.name for f in files} >= {"shop.db", "shop.db-wal"}
    blobs = {f.name: f.read_bytes() for f in files}
    blobs["handed to the shop"] = json.dumps(seen).encode()
    staff_view = [m for person in (bruna, ana) for m in person.app_chat("shop").history()]
    blobs["shown to staff"] = json.dumps(staff_view).encode()
    blobs["staff API"] = json.dumps(
        [
            bruna.call("GET", f"{SHOP}/shops/{bruna_shop}/orders"),
            carla.call("GET", f"{SHOP}/shops/{carla_shop}/orders"),
        ]
    ).encode()
    for where, blob in blobs.items():
        for secret in secrets:
            assert secret.encode() not in blob, f"{secret} found in {where}"
    # ...while the scan does find what the shop is meant to know.
    assert order["buyer"].encode() in blobs["shop.db"] + blobs["shop.db-wal"]
    assert b"Rua Augusta 100" in blobs["shown to staff"]
