"""``souk payments check`` finds each corruption it claims to: a ledger broken one way at a time.

Everywhere else ``problems()`` is asserted to be empty, which a checker that
finds nothing would pass too.  Here a clean ledger (top-ups in two currencies,
a transfer, an open hold, a captured payment with a refund) is broken in one
way per case, going around the database's own guards the way a bad migration,
a hand-made fix or a bug in a new movement would (raw rows, CHECK constraints
switched off), and the checker must name exactly that problem.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from souk_payments import ledger
from souk_payments.check import problems, summary
from souk_payments.schema import migrations
from sqlite_utils import Database

NOW = "2030-01-01T09:00:00+00:00"
LATER = "2030-01-01T09:30:00+00:00"


@dataclass
class Ledger:
    db: Database
    asha: str  # INR wallet: 100.00 in, 30.00 sent to Bruno, 5.00 paid to the shop, 10.00 held
    bruno: str  # INR wallet
    shop: str  # INR merchant
    funding: str  # INR system account
    carla: str  # BRL wallet
    payment: str  # Asha's 5.00 to the shop, 2.00 of it refunded


def _clean(tmp_path: Path) -> Ledger:
    db = Database(sqlite3.connect(tmp_path / "ledger.db", isolation_level=None))
    migrations.apply(db)
    funding = ledger.account(db, "system", ledger.FUNDING, "INR", NOW)
    asha = ledger.account(db, "wallet", "asha", "INR", NOW)
    bruno = ledger.account(db, "wallet", "bruno", "INR", NOW)
    shop = ledger.account(db, "merchant", "shop", "INR", NOW)
    carla = ledger.account(db, "wallet", "carla", "BRL", NOW)
    ledger.move(db, "topup", funding, asha, 100_00, NOW)
    ledger.move(db, "topup", ledger.account(db, "system", ledger.FUNDING, "BRL", NOW), carla, 50_00, NOW)
    ledger.move(db, "p2p", asha, bruno, 30_00, NOW)
    paid = ledger.hold(db, asha, 5_00, NOW, LATER)
    ledger.capture(db, paid, 5_00, shop, NOW)
    ledger.hold(db, asha, 10_00, NOW, LATER)
    refund = ledger.move(db, "refund", shop, asha, 2_00, LATER)
    db["payments"].insert(
        {
            "id": "pay_1",
            "merchant": "shop",
            "merchant_title": "Shop",
            "payer": "asha",
            "amount": 5_00,
            "currency": "INR",
            "description": "Order 1",
            "reference": "1",
            "status": "succeeded",
            "hold_id": paid,
            "captured": 5_00,
            "refunded": 2_00,
            "created_at": NOW,
        }
    )
    db["refunds"].insert(
        {
            "id": "rf_1",
            "payment_id": "pay_1",
            "transfer_id": refund,
            "amount": 2_00,
            "reason": "sorry",
            "created_at": LATER,
        }
    )
    return Ledger(db, asha, bruno, shop, funding, carla, "pay_1")


def _transfer(db: Database, transfer_id: str, currency: str, entries: list[tuple[str, int]]) -> None:
    """A transfer written by hand, with whatever entries it is given (the entries still move balances)."""
    db["transfers"].insert(
        {"id": transfer_id, "kind": "p2p", "currency": currency, "amount": 1, "created_at": NOW}
    )
    for account_id, amount in entries:
        db.execute(
            "INSERT INTO entries (transfer_id, account_id, amount, created_at) VALUES (?, ?, ?, ?)",
            [transfer_id, account_id, amount, NOW],
        )


def _unchecked(db: Database, sql: str, params: list) -> None:
    """A write that the table's CHECK constraints would refuse."""
    db.execute("PRAGMA ignore_check_constraints = ON")
    try:
        db.execute(sql, params)
    finally:
        db.execute("PRAGMA ignore_check_constraints = OFF")


def money_created(lg: Ledger) -> list[str]:
    # An entry whose transfer does not exist: no transfer is unbalanced, but INR is.
    lg.db.execute(
        "INSERT INTO entries (transfer_id, account_id, amount, created_at) VALUES ('tr_ghost', ?, 7, ?)",
        [lg.bruno, NOW],
    )
    return ["INR: entries add up to 7, not 0 (money created or lost)"]


def transfer_without_entries(lg: Ledger) -> list[str]:
    _transfer(lg.db, "tr_empty", "INR", [])
    return ["transfer tr_empty is unbalanced: None over 0 entries"]


def transfer_with_one_entry(lg: Ledger) -> list[str]:
    _transfer(lg.db, "tr_one", "INR", [(lg.bruno, 5)])
    return [
        "INR: entries add up to 5, not 0 (money created or lost)",
        "transfer tr_one is unbalanced: 5 over 1 entries",
    ]


def lopsided_transfer(lg: Ledger) -> list[str]:
    _transfer(lg.db, "tr_lopsided", "INR", [(lg.asha, -100), (lg.bruno, 90)])
    return [
        "INR: entries add up to -10, not 0 (money created or lost)",
        "transfer tr_lopsided is unbalanced: -10 over 2 entries",
    ]


