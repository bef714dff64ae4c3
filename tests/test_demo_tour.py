"""The demo, walked through as a newcomer would, over the real HTTP API of ``souk serve --demo``.

An Indian user tops up and pays another in a chat; a Brazilian user tops up,
finds a product by search, orders and pays; the shop's owner accepts and ships
it; a French user is told payments are not available; the ledger checks clean
and the stock agrees with the orders.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import DEV_CODE, ServerProcess, run_cli


class Person:
    """A demo user driving the API like a client: send, wait for answers, press buttons."""

    def __init__(self, server: ServerProcess, phone: str) -> None:
        self.http = server.client()
        assert self.http.post("/api/v1/auth/code", json={"phone": phone}).status_code == 202
        signed = self.http.post("/api/v1/auth/verify", json={"phone": phone, "code": DEV_CODE}).json()
        self.http.headers["authorization"] = f"Bearer {signed['token']}"
        self.me = signed["user"]
        self.sent = 0

    def conversation(self, kind: str, title: str | None = None) -> str:
        for conversation in self.http.get("/api/v1/conversations").json()["conversations"]:
            if conversation["kind"] == kind and (title is None or conversation["title"] == title):
                return conversation["id"]
        raise AssertionError(f"no {kind} conversation {title!r}")

    def app_chat(self, app: str) -> str:
        return self.http.post(f"/api/v1/apps/{app}/chat").json()["id"]

    def messages(self, conversation_id: str, after: int = 0) -> list[dict[str, Any]]:
        return self.http.get(
            f"/api/v1/conversations/{conversation_id}/messages", params={"after": after, "limit": 200}
        ).json()["messages"]

    def last_seq(self, conversation_id: str) -> int:
        messages = self.messages(conversation_id)
        return messages[-1]["seq"] if messages else 0

    def wait_for(
        self, conversation_id: str, after: int, text: str, or_consent: bool = False
    ) -> dict[str, Any]:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for message in self.messages(conversation_id, after):
                if message["sender"]["id"] == self.me["id"]:
                    continue
                if text in message["text"] or (or_consent and _is_consent(message)):
                    return message
            time.sleep(0.05)
        raise AssertionError(
            f"no message with {text!r}; got {[m['text'] for m in self.messages(conversation_id, after)]}"
        )

    def say(self, conversation_id: str, text: str, expect: str) -> dict[str, Any]:
        before = self.last_seq(conversation_id)
        self.sent += 1
        response = self.http.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"client_id": f"tour-{self.sent}", "text": text},
        )
        assert response.status_code == 201, response.text
        answer = self.wait_for(conversation_id, before, expect, or_consent=True)
        if _is_consent(answer):
            return self.press(conversation_id, answer, "Allow", expect)
        return answer

    def press(
        self,
        conversation_id: str,
        message: dict[str, Any],
        label: str,
        expect: str,
        values: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        component = _find(message["screen"], label)
        before = self.last_seq(conversation_id)
        response = self.http.post(
            "/api/v1/actions",
            json={"message_id": message["id"], "component_id": component["id"], "values": values or {}},
        )
        assert response.status_code == 200, response.text
        return self.wait_for(conversation_id, before, expect)


def _is_consent(message: dict[str, Any]) -> bool:
    return message["sender"]["kind"] == "system" and "asks for your permission" in message["text"]


def _find(node: Any, label: str) -> dict[str, Any]:
    """The button with this label, or the form whose submit label it is, anywhere in a screen."""
    if isinstance(node, dict):
        if node.get("type") == "button" and node.get("label") == label:
            return node
        if node.get("type") == "form" and node.get("submit_label") == label:
            return node
        for value in node.values():
            try:
                return _find(value, label)
            except LookupError:
                pass
    if isinstance(node, list):
        for value in node:
            try:
                return _find(value, label)
            except LookupError:
                pass
    raise LookupError(label)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path / "demo", mode="--demo")
    server.start()
    try:
        yield server
    finally:
        server.stop()
    assert not server.responses.problems, server.responses.report()


def top_up(person: Person, amount: str) -> None:
    wallet = person.app_chat("payments")
    form = person.say(wallet, "/topup", "SANDBOX")
    person.press(wallet, form, "Top up", "done", {"amount": amount, "card": "4242 4242 4242 4242"})


def test_the_demo_tour(demo: ServerProcess) -> None:
    # India: Asha tops up and pays Ravi in their direct chat; both see the receipt.
    asha, ravi = Person(demo, "+919876500001"), Person(demo, "+919876500002")
    top_up(asha, "500.00")
    direct = asha.conversation("direct")
    confirm = asha.say(direct, "/pay @ravi 120 lunch", "Pay Ravi Kumar?")
    asha.press(direct, confirm, "Confirm", "Asha Rao paid Ravi Kumar ₹120.00 · lunch")
    assert ravi.wait_for(direct, 0, "paid Ravi Kumar ₹120.00")

    # Brazil: Tiago tops up, finds the red shoes by search, orders and pays.
    tiago, bruna = Person(demo, "+5511987650002"), Person(demo, "+5511987650001")
    top_up(tiago, "300.00")
    shop = tiago.app_chat("shop")
    found = tiago.say(shop, "/shop red shoe", "Red running shoes")
    tiago.press(shop, found, "Add to cart", "in your cart")
    cart = tiago.say(shop, "/cart", "Deliver to")
    before = tiago.last_seq(shop)
    tiago.press(
        shop, cart, "Pay R$\xa0249,90", "is reserved for you", {"delivery": "Tiago Costa, Rua Augusta 500"}
    )
    # The payments mini-app asks, privately, right where the order was placed.
    ask = tiago.wait_for(shop, before, "Pay Loja da Bruna")
    assert "Order #1001" in ask["text"]
    tiago.press(shop, ask, "Confirm", "Paid ✓ R$\xa0249,90 to Loja da Bruna (through Shop)")
    tiago.wait_for(shop, 0, "Thank you!")

    # The owner accepts and ships it from chat; Tiago sees each step.
    office = bruna.app_chat("shop")
    orders = bruna.say(office, "/orders", "Loja da Bruna: orders")
    order = bruna.press(office, orders, f"Open {_order_suffix(orders)}", "Deliver to")
    accepted = bruna.press(office, order, "Accept", "accepted")
    bruna.press(office, accepted, "Mark shipped", "shipped")
    tiago.wait_for(shop, 0, "is now shipped")

    # France: payments are not available.
    camille = Person(demo, "+33612345001")
    group = camille.conversation("group", "Souk demo")
    camille.say(group, "/pay @jordan 5", "Payments is not available in your country")

    # The books agree: the ledger is clean, the shop's till and stock match the order.
    check = run_cli("payments", "check", "--data", str(demo.data_dir))
    assert check.returncode == 0 and "The ledger is clean" in check.stdout, check.stdout + check.stderr
    products = tiago.http.get(
        f"/api/v1/apps/shop/shops/{_shop_id(tiago)}/products", params={"q": "red"}
    ).json()
    assert [(p["sku"], p["available"]) for p in products["products"]] == [("RUN-RED-38", 7)]
    assert bruna.http.get("/api/v1/apps/shop/orders").status_code == 200


def _order_suffix(listing: dict[str, Any]) -> str:
    labels = [b["label"] for card in listing["screen"]["body"] for b in card.get("buttons", [])]
    return labels[-1].removeprefix("Open ")


def _shop_id(person: Person) -> str:
    shops = person.http.get("/api/v1/apps/shop/shops").json()["shops"]
    return next(s["id"] for s in shops if s["name"] == "Loja da Bruna")
