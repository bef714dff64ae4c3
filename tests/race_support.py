"""A small market to race in: Loja da Bruna, its owner and a clerk, a buyer with money; and the checks
that every race must leave true.

The people act through what people use: HTTP routes, and raw presses on the
cards in their own chats (``Chat.act``, safe from several threads at once).
:meth:`Market.check` then compares the books with the orders: the ledger's own
invariants (``souk_payments.check.problems``), the buyer's and the shop's
money against what the orders say was paid and refunded, and each product's
stock and reservations against the orders that hold them.
"""

from __future__ import annotations

import base64
import os
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from souk_payments.check import problems
from souk_sdk import ui
from souk_sdk.testing import Answer, Chat, User, World, race
from sqlite_utils import Database
from stress import STRESS

ROUNDS = 20 if STRESS else 3
"""How many times each race is run (``SOUK_STRESS=1``: 20)."""

SHOP = "/api/v1/apps/shop"
PAYMENTS = "/api/v1/apps/payments"
PRICE, STOCK, START = 12_000, 500, 1_000_000
"""The product's price (R$120.00), its stock, and the buyer's money (R$10,000.00), in minor units."""
SOLD = ("paid", "accepted", "shipped")
SEED = int(os.environ.get("SOUK_SEED", random.randrange(2**32)))
_ORDER = random.Random(SEED)


def contest(*calls: Callable[[], Any], times: int = 1) -> list[Any]:
    """:func:`souk_sdk.testing.race`, with the contenders started in a random order each time (the
    same order would crown the same one); their results in the order given.  The tests print
    the seed with their counts: ``SOUK_SEED=...`` runs the same orders again."""
    jobs = [(n, call) for n, call in enumerate(calls) for _ in range(times)]
    _ORDER.shuffle(jobs)
    results = race(*(call for _, call in jobs))
    by_call: dict[int, list[Any]] = {}
    for (n, _), result in zip(jobs, results, strict=True):
        by_call.setdefault(n, []).append(result)
    return [result for n in range(len(calls)) for result in by_call[n]]


def ok(answer: Any) -> bool:
    return isinstance(answer, Answer) and answer.status == 200


def lost(answer: Any) -> bool:
    """The loser of a race on one card: ``409 already_done``, without running anything."""
    return isinstance(answer, Answer) and (answer.status, answer.error) == (409, "already_done")


def card(chat: Chat, title: str, **payload: str) -> dict[str, Any]:
    """The latest message of ``chat`` with a screen titled ``title`` whose buttons carry ``payload``."""
    for message in reversed(chat.history()):
        screen = message["screen"]
        if not screen or ui.Screen.model_validate(screen).title != title:
            continue
        found = [c.payload for c in ui.Screen.model_validate(screen).interactive()]
        if all(any(p.get(k) == v for p in found) for k, v in payload.items()):
            return message
    raise AssertionError(f"no {title!r} card with {payload} in this chat")


