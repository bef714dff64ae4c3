"""Every pair of competing actions on a shop's order, raced: each race ends in exactly one outcome.

The contenders start together (``souk_sdk.testing.race``) through the entry
points people use: the checkout form of two ``/cart`` cards, ``POST
/checkout`` with one key, the order pages of two staff members (two cards, so
no card claim stands between them: the state machine has to hold on its own),
the buyer's payment card, and the timers that come due.  After each race the
order's status is counted, and :meth:`Market.check` compares the money and
the stock with it.  ``ROUNDS`` races of each (20 with ``SOUK_STRESS=1``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import partial

from race_support import ROUNDS, SEED, STOCK, Market, contest, new_key, ok

CANCELLED_NEWS = "is now cancelled"


def _market(souk_world) -> Market:
    return Market.open(souk_world(["payments", "shop"], handler_timeout=10))


def test_two_checkouts_of_one_cart_make_one_order(souk_world) -> None:
    market = _market(souk_world)
    chat = market.buyer.app_chat("shop")
    answers: Counter[str] = Counter()
    for n in range(1, ROUNDS + 1):
        chat.send("/shop")
        chat.press("Open")
        chat.press("Add to cart")
        cards = [chat.send("/cart").messages[-1] for _ in range(2)]  # two cards of one cart
        results = contest(*(partial(chat.act, message=c, values={"delivery": "Rua A 1"}) for c in cards))
        market.world.settle()
        assert all(ok(r) for r in results), results
        orders = market.shop_db.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
        assert orders == n, f"round {n}: {orders} orders from {n} carts"
        answers.update(m["text"].split(";")[0] for m in chat.history()[-4:] if m["sender"]["id"] == "shop")
    assert market.shop_db.execute("SELECT COUNT(*) FROM carts").fetchone()[0] == 0
    assert answers["Your cart has nothing from this shop any more."] == ROUNDS
    market.check()


def test_checkouts_with_one_key_over_http_make_one_order(souk_world) -> None:
    market = _market(souk_world)
    for n in range(1, ROUNDS + 1):
        key = new_key()
        answers = contest(partial(market.checkout, 2, key), times=4)
        assert len({a["order_id"] for a in answers}) == 1 and len({a["payment_id"] for a in answers}) == 1
        assert market.shop_db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == n
        assert market.payments_db.execute("SELECT COUNT(*) FROM payments").fetchone()[0] == n
    market.check()
    assert market.shop_db.execute("SELECT reserved FROM products").fetchone()[0] == 2 * ROUNDS


def _staff_race(market: Market, order_id: str, owner_presses: str, clerk_presses: str) -> list:
    """The owner and the clerk press on their own page of one order at the same moment."""
    (owner, owner_page), (clerk, clerk_page) = (
        market.page(market.owner, order_id),
        market.page(market.clerk, order_id),
    )
    answers = contest(
        partial(owner.act, owner_presses, message=owner_page),
        partial(clerk.act, clerk_presses, message=clerk_page),
    )
    market.world.settle()
    assert all(ok(a) for a in answers), answers  # two cards: neither is refused by a claim
    return answers


def test_accept_and_cancel_of_a_paid_order(souk_world) -> None:
    market = _market(souk_world)
    endings: Counter[str] = Counter()
    for _ in range(ROUNDS):
        order = market.paid_order()
        _staff_race(market, order["order_id"], "Accept", "Cancel order")
        row = market.order(order["order_id"])
        accepted_first = market.told(f"#{row['number']} is now accepted") == 1
        endings["accepted, then cancelled" if accepted_first else "cancelled, accept refused"] += 1
        assert row["status"] == "cancelled" and row["refunded"] == row["total"]  # either way, once
        assert market.told(f"#{row['number']} {CANCELLED_NEWS}") == 1
        market.check()
    print(f"\naccept_and_cancel_of_a_paid_order: {dict(endings)} (SOUK_SEED={SEED})")
    assert sum(endings.values()) == ROUNDS, endings


def test_ship_and_cancel_of_an_accepted_order(souk_world) -> None:
    market = _market(souk_world)
    endings: Counter[str] = Counter()
    for _ in range(ROUNDS):
        order = market.accepted_order()
        _staff_race(market, order["order_id"], "Mark shipped", "Cancel order")
        row = market.order(order["order_id"])
        endings[row["status"]] += 1
        number = row["number"]
        assert (market.told(f"#{number} is now shipped"), market.told(f"#{number} {CANCELLED_NEWS}")) == (
            (1, 0) if row["status"] == "shipped" else (0, 1)
        )
        assert row["refunded"] == (row["total"] if row["status"] == "cancelled" else 0)
        market.check()
    print(f"\nship_and_cancel_of_an_accepted_order: {dict(endings)} (SOUK_SEED={SEED})")
    assert sum(endings.values()) == ROUNDS and set(endings) <= {"shipped", "cancelled"}, endings


def test_two_staff_cancelling_one_paid_order_refund_it_once(souk_world) -> None:
    market = _market(souk_world)
    for _ in range(ROUNDS):
        order = market.paid_order()
        _staff_race(market, order["order_id"], "Cancel order", "Cancel order")
        row = market.order(order["order_id"])
        assert row["status"] == "cancelled"
        refunds = market.payments_db.execute(
            "SELECT COUNT(*), SUM(amount) FROM refunds WHERE payment_id = ?", [order["payment_id"]]
        ).fetchone()
        assert tuple(refunds) == (1, row["total"])
        assert market.told(f"#{row['number']} {CANCELLED_NEWS}") == 1  # the buyer hears it once
        market.check()
    assert market.shop_db.execute("SELECT stock FROM products").fetchone()[0] == STOCK


def test_a_late_payment_against_the_reservation_running_out(souk_world) -> None:
    """The buyer confirms just as the timers of the reservation (20 min) and the payment (15) come due."""
    market = _market(souk_world)
    endings: Counter[str] = Counter()
    for _ in range(ROUNDS):
        order = market.checkout()
        chat, page = market.payment_card(order["payment_id"])
        market.world.core.clock.advance(dt.timedelta(minutes=20))  # due, not yet fired
        confirm, _ = contest(partial(chat.act, "Confirm", message=page), market.world.settle)
        market.world.settle()
        row, payment = market.order(order["order_id"]), market.payment(order["payment_id"])
        endings[f"{row['status']} / payment {payment['status']}"] += 1
        assert ok(confirm), confirm
        assert row["status"] in ("paid", "failed", "expired")
        assert (payment["status"] == "succeeded") == (row["status"] == "paid" or row["refunded"] > 0)
        market.check()
    print(f"\na_late_payment_against_the_reservation_running_out: {dict(endings)} (SOUK_SEED={SEED})")
    assert sum(endings.values()) == ROUNDS, endings


def test_a_payment_against_the_shop_cancelling_the_unpaid_order(souk_world) -> None:
    """The buyer pays while the clerk cancels the order that waits for it: a late payment is refunded."""
    market = _market(souk_world)
    endings: Counter[str] = Counter()
    for _ in range(ROUNDS):
        order = market.checkout()
        chat, card = market.payment_card(order["payment_id"])
        staff_chat, page = market.page(market.clerk, order["order_id"])
        paid, cancelled = contest(
            partial(chat.act, "Confirm", message=card), partial(staff_chat.act, "Cancel order", message=page)
        )
        market.world.settle()
        assert ok(paid) and ok(cancelled), (paid, cancelled)
        row, payment = market.order(order["order_id"]), market.payment(order["payment_id"])
        assert row["status"] == "cancelled"
        assert payment["refunded"] == (payment["captured"])  # paid then refunded, or never paid
        endings["paid, refunded" if payment["captured"] else "never paid"] += 1
        market.check()
    print(f"\na_payment_against_the_shop_cancelling_the_unpaid_order: {dict(endings)} (SOUK_SEED={SEED})")
    assert sum(endings.values()) == ROUNDS, endings


def test_the_buyer_cancelling_the_payment_against_the_shop_cancelling_the_order(souk_world) -> None:
    market = _market(souk_world)
    for _ in range(ROUNDS):
        order = market.checkout(3)
        chat, card = market.payment_card(order["payment_id"])
        staff_chat, page = market.page(market.clerk, order["order_id"])
        answers = contest(
            partial(chat.act, "Cancel", message=card), partial(staff_chat.act, "Cancel order", message=page)
        )
        market.world.settle()
        assert all(ok(a) for a in answers), answers
        row = market.order(order["order_id"])
        assert row["status"] in ("failed", "cancelled")
        assert market.payment(order["payment_id"])["status"] == "failed"
        # The stock went back once, and the lines went back to the cart once.
        cart = market.shop_db.execute("SELECT quantity FROM carts").fetchone()
        assert cart == (3,), cart
        market.check()
        market.buyer.app_chat("shop").send("/cart")
        market.buyer.app_chat("shop").press("Remove")
