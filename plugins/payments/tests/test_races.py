"""Races on money: whoever loses a race is told so, and the ledger never counts anything twice.

Each race starts its contenders together (a ``threading.Barrier``), each in its
own transaction:

- capture, void and expiry of one hold through the core's single writer
  (``souk.storage.store.Store``, the way ``ctx.transaction`` runs them: one savepoint
  each inside a group commit), and again through separate SQLite connections
  to one file (as separate processes would): exactly one wins, every other
  gets ``HoldClosed``, and the balances show the winner's effect only;
- a checkout's Confirm, Cancel and expiry timer, through the harness over HTTP:
  exactly one outcome, the money moved only if it succeeded, and the merchant
  told exactly once;
- concurrent refunds adding up to more than the capture: the refunded total
  never exceeds it; successes and refusals are counted;
- ten transfers at once from a wallet that can pay three: three go through,
  seven get 409 ``insufficient_funds``, and nothing is overdrawn;
- the same transfer (and top-up) sent concurrently with one idempotency key:
  one movement, every answer the same receipt; the key with another amount is
  refused with 409 ``idempotency_conflict``.

``SOUK_STRESS=1`` runs more rounds.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from souk_payments import ledger, wallets
from souk_payments.check import problems
from souk_payments.ledger import HoldClosed
from souk_payments.schema import migrations
from souk_sdk import (
    ApiRequest,
    Context,
    Event,
    FundingResult,
    Manifest,
    api_route,
    command,
    hookimpl,
)
from sqlite_utils import Database

STRESS = os.environ.get("SOUK_STRESS") == "1"
HOLD_ROUNDS = 200 if STRESS else 25
CHECKOUT_ROUNDS = 40 if STRESS else 8
NOW = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
SEED = int(os.environ.get("SOUK_SEED", random.randrange(2**32)))
RANDOM = random.Random(SEED)
"""The order threads start in; a failure names the seed (rerun with SOUK_SEED=...)."""


def race(contenders: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run the contenders at once in threads; each one's result or exception, by name.

    The threads start in a random order: the last to reach the barrier tends
    to run first, so a fixed order would always crown the same contender.
    """
    barrier = threading.Barrier(len(contenders))
    outcomes: dict[str, Any] = {}

    def run(name: str, work: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            outcomes[name] = work()
        except Exception as exc:
            outcomes[name] = exc

    items = list(contenders.items())
    RANDOM.shuffle(items)
    threads = [threading.Thread(target=run, args=item) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == len(contenders), f"seed {SEED}: a contender never finished"
    return outcomes


def winners(outcomes: dict[str, Any]) -> list[str]:
    """The contenders that succeeded; every other one must have lost with HoldClosed."""
    losers = {name: exc for name, exc in outcomes.items() if isinstance(exc, Exception)}
    assert all(type(exc) is HoldClosed for exc in losers.values()), f"seed {SEED}: {losers}"
    return [name for name in outcomes if name not in losers]


def top_up(db: Database, owner: str, amount: int) -> None:
    wallets.record_topup(
        db,
        owner=owner,
        amount=amount,
        currency="INR",
        source="sandbox",
        card_last4="4242",
        result=FundingResult(status="approved", reference=uuid.uuid4().hex),
        key=uuid.uuid4().hex,
        now=NOW,
    )


def account(db: Database, kind: str, owner: str) -> str:
    return ledger.account(db, kind, owner, "INR", NOW.isoformat())  # type: ignore[arg-type]


HOLD = 1_000
CLOSERS: dict[str, Callable[[Database, str, str], Any]] = {
    "capture full": lambda db, hold_id, shop: ledger.capture(db, hold_id, HOLD, shop, NOW.isoformat()),
    "capture part": lambda db, hold_id, shop: ledger.capture(db, hold_id, 300, shop, NOW.isoformat()),
    "void": lambda db, hold_id, shop: ledger.void(db, hold_id, NOW.isoformat()),
    "void again": lambda db, hold_id, shop: ledger.void(db, hold_id, NOW.isoformat()),
    "expire": lambda db, hold_id, shop: ledger.expire(db, hold_id, NOW.isoformat()),
}
TAKES = {"capture full": HOLD, "capture part": 300, "void": 0, "void again": 0, "expire": 0}


def assert_hold_rounds(db: Database, wins: Counter[str], start: int) -> None:
    """After the rounds: the wallet lost exactly what the winning captures took, nothing is held."""
    taken = sum(TAKES[name] * n for name, n in wins.items())
    wallet = db.execute("SELECT balance, held FROM accounts WHERE kind = 'wallet'").fetchone()
    shop = db.execute("SELECT balance FROM accounts WHERE kind = 'merchant'").fetchone()
    assert tuple(wallet) == (start - taken, 0)
    assert (shop[0] if shop else 0) == taken
    statuses = Counter(r[0] for r in db.execute("SELECT status FROM holds"))
    assert statuses == +Counter(
        {
            "captured": wins["capture full"] + wins["capture part"],
            "voided": wins["void"] + wins["void again"],
            "expired": wins["expire"],
        }
    )
    assert problems(db) == []


def test_capture_void_and_expiry_of_one_hold_through_the_writer_exactly_one_wins(souk_world) -> None:
    world = souk_world(["payments"])
    store = world.core.runtime.app_store("payments")
    start = HOLD * HOLD_ROUNDS
    store.write_sync(lambda db: top_up(db, "payer", start))
    shop = store.write_sync(lambda db: account(db, "merchant", "shop"))
    wins: Counter[str] = Counter()
    grouped = losses = 0
    for _ in range(HOLD_ROUNDS):
        wallet = store.write_sync(lambda db: account(db, "wallet", "payer"))
        hold_id = store.write_sync(
            lambda db, wallet=wallet: ledger.hold(db, wallet, HOLD, NOW.isoformat(), NOW.isoformat())
        )
        commits = store.stats.commits
        outcomes = race(
            {
                name: lambda close=close, hold_id=hold_id: store.write_sync(
                    lambda db: close(db, hold_id, shop)
                )
                for name, close in CLOSERS.items()
            }
        )
        grouped += store.stats.commits - commits < len(CLOSERS)
        won = winners(outcomes)
        assert len(won) == 1, f"seed {SEED}: {outcomes}"
        wins.update(won)
        losses += len(outcomes) - 1
    assert sum(wins.values()) == HOLD_ROUNDS and losses == HOLD_ROUNDS * (len(CLOSERS) - 1)
    print(
        f"\nhold races through the writer: winners {dict(wins)}, {losses} got HoldClosed; "
        f"{grouped} rounds shared a commit"
    )
    assert_hold_rounds(store.db, wins, start)


def test_capture_void_and_expiry_of_one_hold_across_connections_exactly_one_wins(tmp_path: Path) -> None:
    path = tmp_path / "payments.db"

    def connect() -> Database:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=30000")
        return Database(conn)

    main = connect()
    migrations.apply(main)
    start = HOLD * HOLD_ROUNDS
    with main.atomic():
        top_up(main, "payer", start)
        shop = account(main, "merchant", "shop")
        wallet = account(main, "wallet", "payer")
    connections = {name: connect() for name in CLOSERS}

    def in_transaction(db: Database, work: Callable[[], Any]) -> Any:
        db.execute("BEGIN IMMEDIATE")
        try:
            result = work()
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return result

    wins: Counter[str] = Counter()
    losses = 0
    for _ in range(HOLD_ROUNDS):
        hold_id = in_transaction(
            main, lambda: ledger.hold(main, wallet, HOLD, NOW.isoformat(), NOW.isoformat())
        )
        outcomes = race(
            {
                name: lambda name=name, close=close, hold_id=hold_id: in_transaction(
                    connections[name], lambda: close(connections[name], hold_id, shop)
                )
                for name, close in CLOSERS.items()
            }
        )
        won = winners(outcomes)
        assert len(won) == 1, f"seed {SEED}: {outcomes}"
        wins.update(won)
        losses += len(outcomes) - 1
    assert sum(wins.values()) == HOLD_ROUNDS and losses == HOLD_ROUNDS * (len(CLOSERS) - 1)
    print(f"\nhold races across connections: winners {dict(wins)}, {losses} got HoldClosed")
    assert_hold_rounds(main, wins, start)
    for db in [main, *connections.values()]:
        db.close()


# -- checkout and refunds, through the harness ---------------------------------------------


class BuyArgs(BaseModel):
    amount: int
    order: str


@command("buy", help="Buy something", args=BuyArgs)
async def buy(ctx: Context, args: BuyArgs) -> str:
    result = await ctx.request_payment(
        amount=args.amount,
        currency="INR",
        description=f"order {args.order}",
        reference=args.order,
        idempotency_key=f"buy-{args.order}",
    )
    return f"payment {result.payment_id} is {result.status}"


class RefundBody(BaseModel):
    payment_id: str
    amount: int
    key: str


@api_route("POST", "/refunds", summary="Refund a payment", body=RefundBody)
async def refund_route(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    body: RefundBody = request.body
    result = await ctx.refund_payment(
        payment_id=body.payment_id, amount=body.amount, reason="returned", idempotency_key=body.key
    )
    return result.model_dump()


class Kiosk:
    """A merchant mini-app: sells with /buy, refunds over HTTP, and writes down what it is told."""

    def __init__(self) -> None:
        self.events: dict[str, Event] = {}

    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="kiosk", title="Kiosk", version="1.0.0")

    @hookimpl
    def souk_commands(self, register: Any) -> None:
        register(buy)

    @hookimpl
    def souk_api_routes(self, register: Any) -> None:
        register(refund_route)

    @hookimpl
    def souk_on_event(self, event: Event, ctx: Context) -> None:
        if event.to == "kiosk":
            self.events[event.id] = event  # by id: a redelivery is the same event

    def told(self, payment_id: str) -> Counter[str]:
        return Counter(e.type for e in self.events.values() if e.data.get("payment_id") == payment_id)


def payments_db(world: Any) -> Database:
    return world.core.runtime.app_store("payments").db


def shopper(world: Any, name: str, amount: str = "5000.00") -> Any:
    """A user who allowed payments (by opening the wallet) and topped up with a sandbox card."""
    user = world.user(name, "IN")
    user.app_chat("payments").send("/wallet")
    user.call(
        "POST",
        "/api/v1/apps/payments/topups",
        {"amount": amount, "card": "4242424242424242", "idempotency_key": uuid.uuid4().hex},
        expect=201,
    )
    return user


def checkout(world: Any, user: Any, amount: int, order: str) -> tuple[str, dict[str, str]]:
    """Buy in the kiosk's chat; the payment id and the checkout screen's button ids by label."""
    reply = user.app_chat("kiosk").send(f"/buy {amount} {order}")
    screen = next(m for m in reply.messages if m["screen"] and m["sender"]["id"] == "payments")
    buttons = {b["label"]: b["id"] for b in screen["screen"]["body"] if b.get("type") == "button"}
    payment_id = next(
        b["payload"]["payment_id"] for b in screen["screen"]["body"] if b.get("type") == "button"
    )
    return payment_id, {"message_id": screen["id"], **buttons}


def press(user: Any, message_id: str, button: str) -> Any:
    return user.call(
        "POST", "/api/v1/actions", {"message_id": message_id, "component_id": button, "values": {}}
    )


def wallet(user: Any) -> int:
    return user.call("GET", "/api/v1/apps/payments/wallet")["balance"]


def test_confirm_cancel_and_expiry_of_one_checkout_exactly_one_outcome(souk_world) -> None:
    kiosk = Kiosk()
    world = souk_world(["payments", kiosk])
    asha = shopper(world, "Asha")
    outcomes: Counter[str] = Counter()
    balance = wallet(asha)
    for n in range(CHECKOUT_ROUNDS):
        payment_id, screen = checkout(world, asha, 700, f"o{n}")
        world.core.clock.advance(dt.timedelta(minutes=16))  # the expiry timer is due, not yet fired
        results = race(
            {
                "confirm": lambda screen=screen: press(asha, screen["message_id"], screen["Confirm"]),
                "cancel": lambda screen=screen: press(asha, screen["message_id"], screen["Cancel"]),
                "expiry": world.settle,  # fires the due expiry timer
            }
        )
        # Confirm and Cancel are one card's buttons: the first press takes the card, the other
        # answers 409 already_done without running.  Nothing else may fail.
        refused = [k for k, r in results.items() if isinstance(r, Exception)]
        assert all("409" in str(results[k]) and "already_done" in str(results[k]) for k in refused), results
        assert set(refused) <= {"confirm", "cancel"} and len(refused) <= 1, results
        world.settle()
        row = (
            payments_db(world)
            .execute("SELECT status, failure, captured FROM payments WHERE id = ?", [payment_id])
            .fetchone()
        )
        status, failure, captured = row
        outcome = "paid" if status == "succeeded" else failure
        outcomes[outcome] += 1
        paid = 700 if status == "succeeded" else 0
        assert captured == paid
        balance -= paid
        assert wallet(asha) == balance
        told = kiosk.told(payment_id)
        assert told == Counter({"payment.succeeded" if paid else "payment.failed": 1}), told
    print(f"\ncheckout races: {dict(outcomes)}")
    assert sum(outcomes.values()) == CHECKOUT_ROUNDS
    assert set(outcomes) <= {"paid", "cancelled by the payer", "expired before it was confirmed"}
    db = payments_db(world)
    assert db.execute("SELECT COUNT(*) FROM holds WHERE status = 'open'").fetchone()[0] == 0
    assert problems(db) == []


def test_concurrent_refunds_never_add_up_to_more_than_the_capture(souk_world) -> None:
    kiosk = Kiosk()
    world = souk_world(["payments", kiosk])
    ravi = shopper(world, "Ravi")
    payment_id, screen = checkout(world, ravi, 1_000, "big")
    press(ravi, screen["message_id"], screen["Confirm"])
    world.settle()
    before = wallet(ravi)

    def refund(amount: int, key: str) -> Any:
        return world.call(
            "POST",
            "/api/v1/apps/kiosk/refunds",
            ravi.token,
            {"payment_id": payment_id, "amount": amount, "key": key},
            expect=(200, 422),
        )

    # Eight refunds of 300 against a capture of 1000: three fit, five are refused.
    first = race({f"r{k}": lambda k=k: refund(300, f"a{k}") for k in range(8)})
    ok = [r for r in first.values() if r.get("status") == "succeeded"]
    refused = [r for r in first.values() if r.get("error", {}).get("code") == "refused"]
    assert (len(ok), len(refused)) == (3, 5), first
    assert all("left to refund" in r["error"]["message"] for r in refused)
    # Then six of 60 against the 100 left: one fits.
    second = race({f"s{k}": lambda k=k: refund(60, f"b{k}") for k in range(6)})
    assert sum(r.get("status") == "succeeded" for r in second.values()) == 1
    # And the same refund key six times at once: one refund of the 40 left, six identical answers.
    third = race({f"t{k}": lambda: refund(40, "same") for k in range(6)})
    assert len({r["refund_id"] for r in third.values()}) == 1
    db = payments_db(world)
    refunded = db.execute("SELECT refunded, captured FROM payments WHERE id = ?", [payment_id]).fetchone()
    assert tuple(refunded) == (1_000, 1_000)
    assert db.execute("SELECT COUNT(*), SUM(amount) FROM refunds").fetchone() == (5, 1_000)
    assert wallet(ravi) == before + 1_000
    world.settle()
    assert kiosk.told(payment_id) == Counter({"payment.succeeded": 1, "payment.refunded": 5})
    # Nothing is left: one more is refused.
    assert refund(1, "late")["error"]["code"] == "refused"
    assert problems(db) == []


def test_a_retried_transfer_moves_money_once_and_another_amount_is_refused(souk_world) -> None:
    world = souk_world(["payments"])
    asha, ravi = shopper(world, "Asha", "1000.00"), world.user("Ravi", "IN")
    db = payments_db(world)

    def transfer(amount: str, key: str, expect: Any = 201) -> Any:
        body = {"to": f"@{ravi.handle}", "amount": amount, "currency": "INR", "idempotency_key": key}
        return asha.call("POST", "/api/v1/apps/payments/transfers", body, expect=expect)

    answers = race({f"c{k}": lambda: transfer("12.50", "lunch-1") for k in range(8)})
    assert len({a["transfer_id"] for a in answers.values()}) == 1
    assert sorted(a["replayed"] for a in answers.values()) == [False] + [True] * 7
    assert transfer("12.50", "lunch-1")["replayed"] is True
    conflict = transfer("13.00", "lunch-1", expect=409)
    assert conflict["error"]["code"] == "idempotency_conflict"
    assert db.execute("SELECT COUNT(*) FROM transfers WHERE kind = 'p2p'").fetchone()[0] == 1
    assert wallet(asha) == 100_000 - 1_250

    # The same top-up key from six clients at once: one credit.
    topups = race(
        {
            f"t{k}": lambda: ravi.call(
                "POST",
                "/api/v1/apps/payments/topups",
                {"amount": "50.00", "card": "4242 4242 4242 4242", "idempotency_key": "top-1"},
                expect=(201, 403),
            )
            for k in range(6)
        }
    )
    assert {a["error"]["code"] for a in topups.values()} == {"consent_required"}  # Ravi never allowed it
    ravi.app_chat("payments").send("/wallet")
    topups = race(
        {
            f"t{k}": lambda: ravi.call(
                "POST",
                "/api/v1/apps/payments/topups",
                {"amount": "50.00", "card": "4242 4242 4242 4242", "idempotency_key": "top-1"},
                expect=201,
            )
            for k in range(6)
        }
    )
    assert len({a["topup_id"] for a in topups.values()}) == 1
    assert wallet(ravi) == 1_250 + 5_000
    assert db.execute("SELECT COUNT(*) FROM transfers WHERE kind = 'topup'").fetchone()[0] == 2
    assert problems(db) == []


def test_concurrent_transfers_never_overdraw_a_wallet(souk_world) -> None:
    world = souk_world(["payments"])
    asha = shopper(world, "Asha", "1000.00")
    others = [world.user(f"Friend {k}", "IN") for k in range(10)]

    def pay(k: int) -> Any:
        body = {
            "to": f"@{others[k].handle}",
            "amount": "300.00",
            "currency": "INR",
            "idempotency_key": f"k{k}",
        }
        return asha.call("POST", "/api/v1/apps/payments/transfers", body, expect=(201, 409))

    # Ten transfers of ₹300 at once from ₹1000: three go through, seven are refused.
    answers = race({f"p{k}": lambda k=k: pay(k) for k in range(10)})
    paid = [a for a in answers.values() if a.get("status") == "succeeded"]
    refused = [a for a in answers.values() if a.get("error", {}).get("code") == "insufficient_funds"]
    assert (len(paid), len(refused)) == (3, 7), answers
    assert wallet(asha) == 10_000
    db = payments_db(world)
    received = db.execute("SELECT SUM(balance) FROM accounts WHERE kind = 'wallet'").fetchone()[0] - 10_000
    assert received == 90_000
    assert db.execute("SELECT COUNT(*) FROM transfers WHERE kind = 'p2p'").fetchone()[0] == 3
    assert problems(db) == []
