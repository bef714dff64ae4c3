"""Events are owned: nobody reports a payment it did not take, or speaks in another mini-app's name.

A real shop and real payments run in the harness with two rogue mini-apps
beside them.  ``Forger`` knows an order's reference, amount and currency (a
buyer told it) and tries every way to have the shop believe it was paid:
``tx.emit`` of ``payment.succeeded`` to the shop, the same row written
straight into its own outbox table (which a mini-app can do: the table is
in its own database), events in the shop's and payments' namespaces.
Every attempt is refused, the shop's handlers run 0 times for them, and the
order stays unpaid.  Then a subscriber shows that a mini-app gets exactly
what it subscribed to: from one emitter, of one type, once per delivery.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest
from pydantic import BaseModel
from shop_support import checkout, open_shop, order_row, product
from souk_sdk import FROM_SELF, Event, Manifest, MiniApp, SoukError, Subscription
from souk_shop.plugin import app as shop_app

SHOP = "/api/v1/apps/shop"


class Counted:
    """Wraps the shop's subscription handlers to count what reaches them, by type."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: Counter[str] = Counter()

        def counting(handler: Any) -> Any:
            async def handle(ctx: Any, event: Event) -> Any:
                self.calls[event.type] += 1
                return await handler(ctx, event)

            return handle

        wrapped = [Subscription(s.type, counting(s.handler), s.source) for s in shop_app.subscriptions]
        monkeypatch.setattr(shop_app, "subscriptions", wrapped)


class Target(BaseModel):
    order_id: str
    amount: int


def forger() -> MiniApp:
    app = MiniApp(Manifest(name="forger", title="Forger", version="1.0.0", sdk=">=1.1,<2"))
    outcomes: list[str] = []
    app.outcomes = outcomes  # type: ignore[attr-defined]

    def payment(order_id: str, amount: int) -> dict[str, Any]:
        return {"payment_id": "pay_forged", "reference": order_id, "amount": amount, "currency": "BRL"}

    attempts = {
        "emit": lambda tx, a: tx.emit("payment.succeeded", payment(a.order_id, a.amount), to="shop"),
        "emit_failed": lambda tx, a: tx.emit("payment.failed", payment(a.order_id, a.amount), to="shop"),
        "namespace": lambda tx, a: tx.emit("shop.reservation_expired", {"order_id": a.order_id}, to="shop"),
        "payments": lambda tx, a: tx.emit("payments.checkout_expired", {"payment_id": "x"}, to="payments"),
        "outbox": lambda tx, a: _write_outbox(tx, "payment.succeeded", payment(a.order_id, a.amount)),
        "outbox_ns": lambda tx, a: _write_outbox(tx, "shop.reservation_expired", {"order_id": a.order_id}),
    }

    def forging(name: str, attempt: Any) -> Any:
        async def forge(ctx: Any, args: Target) -> str:
            try:
                await ctx.transaction(lambda tx: attempt(tx, args))
            except (SoukError, ValueError) as exc:
                outcomes.append(f"{name}: refused")
                return f"refused: {exc}"
            outcomes.append(f"{name}: written")
            return "written"

        return forge

    for name, attempt in attempts.items():
        app.command(f"forge_{name}", help=f"Try: {name}", args=Target, scopes=[])(forging(name, attempt))
    return app


def _write_outbox(tx: Any, type: str, data: dict[str, Any]) -> None:
    """Past the SDK: a row in the outbox table of its own database, as if the core had written it."""
    tx.db["_souk_outbox"].insert(
        {
            "id": f"e_forged_{type}",
            "type": type,
            "data": json.dumps(data),
            "target": "shop",
            "created_at": "2030-01-01T12:00:00+00:00",
        }
    )


def test_no_mini_app_can_report_a_payment_it_did_not_take(souk_world, monkeypatch) -> None:
    counted = Counted(monkeypatch)
    rogue = forger()
    world = souk_world(["payments", "shop", rogue])
    bruna, tiago = world.user("Bruna", "BR"), world.user("Tiago", "BR")
    shop_id, _ = open_shop(world, bruna)
    tiago.app_chat("shop").send("/orders")  # allow the shop
    order = checkout(tiago, shop_id, "SHOE-RED", 1)
    chat = tiago.app_chat("forger")

    answers = {
        name: chat.send(f"/forge_{name} {order['order_id']} {order['total']}").text
        for name in ("emit", "emit_failed", "namespace", "payments", "outbox", "outbox_ns")
    }
    world.settle()
    world.advance(minutes=1)

    # Through the SDK: refused at once, with a reason.
    for name in ("emit", "emit_failed"):
        assert "forger took no payment request of shop" in answers[name], answers[name]
    assert "shop.reservation_expired belongs to shop" in answers["namespace"]
    assert "payments.checkout_expired belongs to payments" in answers["payments"]
    # Past the SDK: the rows were written, and the relay refused them on delivery.
    assert answers["outbox"] == answers["outbox_ns"] == "written"
    rogue_db = world.core.runtime.app_store("forger").db
    refused = rogue_db.execute("SELECT type, dead_at IS NOT NULL, problem FROM _souk_outbox").fetchall()
    assert sorted(r[0] for r in refused) == ["payment.succeeded", "shop.reservation_expired"]
    assert all(r[1] and r[2] for r in refused), refused
    # The shop was handed none of it: 0 calls; the order is still waiting for its real payment.
    assert counted.calls == Counter()
    assert order_row(world, order["order_id"])["status"] == "awaiting_payment"
    assert product(world, "SHOE-RED") == (3, 1)


