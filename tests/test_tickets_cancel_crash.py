"""Cancelling an event of 300 tickets refunds each exactly once, whatever happens to the server.

A real ``souk serve`` with tickets and payments: 30 people buy a row of 10
seats each (the payments mini-app's sandbox card, Confirm on its card), 300
tickets.  The organiser sends the cancel 5 times at once; while the refunds
are being made the server is killed with SIGKILL; it is started again on the
same data folder, and the cancel sent 5 times more.  Then:

- every ticket is refunded, and the payments mini-app made exactly 300
  refunds, one per ticket (one idempotency key each), each of its price; each
  payment is refunded exactly what it captured;
- ``souk payments check`` finds the ledger clean, and every wallet holds
  exactly what was topped up;
- every holder was told (a cut between telling and noting it may tell one
  holder twice, never none).
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from pathlib import Path

import pytest
from e2e_support import ServerProcess, run_cli, sign_in
from tickets_e2e import TICKETS, crowd, enable, event_body, pay_for, tickets_db

BUYERS, PER_BUYER, PRICE = 30, 10, 50_000  # ₹500.00 a seat
ROWS = [chr(ord("A") + i) for i in range(26)] + ["AA", "AB", "AC", "AD"]

pytestmark = pytest.mark.slow


def payments_db(server: ServerProcess) -> sqlite3.Connection:
    return sqlite3.connect(
        f"file:{Path(server.data_dir) / 'apps' / 'payments.db'}?mode=ro", uri=True, timeout=30
    )


def refunds_made(server: ServerProcess) -> int:
    with payments_db(server) as db:
        return db.execute("SELECT COUNT(*) FROM refunds").fetchone()[0]


def refunded_tickets(server: ServerProcess, event: str) -> int:
    with tickets_db(server) as db:
        return db.execute(
            "SELECT COUNT(*) FROM tickets WHERE event = ? AND status = 'refunded'", [event]
        ).fetchone()[0]


def untold_tickets(server: ServerProcess, event: str) -> int:
    """Refunded tickets whose holder has not yet been told."""
    with tickets_db(server) as db:
        return db.execute("SELECT COUNT(*) FROM tickets WHERE event = ? AND told = 0", [event]).fetchone()[0]


async def cancel_five_times(server: ServerProcess, token: str, event: str) -> list[int]:
    async with server.async_client(token) as http:
        answers = await asyncio.gather(*(http.post(f"{TICKETS}/events/{event}/cancel") for _ in range(5)))
    return [a.status_code for a in answers]


def test_a_cancel_repeated_and_cut_by_kill_9_refunds_300_tickets_once_each(
    fresh_server: ServerProcess,
) -> None:
    server, rng = fresh_server, random.Random()
    enable(server, "tickets", "payments")
    organiser = sign_in(server, "Cancel Organiser", "+919877499999")
    with server.client(organiser.token) as http:
        made = http.post(f"{TICKETS}/events", json=event_body("Rained off", dict.fromkeys(ROWS, 10), "500"))
    assert made.status_code == 201, made.text
    event = made.json()["ref"]

    async def buy() -> None:
        people = await crowd(server, BUYERS, "+9198773{:05d}", "Holder")

        async def one(index: int) -> None:
            person = people[index]
            seats = [f"{ROWS[index]}{n}" for n in range(1, PER_BUYER + 1)]
            held = await person.call(
                "POST", f"{TICKETS}/events/{event}/holds", {"seats": seats}, expect=(201,)
            )
            await pay_for(person, held["ref"], index, amount="5000.00")

        await asyncio.gather(*(one(i) for i in range(BUYERS)))
        for person in people:
            await person.http.aclose()

    asyncio.run(buy())
    deadline = time.monotonic() + 60
    with tickets_db(server) as db:
        while db.execute("SELECT COUNT(*) FROM tickets WHERE event = ?", [event]).fetchone()[0] < 300:
            assert time.monotonic() < deadline, "the tickets were not all issued"
            time.sleep(0.05)

    kill_at = rng.randint(20, 150)
    assert asyncio.run(cancel_five_times(server, organiser.token, event)) == [200] * 5
    deadline = time.monotonic() + 60
    while refunds_made(server) < kill_at:
        assert time.monotonic() < deadline, f"only {refunds_made(server)} refunds made"
        time.sleep(0.002)
    server.kill()
    at_kill = refunds_made(server)
    assert 0 < at_kill < 300, f"the kill came at {at_kill} refunds: not half-way"

    server.start()
    assert asyncio.run(cancel_five_times(server, organiser.token, event)) == [200] * 5
    deadline = time.monotonic() + 90
    while refunded_tickets(server, event) < 300:
        assert time.monotonic() < deadline, (
            f"{refunded_tickets(server, event)} of 300 refunded after the restart"
        )
        time.sleep(0.1)
    # Each holder is told after their refunds: on a loaded machine the last notices lag the last refund.
    while (untold := untold_tickets(server, event)) > 0:
        assert time.monotonic() < deadline, f"{untold} of 300 refunded tickets' holders not told"
        time.sleep(0.1)
    time.sleep(1.0)  # anything still in flight would show now

    with payments_db(server) as db:
        refunds = db.execute("SELECT amount, reason FROM refunds").fetchall()
        keys = db.execute("SELECT key FROM idempotency WHERE scope = 'refund:tickets'").fetchall()
        payments = db.execute("SELECT captured, refunded FROM payments WHERE merchant = 'tickets'").fetchall()
    assert len(refunds) == 300 and {amount for amount, _ in refunds} == {PRICE}
    assert {reason for _, reason in refunds} == {"Rained off was cancelled by its organiser"}
    assert len({k for (k,) in keys}) == 300
    assert len(payments) == BUYERS and all(
        captured == refunded == PRICE * PER_BUYER for captured, refunded in payments
    )
    check = run_cli("payments", "check", "--data", str(server.data_dir))
    assert check.returncode == 0 and "The ledger is clean" in check.stdout, check.stdout + check.stderr
    with payments_db(server) as db:
        wallets = db.execute("SELECT balance FROM accounts WHERE kind = 'wallet'").fetchall()
    assert sorted(b for (b,) in wallets) == [500_000] * BUYERS  # ₹5,000.00 topped up, all of it back

    assert untold_tickets(server, event) == 0
    with sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True) as core:
        notices = core.execute(
            "SELECT COUNT(*), COUNT(DISTINCT conversation_id) FROM messages WHERE text LIKE ?",
            ["Rained off was cancelled by its organiser: 10 tickets%"],
        ).fetchone()
    assert notices[1] == BUYERS and BUYERS <= notices[0] <= BUYERS + 1
    print(f"killed at {at_kill} of 300 refunds; {notices[0]} notices for {BUYERS} holders")