@dataclass
class Market:
    world: World
    owner: User
    clerk: User
    buyer: User
    shop_id: str

    @classmethod
    def open(cls, world: World) -> Market:
        owner, clerk, buyer = (world.user(name, "BR") for name in ("Bruna", "Caio", "Tiago"))
        business = {"name": "Loja da Bruna", "handle": "lojadabruna", "category": "shop"}
        owner.call("POST", "/api/v1/businesses", business)
        office = owner.app_chat("shop")
        office.send("/myshop")
        office.press("Open the catalogue")
        shop_id = owner.call("GET", f"{SHOP}/shops")["shops"][0]["id"]
        catalogue = f"sku,name,price,stock\nSHOE,Red running shoes,{PRICE / 100:.2f},{STOCK}\n"
        content = base64.b64encode(catalogue.encode()).decode()
        owner.call(
            "POST", f"{SHOP}/imports", {"shop_id": shop_id, "format": "csv", "content_base64": content}
        )
        clerk.app_chat("shop").send("/orders")  # allows the Shop, as a clerk would on first use
        owner.call("POST", "/api/v1/businesses/lojadabruna/staff", {"handle": clerk.handle, "role": "agent"})
        buyer.app_chat("shop").send("/orders")
        buyer.app_chat("payments").send("/wallet")
        topup = {"amount": f"{START / 100:.2f}", "card": "4242 4242 4242 4242", "idempotency_key": "start"}
        buyer.call("POST", f"{PAYMENTS}/topups", topup, expect=201)
        return cls(world, owner, clerk, buyer, shop_id)

    # -- acting as people do ---------------------------------------------------------------

    def checkout(self, quantity: int = 1, key: str | None = None) -> dict[str, Any]:
        body = {
            "shop_id": self.shop_id,
            "items": [{"sku": "SHOE", "quantity": quantity}],
            "delivery": "Rua A 1",
        }
        if key is not None:
            body["idempotency_key"] = key
        return self.buyer.call("POST", f"{SHOP}/checkout", body, expect=201)

    def payment_card(self, payment_id: str) -> tuple[Chat, dict[str, Any]]:
        chat = self.buyer.app_chat("payments")
        return chat, card(chat, "Pay Loja da Bruna", payment_id=payment_id)

    def paid_order(self, quantity: int = 1) -> dict[str, Any]:
        """An order the buyer paid: each staff member now has its page in their chat with the Shop."""
        order = self.checkout(quantity)
        chat, message = self.payment_card(order["payment_id"])
        assert ok(chat.act("Confirm", message=message))
        self.world.settle()
        assert self.order(order["order_id"])["status"] == "paid"
        return order

    def page(self, staff: User, order_id: str) -> tuple[Chat, dict[str, Any]]:
        """``staff``'s own page of the order: the one they were sent, or the one they open from /orders."""
        chat = staff.app_chat("shop")
        ref = f"Order #{self.order(order_id)['number']}"
        try:
            return chat, card(chat, ref, order_id=order_id)
        except AssertionError:
            chat.send("/orders")
            chat.press(f"Open #{self.order(order_id)['number']}")
            return chat, card(chat, ref, order_id=order_id)

    def accepted_order(self) -> dict[str, Any]:
        order = self.paid_order()
        chat, page = self.page(self.owner, order["order_id"])
        assert ok(chat.act("Accept", message=page))
        self.world.settle()
        assert self.order(order["order_id"])["status"] == "accepted"
        return order

    # -- reading the books -----------------------------------------------------------------

    @property
    def shop_db(self) -> Database:
        return self.world.core.runtime.app_store("shop").db

    @property
    def payments_db(self) -> Database:
        return self.world.core.runtime.app_store("payments").db

    def order(self, order_id: str) -> dict[str, Any]:
        return next(iter(self.shop_db.query("SELECT * FROM orders WHERE id = ?", [order_id])))

    def payment(self, payment_id: str) -> dict[str, Any]:
        return next(iter(self.payments_db.query("SELECT * FROM payments WHERE id = ?", [payment_id])))

    def balance(self, kind: str, owner: str) -> int:
        row = self.payments_db.execute(
            "SELECT balance FROM accounts WHERE kind = ? AND owner = ?", [kind, owner]
        ).fetchone()
        return row[0] if row else 0

    def buyer_wallet(self) -> int:
        return self.buyer.call("GET", f"{PAYMENTS}/wallet")["balance"]

    def told(self, part: str) -> int:
        """How many messages in the buyer's chat with the Shop say ``part``."""
        return len([m for m in self.buyer.app_chat("shop").history() if part in m["text"]])

    def check(self) -> None:
        """The books agree with the orders, and the ledger with itself."""
        self.world.settle()
        assert problems(self.payments_db) == []
        orders = list(self.shop_db.query("SELECT * FROM orders"))
        payments = {p["reference"]: p for p in self.payments_db.query("SELECT * FROM payments")}
        captured = sum(p["captured"] for p in payments.values())
        refunded = sum(p["refunded"] for p in payments.values())
        assert self.buyer_wallet() == START - captured + refunded
        assert self.balance("merchant", "shop") == captured - refunded
        nothing = {"captured": 0, "refunded": 0}
        for order in orders:
            payment = payments.get(order["id"], nothing)
            kept = payment["captured"] - payment["refunded"]
            # An order keeps the money only while it is sold; any other ends with the money back.
            assert kept == (order["total"] if order["status"] in SOLD else 0), (order, payment)
            assert order["refunded"] == payment["refunded"], (order, payment)
        items = {o["id"]: o for o in orders}
        lines = list(self.shop_db.query("SELECT order_id, quantity FROM order_items"))
        sold = sum(li["quantity"] for li in lines if items[li["order_id"]]["status"] in SOLD)
        held = sum(li["quantity"] for li in lines if items[li["order_id"]]["status"] == "awaiting_payment")
        stock, reserved = self.shop_db.execute("SELECT stock, reserved FROM products").fetchone()
        assert (stock, reserved) == (STOCK - sold, held)


def new_key() -> str:
    return uuid.uuid4().hex
