"""What the ledger refuses before the database is asked: each guard of ``post``, ``hold``, ``capture``.

The database's CHECK constraints and triggers are the last line; these guards
are the first, and a test that only moves money correctly never reaches them.
Each case here is a movement that must be refused, and each asserts that
nothing at all was written.
"""

from __future__ import annotations

import pytest
from souk_payments import ledger
from souk_payments.check import problems
from souk_payments.ledger import HoldClosed, InsufficientFunds, LedgerError, Leg
from sqlite_utils import Database

NOW = "2030-01-01T09:00:00+00:00"
LATER = "2030-01-01T09:15:00+00:00"


def _funded(db: Database, owner: str = "asha", amount: int = 100_00, currency: str = "INR") -> str:
    wallet = ledger.account(db, "wallet", owner, currency, NOW)
    funding = ledger.account(db, "system", ledger.FUNDING, currency, NOW)
    ledger.move(db, "topup", funding, wallet, amount, NOW)
    return wallet


def _written(db: Database) -> tuple[int, int, int]:
    return tuple(db[t].count for t in ("transfers", "entries", "holds"))  # type: ignore[return-value]


@pytest.mark.parametrize(
    "amounts",
    [
        pytest.param([-100, 90], id="money lost"),
        pytest.param([-100, 110], id="money created"),
        pytest.param([100, 100], id="both sides credited"),
        pytest.param([-100, 50, 49], id="three legs that miss by one"),
        pytest.param([100], id="one leg"),
        pytest.param([], id="no leg"),
        pytest.param([-100, 100, 0], id="balanced with an empty leg"),
    ],
)
def test_an_unbalanced_transfer_is_refused_and_writes_nothing(db: Database, amounts: list[int]) -> None:
    accounts = [_funded(db, "asha"), _funded(db, "bruno"), _funded(db, "chen")]
    before, balances = _written(db), [ledger.balances(db, a) for a in accounts]
    legs = [Leg(accounts[i], amount) for i, amount in enumerate(amounts)]
    with pytest.raises(ValueError, match="an unbalanced transfer"):
        ledger.post(db, "p2p", legs, NOW)
    assert _written(db) == before
    assert [ledger.balances(db, a) for a in accounts] == balances
    assert problems(db) == []


def test_a_balanced_transfer_of_three_legs_is_posted(db: Database) -> None:
    """The guard refuses only what is unbalanced: the same shape that adds up is written whole."""
    asha, bruno, chen = _funded(db, "asha"), _funded(db, "bruno"), _funded(db, "chen")
    ledger.post(db, "p2p", [Leg(asha, -30_00), Leg(bruno, 10_00), Leg(chen, 20_00)], NOW)
    assert [ledger.balances(db, a)[0] for a in (asha, bruno, chen)] == [70_00, 110_00, 120_00]
    assert db.execute("SELECT amount FROM transfers WHERE kind = 'p2p'").fetchall() == [(30_00,)]
    assert problems(db) == []


def test_a_transfer_across_currencies_is_refused(db: Database) -> None:
    rupees, reais = _funded(db, "asha", currency="INR"), _funded(db, "asha", currency="BRL")
    before = _written(db)
    with pytest.raises(ValueError, match="one currency"):
        ledger.move(db, "p2p", rupees, reais, 10_00, NOW)
    assert _written(db) == before


def test_an_overdraft_is_refused_as_insufficient_funds_and_writes_nothing(db: Database) -> None:
    asha, bruno = _funded(db, "asha", 50_00), _funded(db, "bruno", 1)
    before = _written(db)
    with pytest.raises(InsufficientFunds):
        ledger.move(db, "p2p", asha, bruno, 50_01, NOW)
    assert _written(db) == before
    assert ledger.balances(db, asha) == (50_00, 0)
    ledger.move(db, "p2p", asha, bruno, 50_00, NOW)  # every last paisa may go
    assert ledger.balances(db, asha) == (0, 0)


def test_a_hold_reserves_only_what_is_available(db: Database) -> None:
    asha = _funded(db, "asha", 100_00)
    for amount in (0, -5):
        with pytest.raises(ValueError, match="more than zero"):
            ledger.hold(db, asha, amount, NOW, LATER)
    first = ledger.hold(db, asha, 60_00, NOW, LATER)
    with pytest.raises(InsufficientFunds):
        ledger.hold(db, asha, 40_01, NOW, LATER)  # 100 - 60 left
    ledger.hold(db, asha, 40_00, NOW, LATER)  # exactly what is left
    assert ledger.balances(db, asha) == (100_00, 100_00)
    bruno = ledger.account(db, "wallet", "bruno", "INR", NOW)
    with pytest.raises(InsufficientFunds):  # held money cannot be sent either
        ledger.move(db, "p2p", asha, bruno, 1, NOW)
    ledger.void(db, first, LATER)
    assert ledger.balances(db, asha) == (100_00, 40_00)
    assert problems(db) == []


def test_a_capture_takes_between_one_and_the_held_sum_exactly_once(db: Database) -> None:
    asha = _funded(db, "asha", 100_00)
    shop = ledger.account(db, "merchant", "shop", "INR", NOW)
    hold_id = ledger.hold(db, asha, 30_00, NOW, LATER)
    for amount in (0, 30_01):
        with pytest.raises(LedgerError, match="between 1 and 3000"):
            ledger.capture(db, hold_id, amount, shop, LATER)
    assert db.execute("SELECT status FROM holds").fetchall() == [("open",)]
    with pytest.raises(HoldClosed):
        ledger.capture(db, "h_nosuchhold", 10, shop, LATER)

    ledger.capture(db, hold_id, 30_00, shop, LATER)  # the whole hold may be taken
    assert ledger.balances(db, asha) == (70_00, 0) and ledger.balances(db, shop) == (30_00, 0)
    for close in (
        lambda: ledger.capture(db, hold_id, 1, shop, LATER),
        lambda: ledger.void(db, hold_id, LATER),
        lambda: ledger.expire(db, hold_id, LATER),
    ):
        with pytest.raises(HoldClosed):
            close()
    assert ledger.balances(db, asha) == (70_00, 0) and ledger.balances(db, shop) == (30_00, 0)
    assert problems(db) == []


def test_an_account_is_opened_once_per_kind_owner_and_currency(db: Database) -> None:
    first = ledger.account(db, "wallet", "asha", "INR", NOW)
    assert ledger.account(db, "wallet", "asha", "INR", LATER) == first
    others = {
        ledger.account(db, "wallet", "asha", "BRL", NOW),
        ledger.account(db, "merchant", "asha", "INR", NOW),
        ledger.account(db, "wallet", "bruno", "INR", NOW),
    }
    assert first not in others and len(others) == 3
    assert ledger.balances(db, "a_nosuchaccount") == (0, 0)


def test_a_statement_pages_newest_first(db: Database) -> None:
    asha = _funded(db, "asha", 100_00)
    bruno = ledger.account(db, "wallet", "bruno", "INR", NOW)
    for n in range(1, 6):
        ledger.move(db, "p2p", asha, bruno, n * 100, NOW, memo=f"m{n}")
    page = ledger.statement(db, asha, limit=3)
    assert [(e["amount"], e["memo"]) for e in page] == [(-500, "m5"), (-400, "m4"), (-300, "m3")]
    rest = ledger.statement(db, asha, before=page[-1]["id"], limit=10)
    assert [e["memo"] for e in rest] == ["m2", "m1", ""]
    assert rest[-1]["kind"] == "topup" and rest[-1]["amount"] == 100_00
