"""Every pair of competing actions on a payment, raced: each race ends in exactly one outcome.

Pay and Decline of one ``/request`` card, Pay twice; Confirm and Cancel of one
checkout card, Confirm against the checkout's expiry timer; two answers to one
top-up's confirmation code, from its chat form and over HTTP at once.  One-time
buttons answer ``409 already_done`` to the loser of a race on one card; the
ledger must still agree with the outcome (``souk_payments.check.problems``
empty, every wallet as the outcomes say).  ``ROUNDS`` races of each (20 with
``SOUK_STRESS=1``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import partial

from race_support import PAYMENTS, ROUNDS, SEED, START, Market, card, contest, lost, new_key, ok
from souk_payments import money_requests
from souk_payments.check import problems
from souk_sdk import ui

AMOUNT = 2_500  # R$25.00


def _market(souk_world) -> Market:
    return Market.open(souk_world(["payments", "shop"], handler_timeout=10))


def _request_card(market: Market) -> tuple[object, dict]:
    """Bruna asks Tiago for R$25.00 in their chat; Tiago's view of the card."""
    asking = market.owner.group_chat("Lunch", [market.buyer])
    asking.send(f"/request @{market.buyer.handle} 25.00 lunch")
    chat = market.buyer.chat(asking.conversation_id)
    return chat, card(chat, "Payment request")


def test_pay_and_decline_of_one_request(souk_world) -> None:
    market = _market(souk_world)
    endings: Counter[str] = Counter()
    for n in range(1, ROUNDS + 1):
        chat, request = _request_card(market)
        answers = contest(
            partial(chat.act, "Pay", message=request), partial(chat.act, "Decline", message=request)
        )
        market.world.settle()
        assert sorted(a.status for a in answers) == [200, 409] and any(lost(a) for a in answers), answers
        statuses = Counter(r[0] for r in market.payments_db.execute("SELECT status FROM requests"))
        ending = "paid" if ok(answers[0]) else "declined"
        endings[ending] += 1
        assert statuses == endings, (n, statuses)
        transfers = market.payments_db.execute(
            "SELECT COUNT(*) FROM transfers WHERE kind = 'p2p'"
        ).fetchone()[0]
        assert transfers == endings["paid"]
        assert market.buyer_wallet() == START - AMOUNT * endings["paid"]
        assert market.owner.call("GET", f"{PAYMENTS}/wallet")["balance"] == AMOUNT * endings["paid"]
    print(f"\npay_and_decline_of_one_request: {dict(endings)} (SOUK_SEED={SEED})")
    assert sum(endings.values()) == ROUNDS, endings
    assert problems(market.payments_db) == []


def test_pay_and_decline_of_one_request_below_its_card(souk_world) -> None:
    """The card's claim keeps two presses apart; the request must hold without it too.

    Pay and Decline run side by side through the payments store's writer, as
    ``ctx.transaction`` runs them, with the request as both read it before.
    """
    market = _market(souk_world)
    store = market.world.core.runtime.app_store("payments")
    endings: Counter[str] = Counter()
    for _ in range(ROUNDS * 4):
        _request_card(market)
        row = next(iter(market.payments_db.query("SELECT * FROM requests ORDER BY rowid DESC LIMIT 1")))
        now = market.world.now()
        paid, declined = contest(
            partial(
                store.write_sync,
                lambda db, row=row, now=now: money_requests.pay(db, row, country="BR", locale="en", now=now),
            ),
            partial(store.write_sync, lambda db, row=row: money_requests.decline(db, row["id"])),
        )
        assert (paid is None) == declined, (paid, declined)  # exactly one of them answered it
        status, transfer = market.payments_db.execute(
            "SELECT status, transfer_id FROM requests WHERE id = ?", [row["id"]]
        ).fetchone()
        endings[status] += 1
        assert status == ("declined" if declined else "paid") and (transfer is not None) == (status == "paid")
    print(f"\npay_and_decline_of_one_request_below_its_card: {dict(endings)} (SOUK_SEED={SEED})")
    assert sum(endings.values()) == ROUNDS * 4, endings
    moved = market.payments_db.execute("SELECT COUNT(*) FROM transfers WHERE kind = 'p2p'").fetchone()[0]
    assert moved == endings["paid"]
    assert market.buyer_wallet() == START - AMOUNT * endings["paid"]
    assert problems(market.payments_db) == []


def test_pay_pressed_twice_pays_once(souk_world) -> None:
    market = _market(souk_world)
    for n in range(1, ROUNDS + 1):
        chat, request = _request_card(market)
        answers = contest(partial(chat.act, "Pay", message=request), times=4)
        market.world.settle()
        assert sorted(a.status for a in answers) == [200, 409, 409, 409], answers
        assert market.buyer_wallet() == START - AMOUNT * n
    assert problems(market.payments_db) == []