def transfer_in_the_wrong_currency(lg: Ledger) -> list[str]:
    _transfer(lg.db, "tr_label", "BRL", [(lg.asha, -100), (lg.bruno, 100)])
    return ["transfer tr_label mixes currencies"]


def transfer_across_currencies(lg: Ledger) -> list[str]:
    _transfer(lg.db, "tr_across", "INR", [(lg.carla, -100), (lg.bruno, 100)])
    return [
        "BRL: entries add up to -100, not 0 (money created or lost)",
        "INR: entries add up to 100, not 0 (money created or lost)",
        "transfer tr_across mixes currencies",
    ]


def balance_not_its_entries(lg: Ledger) -> list[str]:
    lg.db.execute("UPDATE accounts SET balance = balance + 1 WHERE id = ?", [lg.bruno])
    return [f"account {lg.bruno} says 3001 but its entries add up to 3000"]


def held_more_than_its_holds(lg: Ledger) -> list[str]:
    lg.db.execute("UPDATE accounts SET held = held + 1 WHERE id = ?", [lg.asha])
    return [f"account {lg.asha} holds 1001 but its open holds add up to 1000"]


def hold_closed_without_release(lg: Ledger) -> list[str]:
    lg.db.execute("UPDATE holds SET status = 'voided' WHERE status = 'open'")
    return [f"account {lg.asha} holds 1000 but its open holds add up to 0"]


def _open_hold(db: Database, hold_id: str, account_id: str, amount: int) -> None:
    """An open hold written by hand: the account's ``held`` is left as it was."""
    db["holds"].insert(
        {
            "id": hold_id,
            "account_id": account_id,
            "amount": amount,
            "status": "open",
            "expires_at": LATER,
            "created_at": NOW,
        }
    )


def hold_opened_without_reservation(lg: Ledger) -> list[str]:
    _open_hold(lg.db, "h_sneaky", lg.bruno, 3)
    return [f"account {lg.bruno} holds 0 but its open holds add up to 3"]


def negative_available(lg: Ledger) -> list[str]:
    # Asha has 67.00 with 10.00 held; a hold of 60.00 more, reserved, leaves her at -3.00.
    _open_hold(lg.db, "h_over", lg.asha, 60_00)
    _unchecked(lg.db, "UPDATE accounts SET held = held + 6000 WHERE id = ?", [lg.asha])
    return [f"account {lg.asha} has a negative available balance -300"]


def system_account_in_credit(lg: Ledger) -> list[str]:
    lg.db.execute("UPDATE accounts SET balance = 1 WHERE id = ?", [lg.funding])
    return [
        f"account {lg.funding} says 1 but its entries add up to -10000",
        f"system account {lg.funding} holds money it never received",
    ]


def refunded_without_refunds(lg: Ledger) -> list[str]:
    lg.db.execute("UPDATE payments SET refunded = 300 WHERE id = ?", [lg.payment])
    return [f"payment {lg.payment}: refunded 300, refunds add up to 200, captured 500"]


def refunded_more_than_captured(lg: Ledger) -> list[str]:
    _unchecked(lg.db, "UPDATE payments SET captured = 100 WHERE id = ?", [lg.payment])
    return [
        f"payment {lg.payment}: refunded 200, refunds add up to 200, captured 100",
        f"payment {lg.payment} succeeded without capturing its amount",
    ]


def succeeded_short(lg: Ledger) -> list[str]:
    lg.db.execute("UPDATE payments SET amount = 600 WHERE id = ?", [lg.payment])
    return [f"payment {lg.payment} succeeded without capturing its amount"]


CORRUPTIONS: list[Callable[[Ledger], list[str]]] = [
    money_created,
    transfer_without_entries,
    transfer_with_one_entry,
    lopsided_transfer,
    transfer_in_the_wrong_currency,
    transfer_across_currencies,
    balance_not_its_entries,
    held_more_than_its_holds,
    hold_closed_without_release,
    hold_opened_without_reservation,
    negative_available,
    system_account_in_credit,
    refunded_without_refunds,
    refunded_more_than_captured,
    succeeded_short,
]


def test_the_clean_ledger_has_no_problem(tmp_path: Path) -> None:
    lg = _clean(tmp_path)
    assert problems(lg.db) == []
    assert ledger.balances(lg.db, lg.asha) == (67_00, 10_00)
    assert summary(lg.db) == "6 accounts, 5 transfers, 10 entries, 2 holds, 1 payments"


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=[c.__name__ for c in CORRUPTIONS])
def test_each_corruption_is_reported_and_nothing_else(tmp_path: Path, corrupt) -> None:  # type: ignore[no-untyped-def]
    lg = _clean(tmp_path)
    expected = corrupt(lg)
    assert problems(lg.db) == expected


def test_every_corruption_at_once_is_reported_in_full(tmp_path: Path) -> None:
    """Several problems do not hide one another: each check reports on its own."""
    lg = _clean(tmp_path)
    kinds = [money_created, transfer_without_entries, held_more_than_its_holds, succeeded_short]
    expected = [line for corrupt in kinds for line in corrupt(lg)]
    assert sorted(problems(lg.db)) == sorted(expected)
