"""Checkout for another mini-app: confirm, cancel, expiry, refunds; outcomes reach the merchant once."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from souk_payments.check import problems
from souk_sdk import Context, Event, Manifest, PaymentError, command, hookimpl

CARD_OK = "4242 4242 4242 4242"


class BuyArgs(BaseModel):
    amount: str
    reference: str


class RefundArgs(BaseModel):
    amount: int


class Shop:
    """A merchant mini-app that asks for payments and records what it is told."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.refund_answers: list[str] = []
        self.currency = "INR"

    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="shop", title="Corner Shop", version="1.0.0", scopes=[])

    @hookimpl
    def souk_commands(self, register: Any) -> None:
        shop = self

        @command("buy", help="Buy", args=BuyArgs, scopes=[])
        async def buy(ctx: Context, args: BuyArgs) -> str:
            result = await ctx.request_payment(
                amount=int(args.amount),
                currency=shop.currency,
                description=f"Order {args.reference}",
                reference=args.reference,
                idempotency_key=f"order-{args.reference}",
            )
            return f"order {args.reference}: payment {result.status}"

        @command("giveback", help="Refund the last paid order", args=RefundArgs, scopes=[])
        async def giveback(ctx: Context, args: RefundArgs) -> str:
            paid = [data for kind, data in shop.events if kind == "payment.succeeded"]
            try:
                result = await ctx.refund_payment(
                    payment_id=paid[-1]["payment_id"],
                    amount=args.amount,
                    reason="sorry",
                    idempotency_key=f"refund-{len(shop.events)}",
                )
            except PaymentError as exc:
                shop.refund_answers.append(f"refused: {exc}")
                return "refused"
            shop.refund_answers.append(result.status)
            return result.status

        register(buy)
        register(giveback)

    @hookimpl
    def souk_on_event(self, event: Event, ctx: Context) -> None:
        if event.to == "shop":
            self.events.append((event.type, dict(event.data)))


def setup(souk_world, topup: str | None = "100.00"):
    shop = Shop()
    world = souk_world(["payments", shop])
    asha = world.user("Asha", "IN")
    if topup:
        wallet = asha.app_chat("payments")
        wallet.send("/topup")
        assert "done" in wallet.submit({"amount": topup, "card": CARD_OK}).text
    return world, shop, asha, asha.app_chat("shop")


def test_confirmed_checkout_pays_the_merchant_and_tells_it_once(souk_world) -> None:
    world, shop, _asha, chat = setup(souk_world)
    asked = chat.send("/buy 2500 A1")
    assert asked.screen.title == "Pay Corner Shop"
    assert "₹25.00 to Corner Shop" in asked.text and "order A1: payment pending" in asked.text
    paid = chat.press("Confirm")
    assert paid.text == "Pay Corner Shop\n*Paid ✓ ₹25.00 to Corner Shop*\nOrder A1"
    assert [m["id"] for m in paid.messages] == [asked.messages[0]["id"]]  # the card, replaced in place
    # Pressing Confirm again runs nothing, posts nothing and captures nothing more.
    again = chat.press("Confirm", message=asked.messages[0], expect=409)
    assert again.error == "already_done" and again.messages == []
    world.advance(minutes=30)
    assert [kind for kind, _ in shop.events] == ["payment.succeeded"]
    outcome = shop.events[0][1]
    assert set(outcome) == {"payment_id", "reference", "amount", "currency", "status", "failure"}
    assert (outcome["reference"], outcome["amount"], outcome["currency"]) == ("A1", 2500, "INR")
    db = world.core.runtime.app_store("payments").db
    merchant = db.execute(
        "SELECT balance FROM accounts WHERE kind = 'merchant' AND owner = 'shop'"
    ).fetchone()
    assert merchant[0] == 2500
    assert db.execute("SELECT COUNT(*) FROM transfers WHERE kind = 'capture'").fetchone()[0] == 1
    assert problems(db) == []


def test_the_same_order_asked_twice_is_one_payment(souk_world) -> None:
    world, _shop, _asha, chat = setup(souk_world)
    chat.send("/buy 2500 A1")
    again = chat.send("/buy 2500 A1")
    assert "order A1: payment pending" in again.text and "Pay Corner Shop" not in again.text
    db = world.core.runtime.app_store("payments").db
    assert db["payments"].count == 1


def test_cancel_and_expiry_fail_the_payment_and_move_nothing(souk_world) -> None:
    world, shop, _asha, chat = setup(souk_world)
    chat.send("/buy 1000 C1")
    assert "Not paid: cancelled by the payer. No money moved." in chat.press("Cancel").text
    chat.send("/buy 1000 E1")
    world.advance(minutes=14)
    assert [kind for kind, _ in shop.events] == ["payment.failed"]
    world.advance(minutes=2)
    assert [(k, d["reference"], d["failure"]) for k, d in shop.events] == [
        ("payment.failed", "C1", "cancelled by the payer"),
        ("payment.failed", "E1", "expired before it was confirmed"),
    ]
    expired = chat.press("Confirm")  # the card of E1, still showing Confirm after it expired
    assert "Not paid: expired before it was confirmed" in expired.text
    db = world.core.runtime.app_store("payments").db
    assert db.execute("SELECT COUNT(*) FROM transfers WHERE kind = 'capture'").fetchone()[0] == 0
    assert problems(db) == []


def test_not_enough_money_keeps_the_payment_open_until_topped_up(souk_world) -> None:
    world, shop, asha, chat = setup(souk_world, topup=None)
    chat.send("/buy 2500 B1")
    short = chat.press("Confirm")
    assert short.screen.title == "Not enough money" and "[Confirm]" in short.text  # live again
    wallet = asha.app_chat("payments")
    wallet.send("/topup")
    wallet.submit({"amount": "30.00", "card": CARD_OK})
    assert "Paid ✓ ₹25.00" in chat.press("Confirm", message=short.messages[-1]).text
    world.settle()
    assert [kind for kind, _ in shop.events] == ["payment.succeeded"]


def test_refunds_partial_then_full_never_more_than_captured(souk_world) -> None:
    world, shop, asha, chat = setup(souk_world)
    chat.send("/buy 2500 R1")
    chat.press("Confirm")
    world.settle()
    chat.send("/giveback 1000")
    chat.send("/giveback 2000")
    chat.send("/giveback 1500")
    assert shop.refund_answers[0] == "succeeded"
    assert shop.refund_answers[1].startswith("refused: at most 1500 is left")
    assert shop.refund_answers[2] == "succeeded"
    assert [k for k, _ in shop.events].count("payment.refunded") == 2
    wallet = asha.call("GET", "/api/v1/apps/payments/wallet")
    assert wallet["available"] == 10000
    assert problems(world.core.runtime.app_store("payments").db) == []


def test_wrong_currency_is_refused_to_the_merchant(souk_world) -> None:
    world, shop, _asha, chat = setup(souk_world)
    shop.currency = "BRL"
    assert "payments in IN are in INR, not BRL" in chat.send("/buy 100 W1").text
    assert world.core.runtime.app_store("payments").db["payments"].count == 0
