"""Reservations end: a failed, unanswered or lapsed payment gives the stock back; late money goes back.

The clocks: a checkout reserves the stock for 20 minutes (``orders.RESERVE_FOR``)
and the payment it asks for expires after 15 (payments' ``EXPIRES_AFTER``), so
normally the payment's failure releases the stock first and the reservation's
own timer is the safety net for a failure that never arrives.
"""

from __future__ import annotations

import datetime as dt

from shop_support import (
    answer_payment,
    buyer_with_money,
    checkout,
    merchant_balance,
    open_shop,
    order_row,
    product,
    ref,
    refunds,
    texts,
    wallet,
)
from souk_payments import checkout as payments_checkout
from souk_payments.check import problems
from souk_shop import orders

BALANCE = 50_000  # R$ 500.00, what buyer_with_money tops up


def setup(souk_world):
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    shop_id, owner_chat = open_shop(world, bruna)
    tiago = buyer_with_money(world, "Tiago")
    return world, shop_id, owner_chat, tiago


def ledger_clean(world) -> None:
    assert problems(world.core.runtime.app_store("payments").db) == []


def test_the_reservation_outlives_the_payment() -> None:
    reservation, payment = orders.RESERVE_FOR, payments_checkout.EXPIRES_AFTER
    assert (reservation, payment) == (dt.timedelta(minutes=20), dt.timedelta(minutes=15))
    assert reservation > payment


def test_cancelled_and_unanswered_payments_give_the_stock_back(souk_world) -> None:
    world, shop_id, _owner_chat, tiago = setup(souk_world)
    shop_chat = tiago.app_chat("shop")

    # 1. The buyer presses Cancel on the confirmation: the 2 reserved socks go back at once.
    first = checkout(tiago, shop_id, "SOCK-1", 2)
    assert (first["status"], first["payment_status"], first["total"]) == ("awaiting_payment", "pending", 3000)
    assert product(world, "SOCK-1") == (10, 2)
    assert "Not paid: cancelled by the payer" in answer_payment(tiago, first["payment_id"], "Cancel")
    world.settle()
    assert order_row(world, first["order_id"])["status"] == "failed"
    assert product(world, "SOCK-1") == (10, 0)
    assert sum(f"{ref(world, first['order_id'])} was not paid" in t for t in texts(shop_chat)) == 1

    # 2. Nobody answers: at 14 minutes the 3 shoes are still held, at 16 the payment has
    #    expired and they are back; the reservation's own timer at 20 minutes changes nothing.
    second = checkout(tiago, shop_id, "SHOE-RED", 3)
    assert product(world, "SHOE-RED") == (3, 3)
    assert checkout(tiago, shop_id, "SHOE-RED", 1, expect=409)["error"]["code"] == "sold_out"
    world.advance(minutes=14)
    assert order_row(world, second["order_id"])["status"] == "awaiting_payment"
    assert product(world, "SHOE-RED") == (3, 3)
    world.advance(minutes=2)
    assert order_row(world, second["order_id"])["status"] == "failed"
    assert product(world, "SHOE-RED") == (3, 0)
    before = texts(shop_chat)
    world.advance(minutes=10)
    assert order_row(world, second["order_id"])["status"] == "failed"
    assert texts(shop_chat) == before
    assert sum(f"{ref(world, second['order_id'])} was not paid" in t for t in before) == 1

    # Confirming the expired payment afterwards moves no money and takes no stock.
    answer_payment(tiago, second["payment_id"], "Confirm")
    world.settle()
    assert order_row(world, second["order_id"])["status"] == "failed"
    assert product(world, "SHOE-RED") == (3, 0)
    assert (wallet(tiago), merchant_balance(world), refunds(world)) == (BALANCE, 0, [])
    orders_seen = tiago.call("GET", "/api/v1/apps/shop/orders")["orders"]
    assert sorted(o["status"] for o in orders_seen) == ["failed", "failed"]
    ledger_clean(world)


def test_a_lapsed_reservation_gives_the_stock_back_when_no_payment_outcome_arrives(souk_world) -> None:
    world, shop_id, _owner_chat, tiago = setup(souk_world)
    order = checkout(tiago, shop_id, "SHOE-RED", 2)
    assert product(world, "SHOE-RED") == (3, 2)
    # The operator turns payments off in Brazil: the payment's expiry waits for it to come
    # back, so no payment.failed reaches the shop and the reservation runs out by itself.
    world.disable("payments", "BR")
    world.advance(minutes=19)
    assert order_row(world, order["order_id"])["status"] == "awaiting_payment"
    world.advance(minutes=2)
    assert order_row(world, order["order_id"])["status"] == "expired"
    assert product(world, "SHOE-RED") == (3, 0)
    name = ref(world, order["order_id"])
    told = [t for t in texts(tiago.app_chat("shop")) if f"{name} was not paid" in t]
    assert told == [f"{name} was not paid (the reservation ran out); the items went back on the shelf."]
    # Payments come back: the payment's expiry is delivered late, and changes nothing more.
    world.enable("payments", "BR")
    world.advance(minutes=1)
    assert order_row(world, order["order_id"])["status"] == "expired"
    assert product(world, "SHOE-RED") == (3, 0)
    pay_db = world.core.runtime.app_store("payments").db
    assert pay_db.execute("SELECT status FROM payments").fetchall() == [("failed",)]
    assert (wallet(tiago), merchant_balance(world)) == (BALANCE, 0)
    ledger_clean(world)


