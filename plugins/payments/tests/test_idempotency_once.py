"""``once``, the one place keys are checked: it runs the work the first time only, and says so.

The flag it returns is what the callers act on (a checkout shows its
confirmation screen only when the payment was created now), and a request is
the same request whatever order its fields were given in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from souk_payments.idempotency import KEEP, IdempotencyConflict, once
from sqlite_utils import Database

NOW = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC)


class Work:
    """The protected work: counts its runs and answers a new result each time."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> dict[str, Any]:
        self.runs += 1
        return {"run": self.runs}


def test_the_work_runs_the_first_time_only_and_the_flag_says_which(db: Database) -> None:
    work = Work()
    assert once(db, "topup:asha", "k1", {"amount": 100}, NOW, work) == ({"run": 1}, True)
    assert once(db, "topup:asha", "k1", {"amount": 100}, NOW, work) == ({"run": 1}, False)
    assert work.runs == 1
    assert db["idempotency"].count == 1


def test_the_same_fields_in_another_order_are_the_same_request(db: Database) -> None:
    work = Work()
    once(db, "p2p:asha", "k1", {"amount": 100, "to": "ravi", "note": "tea"}, NOW, work)
    again = once(db, "p2p:asha", "k1", {"note": "tea", "to": "ravi", "amount": 100}, NOW, work)
    assert again == ({"run": 1}, False)
    assert work.runs == 1


def test_another_request_under_the_key_is_refused_and_runs_nothing(db: Database) -> None:
    work = Work()
    once(db, "p2p:asha", "k1", {"amount": 100}, NOW, work)
    with pytest.raises(IdempotencyConflict):
        once(db, "p2p:asha", "k1", {"amount": 101}, NOW, work)
    assert work.runs == 1


def test_a_key_is_kept_for_its_whole_period_and_cleared_after(db: Database) -> None:
    work = Work()
    once(db, "topup:asha", "old", {"amount": 100}, NOW, work)
    once(db, "topup:asha", "new", {"amount": 100}, NOW + KEEP, work)  # exactly KEEP later: still kept
    assert db["idempotency"].count == 2
    once(db, "topup:asha", "newer", {"amount": 100}, NOW + KEEP + dt.timedelta(seconds=1), work)
    assert sorted(row["key"] for row in db["idempotency"].rows) == ["new", "newer"]
