"""After paying, the buyer may ask the shop's business for its order updates, and only the buyer.

The thank-you card's **Get order updates** subscribes the buyer to the business's
``order_updates`` (``ctx.subscribe_to_business``, the buyer's own press): listed in their
settings, and what lets the business's staff write about the order after the 24-hour window.
"""

from __future__ import annotations

from typing import Any

from shop_support import buyer_with_money, open_shop, order_first_product_in_chat


def _paid(souk_world: Any) -> tuple[Any, Any, dict[str, Any]]:
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    open_shop(world, bruna)
    tiago = buyer_with_money(world, "Tiago")
    chat = tiago.app_chat("shop")
    order_first_product_in_chat(chat)
    chat.press("Confirm")
    world.settle()
    thanks = next(m for m in reversed(chat.history()) if m["text"].startswith("Thank you!"))
    return tiago, chat, thanks


def test_the_buyer_gets_order_updates_by_pressing_once_on_the_thanks(souk_world) -> None:
    tiago, chat, thanks = _paid(souk_world)
    mine = "/api/v1/businesses/lojadabruna/subscriptions"
    assert tiago.call("GET", mine)["subscriptions"] == []
    reply = chat.press("Get order updates", message=thanks)
    assert "Loja da Bruna may now write to you about your orders" in reply.text
    assert tiago.call("GET", mine)["subscriptions"] == ["order_updates"]
    listed = tiago.call("GET", "/api/v1/me/business-messages")["subscriptions"]
    assert [(s["handle"], s["kind"], s["source"]) for s in listed] == [
        ("lojadabruna", "order_updates", "confirmation")
    ]
    chat.press("Get order updates", message=thanks)  # again: nothing more
    assert len(tiago.call("GET", "/api/v1/me/business-messages")["subscriptions"]) == 1


def test_a_business_the_buyer_blocked_is_not_subscribed_to(souk_world) -> None:
    tiago, chat, thanks = _paid(souk_world)
    tiago.call("POST", "/api/v1/businesses/lojadabruna/block")
    reply = chat.press("Get order updates", message=thanks)
    assert "unblock it" in reply.text
    assert tiago.call("GET", "/api/v1/me/business-messages")["subscriptions"] == []