def test_confirm_and_cancel_of_one_checkout(souk_world) -> None:
    market = _market(souk_world)
    endings: Counter[str] = Counter()
    for _ in range(ROUNDS):
        order = market.checkout()
        chat, pay = market.payment_card(order["payment_id"])
        answers = contest(partial(chat.act, "Confirm", message=pay), partial(chat.act, "Cancel", message=pay))
        market.world.settle()
        assert sorted(a.status for a in answers) == [200, 409], answers
        payment, row = market.payment(order["payment_id"]), market.order(order["order_id"])
        endings[payment["status"]] += 1
        assert (payment["status"], row["status"]) in (("succeeded", "paid"), ("failed", "failed"))
        assert (payment["status"] == "succeeded") == ok(answers[0])
        market.check()
    print(f"\nconfirm_and_cancel_of_one_checkout: {dict(endings)} (SOUK_SEED={SEED})")
    assert sum(endings.values()) == ROUNDS and set(endings) <= {"succeeded", "failed"}, endings


def test_confirm_against_the_checkout_expiring(souk_world) -> None:
    market = _market(souk_world)
    endings: Counter[str] = Counter()
    for _ in range(ROUNDS):
        order = market.checkout()
        chat, pay = market.payment_card(order["payment_id"])
        market.world.core.clock.advance(dt.timedelta(minutes=16))  # the payment's expiry is due, not fired
        confirm, _ = contest(partial(chat.act, "Confirm", message=pay), market.world.settle)
        market.world.settle()
        assert ok(confirm), confirm  # the card answers either way: Paid, or why not
        payment, row = market.payment(order["payment_id"]), market.order(order["order_id"])
        endings[payment["failure"] or payment["status"]] += 1
        assert (payment["status"], row["status"]) in (("succeeded", "paid"), ("failed", "failed"))
        holds = market.payments_db.execute("SELECT COUNT(*) FROM holds WHERE status = 'open'").fetchone()[0]
        assert holds == 0
        market.check()
    print(f"\nconfirm_against_the_checkout_expiring: {dict(endings)} (SOUK_SEED={SEED})")
    assert sum(endings.values()) == ROUNDS, endings
    assert set(endings) <= {"succeeded", "expired before it was confirmed"}, endings


def test_two_answers_to_one_top_up_code_credit_it_once(souk_world) -> None:
    """The code is sent from the chat form and over HTTP at once, right or wrong: one answer decides."""
    market = _market(souk_world)
    wallet = market.buyer.app_chat("payments")
    credited = 0
    endings: Counter[str] = Counter()
    for n in range(ROUNDS):
        wallet.send("/topup")
        wallet.submit({"amount": "40.00", "card": "4000 0000 0000 3220"})
        form = card(wallet, "Confirm your top-up")
        topup_id = next(c.payload["topup_id"] for c in ui.Screen.model_validate(form["screen"]).interactive())
        http_code = "123456" if n % 2 == 0 else "000000"  # every other round, HTTP sends a wrong code
        answers = contest(
            partial(wallet.act, message=form, values={"code": "123456"}),
            partial(
                market.buyer.call,
                "POST",
                f"{PAYMENTS}/topups/{topup_id}/confirm",
                {"code": http_code},
                expect=(200, 422),
            ),
        )
        market.world.settle()
        status = market.payments_db.execute("SELECT status FROM topups WHERE id = ?", [topup_id]).fetchone()[
            0
        ]
        endings[status] += 1
        credited += 4_000 if status == "approved" else 0
        credits = market.payments_db.execute(
            "SELECT COUNT(*) FROM transfers WHERE kind = 'topup' AND reference = ?", [topup_id]
        ).fetchone()[0]
        assert credits == (1 if status == "approved" else 0), (status, credits, answers)
        assert market.buyer_wallet() == START + credited
        if http_code == "123456":
            assert status == "approved", answers  # both answers were right
    print(f"\ntwo_answers_to_one_top_up_code_credit_it_once: {dict(endings)} (SOUK_SEED={SEED})")
    assert sum(endings.values()) == ROUNDS and set(endings) <= {"approved", "declined"}, endings
    assert problems(market.payments_db) == []


def test_one_transfer_key_from_many_clients_moves_money_once(souk_world) -> None:
    market = _market(souk_world)
    for n in range(1, ROUNDS + 1):
        body = {
            "to": f"@{market.owner.handle}",
            "amount": "10.00",
            "currency": "BRL",
            "idempotency_key": new_key(),
        }
        answers = contest(
            partial(market.buyer.call, "POST", f"{PAYMENTS}/transfers", body, expect=201), times=4
        )
        assert len({a["transfer_id"] for a in answers}) == 1
        assert sorted(a["replayed"] for a in answers) == [False, True, True, True]
        assert market.buyer_wallet() == START - 1_000 * n
    assert problems(market.payments_db) == []