def test_a_payment_that_arrives_after_the_reservation_lapsed_is_refunded(souk_world, monkeypatch) -> None:
    # With the defaults the payment expires first, so shorten the reservation to make the race
    # happen: the order lapses at 10 minutes while the payment can still be confirmed until 15.
    monkeypatch.setattr(orders, "RESERVE_FOR", dt.timedelta(minutes=10))
    world, shop_id, _owner_chat, tiago = setup(souk_world)
    order = checkout(tiago, shop_id, "SHOE-RED", 1)
    world.advance(minutes=11)
    assert order_row(world, order["order_id"])["status"] == "expired"
    assert product(world, "SHOE-RED") == (3, 0)

    assert "Paid ✓ R$\xa0120,00 to Loja da Bruna (through Shop)" in answer_payment(
        tiago, order["payment_id"], "Confirm"
    )
    world.settle()
    row = order_row(world, order["order_id"])
    assert (row["status"], row["refunded"], row["payment_id"]) == ("expired", 12000, None)
    assert product(world, "SHOE-RED") == (3, 0)  # the late payment took no stock
    assert refunds(world) == [(12000, "the order had expired")]
    assert (wallet(tiago), merchant_balance(world)) == (BALANCE, 0)
    news = [t for t in texts(tiago.app_chat("shop")) if "came after it expired" in t]
    assert news == [
        f"Your payment for {ref(world, order['order_id'])} came after it expired; it was refunded."
    ]
    world.advance(minutes=30)
    assert len(refunds(world)) == 1
    ledger_clean(world)


def test_a_late_payment_is_refunded_even_if_the_first_refund_attempt_fails(souk_world, monkeypatch) -> None:
    """The event is retried when the refund fails; the retry must refund, not skip it as seen."""
    monkeypatch.setattr(orders, "RESERVE_FOR", dt.timedelta(minutes=10))
    world, shop_id, _owner_chat, tiago = setup(souk_world)
    order = checkout(tiago, shop_id, "SHOE-RED", 1)
    world.advance(minutes=11)
    assert order_row(world, order["order_id"])["status"] == "expired"
    # The shop is paused while the buyer pays, so payment.succeeded waits for it.
    world.core.operations.set_suspended("shop", True, "maintenance", "test")
    assert "Paid ✓ R$\xa0120,00 to Loja da Bruna (through Shop)" in answer_payment(
        tiago, order["payment_id"], "Confirm"
    )
    world.settle()
    assert order_row(world, order["order_id"])["refunded"] == 0
    # When the shop comes back, payments are off in Brazil: the refund cannot be made yet.
    world.disable("payments", "BR")
    world.resume("shop")
    world.advance(seconds=31)  # a waiting event is looked at again after 30 s
    pay_db = world.core.runtime.app_store("payments").db
    assert pay_db.execute("SELECT type, attempts FROM _souk_outbox").fetchall() == [("payment.succeeded", 1)]
    assert order_row(world, order["order_id"])["refunded"] == 0
    assert refunds(world) == []
    # Payments return; the event is delivered again after its backoff, and this time refunds.
    world.enable("payments", "BR")
    world.advance(minutes=5)
    succeeded = "SELECT attempts, delivered_at IS NOT NULL FROM _souk_outbox WHERE type = 'payment.succeeded'"
    assert pay_db.execute(succeeded).fetchall() == [(1, 1)]
    assert refunds(world) == [(12000, "the order had expired")]
    assert order_row(world, order["order_id"])["refunded"] == 12000
    assert (wallet(tiago), merchant_balance(world)) == (BALANCE, 0)
    world.advance(minutes=30)
    assert len(refunds(world)) == 1
    ledger_clean(world)


def test_cancel_after_payment_refunds_once_returns_the_stock_and_tells_both_sides(souk_world) -> None:
    world, shop_id, owner_chat, tiago = setup(souk_world)
    order = checkout(tiago, shop_id, "SHOE-RED", 2)
    assert "Paid ✓ R$\xa0240,00 to Loja da Bruna (through Shop)" in answer_payment(
        tiago, order["payment_id"], "Confirm"
    )
    world.settle()
    assert order_row(world, order["order_id"])["status"] == "paid"
    assert product(world, "SHOE-RED") == (1, 0)
    assert (wallet(tiago), merchant_balance(world)) == (BALANCE - 24000, 24000)

    card = owner_chat.history()[-1]
    assert card["screen"]["title"] == ref(world, order["order_id"])
    cancelled = owner_chat.press("Cancel order", message=card)
    assert "cancelled" in cancelled.text and "Refunded R$\xa0240,00" in cancelled.text
    assert [m["id"] for m in cancelled.messages] == [card["id"]]  # the order page, replaced in place
    buyer_news = [t for t in texts(tiago.app_chat("shop")) if "is now cancelled" in t]
    number = order_row(world, order["order_id"])["number"]
    assert buyer_news == [f"Loja da Bruna: your order #{number} is now cancelled. Your money was refunded."]
    assert product(world, "SHOE-RED") == (3, 0)
    assert refunds(world) == [(24000, "order cancelled by the shop")]
    assert (wallet(tiago), merchant_balance(world)) == (BALANCE, 0)
    pay_db = world.core.runtime.app_store("payments").db
    assert pay_db.execute("SELECT COUNT(*) FROM transfers WHERE kind = 'refund'").fetchone() == (1,)

    # A second cancel (the same button, on the page as it was) runs nothing.
    shop_messages, buyer_messages = len(owner_chat.history()), len(tiago.app_chat("shop").history())
    again = owner_chat.press("Cancel order", message=card, expect=409)
    assert again.error == "already_done"
    world.settle()
    assert len(refunds(world)) == 1
    assert product(world, "SHOE-RED") == (3, 0)
    assert order_row(world, order["order_id"])["refunded"] == 24000
    assert (wallet(tiago), merchant_balance(world)) == (BALANCE, 0)
    assert len(tiago.app_chat("shop").history()) == buyer_messages
    assert len(owner_chat.history()) == shop_messages
    ledger_clean(world)
