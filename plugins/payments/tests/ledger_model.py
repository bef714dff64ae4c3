"""What the ledger state machine (``test_ledger_state_machine.py``) drives the code with.

The little world it runs in (four people, two merchants, INR and BRL with low
limits, a migrated template database); a fake of the SDK's ``Transaction`` and
of the bit of ``Context`` that ``Checkout`` uses, both over one SQLite
connection, with the outbox kept until commit; the model of what every account
should hold; and the kinds of step a run must show.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from souk_payments import ledger
from souk_payments.limits import set_limits
from souk_payments.schema import migrations
from souk_sdk import AppUser, Transaction
from sqlite_utils import Database

OWNERS = ["ana", "ben", "chi", "dev"]
MERCHANTS = ["shop", "tickets"]
CURRENCY = {"IN": "INR", "BR": "BRL"}
MAX_TRANSFER = {"IN": 300_00, "BR": 200_00}
DAILY = {"IN": 800_00, "BR": 500_00}
KEEP_REPLAYS = dt.timedelta(hours=24)
"""Keys are promised for at least 24 hours; retries older than that are not replayed here."""
START = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
EXAMPLE_NUMBERS = itertools.count(1)


@functools.cache
def template(folder: Path) -> Path:
    """A database migrated with the mini-app's own migrations and the limits set, copied per example."""
    path = folder / "template.db"
    db = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(db)
    with db.atomic():
        for country in CURRENCY:
            set_limits(db, country, MAX_TRANSFER[country], DAILY[country], "test", START)
    db.close()
    return path


class Machine(Protocol):
    """What the fakes need of the state machine: its database, clock and transactions."""

    db: Database
    now: dt.datetime

    def transaction(self) -> contextlib.AbstractContextManager[FakeTransaction]: ...


Key = tuple[str, str, str]
"""(kind, owner, currency) of an account."""


class FakeTransaction(Transaction):
    """The SDK's Transaction over one connection: events and timers are kept until commit."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.emitted: list[tuple[str, dict[str, Any], str | None]] = []
        self.scheduled: dict[str, dict[str, Any]] = {}
        self.cancelled: list[str] = []

    def emit(self, type: str, data: dict[str, Any], *, to: str | None = None, user: Any = None) -> str:
        self.emitted.append((type, data, to))
        return f"e{len(self.emitted)}"

    def schedule(
        self,
        type: str,
        data: dict[str, Any],
        *,
        at: dt.datetime | None = None,
        after: dt.timedelta | None = None,
        key: str | None = None,
        user: Any = None,
    ) -> str:
        assert key is not None and (at is None) != (after is None)
        self.scheduled[key] = {"type": type, **data}
        return key

    def cancel(self, key: str) -> bool:
        self.cancelled.append(key)
        return True

    def first_time(self, event_id: str) -> bool:
        return True


class FakeContext:
    """What ``Checkout`` uses of a Context: the user, the clock, reads, one transaction, ``show``."""

    def __init__(self, machine: Machine, user: str | None, country: str | None) -> None:
        self.machine = machine
        self.user = AppUser(id=user, country=country) if user else None
        self.country = country
        self.locale = "en"
        self.shown: list[Any] = []

    @property
    def db(self) -> Database:
        return self.machine.db

    def now(self) -> dt.datetime:
        return self.machine.now

    async def transaction(self, work: Callable[[Transaction], Any]) -> Any:
        with self.machine.transaction() as tx:
            return work(tx)

    async def show(self, content: Any) -> str:
        self.shown.append(content)
        return "m1"


def drive(coroutine: Any) -> Any:
    """Run a coroutine that never really waits (everything here is synchronous SQLite)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise AssertionError("the coroutine waited for something")


@dataclass
class Hold:
    id: str
    account: Key
    amount: int


@dataclass
class Payment:
    id: str
    payer: str
    merchant: str
    currency: str
    amount: int
    country: str


@dataclass
class Sent:
    payer: str
    payee: str
    country: str
    amount: int
    key: str
    receipt: dict[str, Any]
    at: dt.datetime


@dataclass
class TopUp:
    owner: str
    country: str
    amount: int
    status: str
    key: str
    receipt: dict[str, Any]
    at: dt.datetime


@dataclass
class Model:
    balances: Counter[Key] = field(default_factory=Counter)
    held: Counter[Key] = field(default_factory=Counter)
    hold_status: dict[str, str] = field(default_factory=dict)
    payment_status: dict[str, str] = field(default_factory=dict)
    captured: Counter[str] = field(default_factory=Counter)
    refunded: Counter[str] = field(default_factory=Counter)
    sent_on: Counter[tuple[str, str, dt.date]] = field(default_factory=Counter)
    events: Counter[tuple[str, str]] = field(default_factory=Counter)
    timers: set[str] = field(default_factory=set)

    def move(self, source: Key, target: Key, amount: int) -> None:
        self.balances[source] -= amount
        self.balances[target] += amount

    def available(self, account: Key) -> int:
        return self.balances[account] - self.held[account]


def wallet(owner: str, currency: str) -> Key:
    return ("wallet", owner, currency)


def merchant(name: str, currency: str) -> Key:
    return ("merchant", name, currency)


def funding(currency: str) -> Key:
    return ("system", ledger.FUNDING, currency)


TOTALS: Counter[str] = Counter()
"""What the examples did, added up (successes and refusals by kind)."""
COMMON = [
    "topup approved",
    "transfer",
    "hold",
    "payment requested",
    "payment confirmed",
    "refund",
    "refused InsufficientFunds",
    "refused PaymentError",
]
"""Happen at least 10 times in any run of 200 examples (about 50 to 600 times in practice)."""
EVERY_KIND = [
    *COMMON,
    "topup declined",
    "topup replayed",
    "transfer replayed",
    "capture full",
    "capture part",
    "void",
    "expire",
    "payment failed",
    "confirm of a closed payment",
    "fail of a closed payment",
    "refund replayed",
    "refused HoldClosed",
    "refused LedgerError",
    "refused IdempotencyConflict",
    "refused OverLimit",
    "refused SelfPayment",
    "refused WrongCurrency",
]
"""Each happens in every normal run too, but hypothesis spreads its choices so unevenly (from 2 to
50 captures in part, say) that only the stress run, 15 times longer, asserts on each of them."""