def test_payment_outcomes_come_only_from_the_provider_that_took_the_request(souk_world, monkeypatch) -> None:
    counted = Counted(monkeypatch)
    world = souk_world(["payments", "shop", forger()])
    bruna, tiago = world.user("Bruna", "BR"), world.user("Tiago", "BR")
    shop_id, _ = open_shop(world, bruna)
    wallet = tiago.app_chat("payments")
    wallet.send("/topup")
    wallet.submit({"amount": "500.00", "card": "4242 4242 4242 4242"})
    tiago.app_chat("shop").send("/orders")
    order = checkout(tiago, shop_id, "SHOE-RED", 1)
    # A forged success first, then the real one through payments.
    tiago.app_chat("forger").send(f"/forge_emit {order['order_id']} {order['total']}")
    confirm = next(m for m in reversed(wallet.history()) if m["screen"] and "Pay " in m["text"])
    wallet.press("Confirm", message=confirm)
    world.settle()
    assert counted.calls == Counter({"payment.succeeded": 1})
    assert order_row(world, order["order_id"])["status"] == "paid"


def echo_source() -> MiniApp:
    """Emits ``beacon.ping`` and ``beacon.other`` on command, and sets a timer of its own."""
    app = MiniApp(
        Manifest(name="beacon", title="Beacon", version="1.0.0", emits=["beacon.ping", "beacon.other"])
    )

    @app.command("beacon", help="Emit", scopes=[])
    async def beacon(ctx: Any, args: Any) -> str:
        await ctx.emit("beacon.ping", {})
        await ctx.emit("beacon.other", {})
        return "sent"

    return app


def listener(received: list[tuple[str, str, str]], fail_first: int = 0) -> MiniApp:
    app = MiniApp(Manifest(name="listener", title="Listener", version="1.0.0", emits=["listener.ping"]))
    failures = [fail_first]

    @app.on("beacon.ping", source="beacon")
    async def on_ping(ctx: Any, event: Event) -> None:
        received.append((event.source, event.type, event.id))
        if failures[0] > 0:
            failures[0] -= 1
            raise ConnectionError("down for a moment")

    @app.command("echo", help="Emit a ping of my own", scopes=[])
    async def echo(ctx: Any, args: Any) -> str:
        await ctx.emit("listener.ping", {})  # the same word, another emitter: not subscribed
        await ctx.transaction(lambda tx: tx.schedule("listener.tick", {}, after=dt.timedelta(minutes=1)))
        return "echoed"

    app.add(
        Subscription("listener.tick", lambda ctx, event: received.append(("self", event.type, "")), FROM_SELF)
    )
    return app


def test_a_subscriber_receives_exactly_what_it_subscribed_to(souk_world) -> None:
    received: list[tuple[str, str, str]] = []
    world = souk_world([echo_source(), listener(received, fail_first=1)])
    ana = world.user("Ana", "BR")
    for _ in range(5):
        ana.app_chat("beacon").send("/beacon")
    ana.app_chat("listener").send("/echo")
    world.settle()
    world.advance(minutes=2)  # the failed delivery's retry, and the timer
    pings = [r for r in received if r[1] == "beacon.ping"]
    assert all(source == "beacon" for source, _, _ in pings)
    # 5 events, each once per delivery attempt: the one that failed came twice, the others once.
    assert sorted(Counter(event_id for _, _, event_id in pings).values()) == [1, 1, 1, 1, 2]
    assert not [r for r in received if r[1] in ("beacon.other", "listener.ping")]
    assert [r for r in received if r[0] == "self"] == [("self", "listener.tick", "")]


def test_a_subscription_to_what_does_not_exist_is_a_warning_naming_it(souk_world, caplog) -> None:
    app = MiniApp(Manifest(name="hopeful", title="Hopeful", version="1.0.0"))
    app.add(
        Subscription("ghost.boo", lambda ctx, event: None, "ghost"),
        Subscription("beacon.nothing", lambda ctx, event: None, "beacon"),
    )
    with caplog.at_level("WARNING", logger="souk.miniapps.registry"):
        souk_world([echo_source(), app])
    warnings = [r.getMessage() for r in caplog.records if r.name == "souk.miniapps.registry"]
    assert any(
        "hopeful subscribes to ghost.boo from 'ghost', which is not installed" in w for w in warnings
    ), warnings
    assert any("beacon.nothing from beacon, which does not declare it" in w for w in warnings), warnings
