"""The ledger as a state machine: random sequences of money movements never break an invariant.

Hypothesis drives the real functions of ``souk_payments`` (``wallets``,
``ledger``, ``checkout`` and the ``Checkout`` provider) on a real SQLite file
migrated with ``souk_payments.schema.migrations``, one transaction per step,
against a small model of what every account should hold.  Steps: top-ups
(approved and declined), transfers between people in two currencies (INR and
BRL) under per-country limits, holds captured in full or in part, voided or
expired, checkout payments requested, confirmed, cancelled or expired, and
refunds; plus retries with the same idempotency key, the same key with another
amount, and operations that must fail (overdraw, a capture of a closed hold or
of more than was held, a refund over what is left of the capture, a payment to
oneself, the wrong currency, over a limit).  A failing step must raise the
right error and change nothing at all.

After every step: each currency's accounts add up to 0 (the system funding
account is the negative of what came in), no wallet or merchant has a negative
available balance, every account's ``held`` is the sum of its open holds,
every balance is what the model says, the merchant was told each outcome
exactly once (the outbox of the fake transaction), and
``souk_payments.check.problems(db) == []``.

The normal run is 200 examples of up to 20 steps (about 15 s of CPU); it
asserts how many steps of each common kind ran, and prints them all with
``-s``.  For thousands of examples (3,000 of up to 40 steps, several minutes),
which also assert that every kind of step and refusal happened::

    SOUK_STRESS=1 uv run pytest plugins/payments/tests/test_ledger_state_machine.py -s
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from ledger_model import (
    COMMON,
    CURRENCY,
    DAILY,
    EVERY_KIND,
    EXAMPLE_NUMBERS,
    KEEP_REPLAYS,
    MAX_TRANSFER,
    MERCHANTS,
    OWNERS,
    START,
    TOTALS,
    FakeContext,
    FakeTransaction,
    Hold,
    Key,
    Model,
    Payment,
    Sent,
    TopUp,
    drive,
    funding,
    merchant,
    template,
    wallet,
)
from souk_payments import checkout, ledger, wallets
from souk_payments.check import problems
from souk_payments.idempotency import IdempotencyConflict
from souk_payments.ledger import HoldClosed, InsufficientFunds, LedgerError
from souk_payments.limits import OverLimit
from souk_payments.wallets import SelfPayment, WrongCurrency
from souk_sdk import FundingResult, PaymentError, PaymentRequest, RefundRequest
from sqlite_utils import Database

STRESS = os.environ.get("SOUK_STRESS") == "1"
EXAMPLES = 3000 if STRESS else 200
STEPS = 40 if STRESS else 20

AMOUNTS = st.one_of(st.floats(0.02, 1.3), st.floats(0.02, 1.3), st.integers(1, 150_000))
"""A share of what the payer has (a float; above 1 overdraws), or a plain amount in minor units."""
COUNTRIES = st.sampled_from(sorted(CURRENCY))
PAIRS = st.sampled_from(list(itertools.permutations(OWNERS, 2)))
PROVIDER = checkout.Checkout()


class LedgerMachine(RuleBasedStateMachine):
    topups = Bundle("topups")
    transfers = Bundle("transfers")
    holds = Bundle("holds")
    pending = Bundle("pending")
    paid = Bundle("paid")

    folder: Path
    """Where each example's database file is made (the test's temporary folder)."""

    def __init__(self) -> None:
        super().__init__()
        self.path = self.folder / f"payments-{next(EXAMPLE_NUMBERS)}.db"
        shutil.copyfile(template(self.folder), self.path)
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=MEMORY")  # one file, and fast: durability is not under test
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=ON")
        self.db = Database(conn)
        self.now = START
        self.model = Model()
        self.keys = itertools.count(1)
        self.outbox: list[tuple[str, dict[str, Any], str | None]] = []
        self.timers: dict[str, dict[str, Any]] = {}
        self.counts: Counter[str] = Counter()

    def teardown(self) -> None:
        TOTALS.update(self.counts)
        TOTALS["examples"] += 1
        self.db.close()
        self.path.unlink()

    # -- plumbing --------------------------------------------------------------------------

    def key(self, kind: str) -> str:
        return f"{kind}-{next(self.keys)}"

    def tick(self) -> None:
        self.now += dt.timedelta(minutes=1)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[FakeTransaction]:
        """One write transaction; its events and timers count only if it commits (the outbox)."""
        tx = FakeTransaction(self.db)
        with self.db.atomic():
            yield tx
        self.outbox.extend(tx.emitted)
        for key in tx.cancelled:
            self.timers.pop(key, None)
        self.timers.update(tx.scheduled)

    def snapshot(self) -> tuple[Any, ...]:
        tables = ["accounts", "holds", "payments", "transfers", "entries", "refunds", "idempotency", "topups"]
        rows = tuple(tuple(self.db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()) for t in tables)
        return (*rows, len(self.outbox), dict(self.timers))

    def refused(self, error: type[Exception], work: Callable[[], Any], wrap: bool = True) -> None:
        """``work`` raises exactly ``error`` and leaves every table, event and timer as it was."""
        before = self.snapshot()
        with pytest.raises(Exception) as raised:
            if wrap:
                with self.transaction():
                    work()
            else:
                work()
        assert type(raised.value) is error, f"expected {error.__name__}, got {raised.value!r}"
        assert self.snapshot() == before, f"a refused {error.__name__} changed something"
        self.counts[f"refused {error.__name__}"] += 1

    def once(self, work: Callable[[], Any]) -> Any:
        with self.transaction():
            return work()

    def amount(self, account: Key, drawn: float | int) -> int:
        if isinstance(drawn, float):
            return max(1, round(self.model.available(account) * drawn))
        return drawn

    # -- top-ups ---------------------------------------------------------------------------

    @initialize(amounts=st.lists(st.integers(1, 300_000), min_size=2 * len(OWNERS), max_size=2 * len(OWNERS)))
    def everyone_tops_up(self, amounts: list[int]) -> None:
        for (owner, country), amount in zip(itertools.product(OWNERS, CURRENCY), amounts, strict=True):
            self._top_up(owner, country, amount, "approved", self.key("top"))
            self.model.move(funding(CURRENCY[country]), wallet(owner, CURRENCY[country]), amount)

    @initialize(target=paid, payer=st.sampled_from(OWNERS), country=COUNTRIES, share=st.floats(0.05, 0.5))
    def a_first_payment(self, payer: str, country: str, share: float) -> Any:
        """Every example starts with a completed payment to refund, a hold to close, a transfer to retry."""
        return self.confirm_payment(self.request_payment(payer, MERCHANTS[0], country, share), "payer")

    @initialize(target=holds, owner=st.sampled_from(OWNERS), country=COUNTRIES, share=st.floats(0.05, 0.5))
    def a_first_hold(self, owner: str, country: str, share: float) -> Any:
        return self.hold(owner, country, share)

    @initialize(target=transfers, people=PAIRS, country=COUNTRIES, share=st.floats(0.05, 0.3))
    def a_first_transfer(self, people: tuple[str, str], country: str, share: float) -> Any:
        return self.transfer(people, country, share, "normal")

    def _top_up(self, owner: str, country: str, amount: int, status: str, key: str) -> Any:
        result = FundingResult(status=status, reference=f"sbx_{key}")  # type: ignore[arg-type]
        return self.once(
            lambda: wallets.record_topup(
                self.db,
                owner=owner,
                amount=amount,
                currency=CURRENCY[country],
                source="sandbox",
                card_last4="4242",
                result=result,
                key=key,
                now=self.now,
            )
        )

    @rule(
        target=topups,
        owner=st.sampled_from(OWNERS),
        country=COUNTRIES,
        amount=st.integers(1, 200_000),
        status=st.sampled_from(["approved", "approved", "approved", "declined"]),
    )
    def top_up(self, owner: str, country: str, amount: int, status: str) -> TopUp:
        self.tick()
        key = self.key("top")
        receipt, moved = self._top_up(owner, country, amount, status, key)
        assert moved and receipt["status"] == status and receipt["amount"] == amount
        if status == "approved":
            self.model.move(funding(CURRENCY[country]), wallet(owner, CURRENCY[country]), amount)
        self.counts[f"topup {status}"] += 1
        return TopUp(owner, country, amount, status, key, receipt, self.now)

    @rule(top=topups, more=st.sampled_from([0, 0, 1]))
    def retry_top_up(self, top: TopUp, more: int) -> None:
        """The same key and request answers the first receipt and moves nothing; another amount is refused."""
        if self.now - top.at >= KEEP_REPLAYS:
            return
        self.tick()
        if more:
            self.refused(
                IdempotencyConflict,
                lambda: self._top_up(top.owner, top.country, top.amount + more, top.status, top.key),
                wrap=False,
            )
            return
        before = self.snapshot()
        receipt, moved = self._top_up(top.owner, top.country, top.amount, top.status, top.key)
        assert (receipt, moved) == (top.receipt, False)
        assert self.snapshot() == before
        self.counts["topup replayed"] += 1

    # -- transfers between people -----------------------------------------------------------

    def _transfer(self, payer: str, payee: str, country: str, amount: int, key: str, currency: str) -> Any:
        return self.once(
            lambda: wallets.transfer(
                self.db,
                payer=payer,
                payee=payee,
                amount=amount,
                currency=currency,
                note="",
                key=key,
                country=country,
                locale="en",
                now=self.now,
            )
        )

    def _expected_transfer_error(self, payer: str, payee: str, country: str, amount: int) -> type | None:
        currency = CURRENCY[country]
        if payer == payee:
            return SelfPayment
        if amount > MAX_TRANSFER[country]:
            return OverLimit
        if amount > DAILY[country] - self.model.sent_on[(payer, currency, self.now.date())]:
            return OverLimit
        if amount > self.model.available(wallet(payer, currency)):
            return InsufficientFunds
        return None

    @rule(
        target=transfers,
        people=PAIRS,
        country=COUNTRIES,
        amount=AMOUNTS,
        how=st.sampled_from(["normal"] * 8 + ["to oneself", "wrong currency"]),
    )
    def transfer(self, people: tuple[str, str], country: str, amount: float | int, how: str) -> Any:
        self.tick()
        payer, payee = people
        currency, key = CURRENCY[country], self.key("p2p")
        amount = self.amount(wallet(payer, currency), amount)
        if how == "to oneself":
            payee = payer
        if how == "wrong currency":
            self.refused(
                WrongCurrency, lambda: self._transfer(payer, payee, "IN", amount, key, "BRL"), wrap=False
            )
            return multiple()
        error = self._expected_transfer_error(payer, payee, country, amount)
        if error is not None:
            self.refused(
                error, lambda: self._transfer(payer, payee, country, amount, key, currency), wrap=False
            )
            return multiple()  # nothing to retry: the key was not kept either
        receipt, moved = self._transfer(payer, payee, country, amount, key, currency)
        assert moved and receipt["amount"] == amount and receipt["status"] == "succeeded"
        self.model.move(wallet(payer, currency), wallet(payee, currency), amount)
        self.model.sent_on[(payer, currency, self.now.date())] += amount
        self.counts["transfer"] += 1
        return Sent(payer, payee, country, amount, key, receipt, self.now)

    @rule(sent=transfers, more=st.sampled_from([0, 0, 1, 100]))
    def retry_transfer(self, sent: Sent, more: int) -> None:
        """A retry answers the first receipt and moves nothing; the key with another amount is refused."""
        if self.now - sent.at >= KEEP_REPLAYS:
            return
        self.tick()
        currency = CURRENCY[sent.country]
        if more:
            self.refused(
                IdempotencyConflict,
                lambda: self._transfer(
                    sent.payer, sent.payee, sent.country, sent.amount + more, sent.key, currency
                ),
                wrap=False,
            )
            return
        before = self.snapshot()
        receipt, moved = self._transfer(sent.payer, sent.payee, sent.country, sent.amount, sent.key, currency)
        assert (receipt, moved) == (sent.receipt, False)
        assert self.snapshot() == before
        self.counts["transfer replayed"] += 1

    @rule(hours=st.integers(1, 30))
    def time_passes(self, hours: int) -> None:
        self.now += dt.timedelta(hours=hours)

    # -- holds -----------------------------------------------------------------------------

    @rule(target=holds, owner=st.sampled_from(OWNERS), country=COUNTRIES, amount=AMOUNTS)
    def hold(self, owner: str, country: str, amount: float | int) -> Any:
        self.tick()
        account = wallet(owner, CURRENCY[country])
        amount = self.amount(account, amount)

        def work() -> str:
            account_id = wallets.wallet_id(self.db, owner, CURRENCY[country], self.now)
            expires = (self.now + dt.timedelta(minutes=15)).isoformat()
            return ledger.hold(self.db, account_id, amount, self.now.isoformat(), expires)

        if amount > self.model.available(account):
            self.refused(InsufficientFunds, work)
            return multiple()
        hold_id = self.once(work)
        self.model.held[account] += amount
        self.model.hold_status[hold_id] = "open"
        self.counts["hold"] += 1
        return Hold(hold_id, account, amount)

    @rule(
        hold=holds,
        to=st.sampled_from(MERCHANTS),
        how=st.sampled_from(["void", "expire", "full", "part", "part", "too much", "nothing"]),
        fraction=st.floats(0.01, 0.99),
    )
    def close_hold(self, hold: Hold, to: str, how: str, fraction: float) -> None:
        """Capture (in full, in part, too much or nothing), void or expire a hold: only an open one closes."""
        self.tick()
        if how in ("void", "expire"):
            close = ledger.void if how == "void" else ledger.expire
            if self.model.hold_status[hold.id] != "open":
                self.refused(HoldClosed, lambda: close(self.db, hold.id, self.now.isoformat()))
                return
            self.once(lambda: close(self.db, hold.id, self.now.isoformat()))
            self.model.hold_status[hold.id] = {"void": "voided", "expire": "expired"}[how]
            self.model.held[hold.account] -= hold.amount
            self.counts[how] += 1
            return
        currency = hold.account[2]
        part = max(1, min(hold.amount - 1, int(hold.amount * fraction)))
        amount = {"full": hold.amount, "part": part, "too much": hold.amount + 1, "nothing": 0}[how]

        def work() -> str:
            target = ledger.account(self.db, "merchant", to, currency, self.now.isoformat())
            return ledger.capture(self.db, hold.id, amount, target, self.now.isoformat())

        if not 0 < amount <= hold.amount:
            self.refused(LedgerError, work)
            return
        if self.model.hold_status[hold.id] != "open":
            self.refused(HoldClosed, work)
            return
        self.once(work)
        self.model.hold_status[hold.id] = "captured"
        self.model.held[hold.account] -= hold.amount
        self.model.move(hold.account, merchant(to, currency), amount)
        self.counts[f"capture {'full' if amount == hold.amount else 'part'}"] += 1

    # -- checkout: payments to other mini-apps, and refunds ----------------------------------

    @rule(
        target=pending,
        payer=st.sampled_from(OWNERS),
        to=st.sampled_from(MERCHANTS),
        country=COUNTRIES,
        amount=AMOUNTS,
    )
    def request_payment(self, payer: str, to: str, country: str, amount: float | int) -> Payment:
        self.tick()
        amount = self.amount(wallet(payer, CURRENCY[country]), amount)
        ctx = FakeContext(self, payer, country)
        request = PaymentRequest(
            merchant=to,
            merchant_title=to.title(),
            amount=amount,
            currency=CURRENCY[country],
            description="an order",
            reference=self.key("order"),
            idempotency_key=self.key("checkout"),
        )
        result = drive(PROVIDER.request_payment(ctx, request))  # type: ignore[arg-type]
        assert result.status == "pending" and len(ctx.shown) == 1
        self.model.payment_status[result.payment_id] = "pending"
        self.model.timers.add(f"expire:{result.payment_id}")
        self.counts["payment requested"] += 1
        return Payment(result.payment_id, payer, to, CURRENCY[country], amount, country)

    @rule(target=paid, payment=pending, by=st.sampled_from(["payer"] * 4 + ["someone else"]))
    def confirm_payment(self, payment: Payment, by: str) -> Any:
        self.tick()
        status = self.model.payment_status[payment.id]
        payer = payment.payer if by == "payer" else next(o for o in OWNERS if o != payment.payer)

        def work() -> dict[str, Any]:
            with self.transaction() as tx:
                return checkout.confirm(tx, payment.id, payer, self.now, payer)

        if payer != payment.payer:
            self.refused(LedgerError, work, wrap=False)
            return multiple()
        if status == "pending" and payment.amount > self.model.available(wallet(payer, payment.currency)):
            self.refused(InsufficientFunds, work, wrap=False)
            return multiple()
        before = self.snapshot()
        row = work()
        if status != "pending":  # confirmed or failed before: answers the row as it is
            assert row["status"] == status
            assert self.snapshot() == before
            self.counts["confirm of a closed payment"] += 1
            return multiple()
        assert row["status"] == "succeeded" and row["captured"] == payment.amount
        self.model.hold_status[row["hold_id"]] = "captured"  # held and captured in one go
        self.model.payment_status[payment.id] = "succeeded"
        self.model.captured[payment.id] = payment.amount
        self.model.move(
            wallet(payer, payment.currency), merchant(payment.merchant, payment.currency), payment.amount
        )
        self.model.events[("payment.succeeded", payment.id)] += 1
        self.model.timers.discard(f"expire:{payment.id}")
        self.counts["payment confirmed"] += 1
        return payment

    @rule(payment=pending, why=st.sampled_from(["cancelled by the payer", "expired"]))
    def fail_payment(self, payment: Payment, why: str) -> None:
        self.tick()
        status = self.model.payment_status[payment.id]
        before = self.snapshot()
        with self.transaction() as tx:
            row = checkout.fail(
                tx, payment.id, why, self.now, None, payer=payment.payer if why != "expired" else None
            )
        if status != "pending":
            assert row["status"] == status
            assert self.snapshot() == before
            self.counts["fail of a closed payment"] += 1
            return
        # Only a completed payment can be refunded.
        self.refused(PaymentError, lambda: self._refund(payment, 1, self.key("refund")), wrap=False)
        assert row["status"] == "failed" and row["failure"] == why
        self.model.payment_status[payment.id] = "failed"
        self.model.events[("payment.failed", payment.id)] += 1
        self.model.timers.discard(f"expire:{payment.id}")
        self.counts["payment failed"] += 1

    def _refund(self, payment: Payment, amount: int, key: str, as_merchant: str | None = None) -> Any:
        ctx = FakeContext(self, None, None)
        request = RefundRequest(
            merchant=as_merchant or payment.merchant,
            payment_id=payment.id,
            amount=amount,
            reason="returned",
            idempotency_key=key,
        )
        return drive(PROVIDER.refund(ctx, request))  # type: ignore[arg-type]

    @rule(
        payment=paid,
        how=st.sampled_from(["part", "part", "rest", "over", "another merchant"]),
    )
    def refund(self, payment: Payment, how: str) -> None:
        """Refund part or the rest of a capture, then retry it; over what is left, or by another, refused."""
        self.tick()
        left = self.model.captured[payment.id] - self.model.refunded[payment.id]
        amount = {"part": max(1, left // 3), "rest": max(1, left), "over": left + 1}.get(how, 1)
        key = self.key("refund")
        if how == "another merchant":
            other = next(m for m in MERCHANTS if m != payment.merchant)
            self.refused(PaymentError, lambda: self._refund(payment, amount, key, other), wrap=False)
            return
        if self.model.payment_status[payment.id] != "succeeded" or amount > left:
            self.refused(PaymentError, lambda: self._refund(payment, amount, key), wrap=False)
            return
        result = self._refund(payment, amount, key)
        assert result.status == "succeeded" and result.amount == amount
        self.model.refunded[payment.id] += amount
        self.model.move(
            merchant(payment.merchant, payment.currency), wallet(payment.payer, payment.currency), amount
        )
        self.model.events[("payment.refunded", payment.id)] += 1
        self.counts["refund"] += 1
        before = self.snapshot()  # the same key again: the same refund, no second movement
        assert self._refund(payment, amount, key) == result
        assert self.snapshot() == before
        self.counts["refund replayed"] += 1

    # -- after every step ------------------------------------------------------------------

    @invariant()
    def money_is_conserved_and_nobody_overdrawn(self) -> None:
        sums = self.db.execute("SELECT currency, SUM(balance) FROM accounts GROUP BY currency").fetchall()
        assert all(total == 0 for _, total in sums), sums
        assert not self.db.execute(
            "SELECT id FROM accounts WHERE (kind != 'system' AND (balance - held < 0 OR balance < 0)) "
            "OR (kind = 'system' AND balance > 0)"
        ).fetchall()
        held = self.db.execute(
            "SELECT a.id, a.held, COALESCE((SELECT SUM(amount) FROM holds h "
            "WHERE h.account_id = a.id AND h.status = 'open'), 0) FROM accounts a"
        ).fetchall()
        assert all(held == open_holds for _, held, open_holds in held), "held is not the sum of open holds"

    @invariant()
    def balances_are_what_the_model_says(self) -> None:
        stored = {
            (kind, owner, currency): (balance, held)
            for kind, owner, currency, balance, held in self.db.execute(
                "SELECT kind, owner, currency, balance, held FROM accounts"
            )
            if (balance, held) != (0, 0)
        }
        keys = set(self.model.balances) | set(self.model.held)
        expected = {k: (self.model.balances[k], self.model.held[k]) for k in keys}
        assert stored == {k: v for k, v in expected.items() if v != (0, 0)}
        statuses = dict(self.db.execute("SELECT id, status FROM holds").fetchall())
        assert statuses == self.model.hold_status

    @invariant()
    def payments_and_their_outcomes(self) -> None:
        rows = self.db.execute("SELECT id, status, captured, refunded FROM payments").fetchall()
        assert {r[0]: r[1] for r in rows} == self.model.payment_status
        for payment_id, _, captured, refunded in rows:
            assert captured == self.model.captured[payment_id]
            assert refunded == self.model.refunded[payment_id] <= captured
        told = Counter((event, data["payment_id"]) for event, data, _ in self.outbox)
        assert told == +self.model.events
        assert set(self.timers) == self.model.timers

    @invariant()
    def check_finds_nothing(self) -> None:
        assert problems(self.db) == []


SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_random_sequences_of_movements_keep_every_invariant(tmp_path: Path) -> None:
    TOTALS.clear()
    LedgerMachine.folder = tmp_path
    run_state_machine_as_test(LedgerMachine, settings=SETTINGS)
    print(f"\n{EXAMPLES} examples of up to {STEPS} steps: {dict(sorted(TOTALS.items()))}")
    assert TOTALS["examples"] >= EXAMPLES
    for what in EVERY_KIND if STRESS else COMMON:
        assert TOTALS[what] >= 10, f"only {TOTALS[what]} of {what!r}: {TOTALS}"
    moved = sum(TOTALS[k] for k in ("transfer", "hold", "payment confirmed", "refund"))
    refused = sum(n for k, n in TOTALS.items() if k.startswith("refused "))
    assert moved >= 300 * (EXAMPLES // 200) and refused >= 300 * (EXAMPLES // 200), TOTALS
