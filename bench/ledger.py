"""Ledger transfers in-process: ``python -m bench.ledger '{"target": "souk", ...}'`` prints JSON.

- ``souk``: the payments mini-app's own ``wallets.transfer`` (idempotency key,
  per-country limits, a balanced double-entry transfer) among 10 hot wallets,
  each one a write of Souk's store: one writer thread that commits queued
  writes in groups and acknowledges each after its group's commit, WAL,
  ``synchronous=FULL``; ``clients`` coroutines in closed loops.
- ``baseline``: single-row sqlite-utils inserts, one transaction each, on a
  WAL file at ``synchronous=FULL``, in a plain loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench import inprocess

ACCOUNTS = 10


def available() -> bool:
    """Whether the payments mini-app, with its ledger, is installed."""
    import importlib.util

    return importlib.util.find_spec("souk_payments") is not None


async def souk(spec: dict[str, Any], folder: Path) -> dict[str, Any]:
    from souk.storage.store import Store
    from souk_payments import ledger, wallets
    from souk_payments.schema import migrations

    store = Store(folder / "payments.db", synchronous="FULL")
    store.migrate(migrations)
    now = dt.datetime.now(dt.UTC)
    owners = [f"u_bench{i}" for i in range(ACCOUNTS)]

    def fund(db: Any) -> None:
        funding = ledger.account(db, "system", ledger.FUNDING, "INR", now.isoformat())
        for owner in owners:
            target = wallets.wallet_id(db, owner, "INR", now)
            ledger.move(db, "topup", funding, target, 10**9, now.isoformat())

    store.write_sync(fund)
    latencies: list[float] = []
    started = time.perf_counter()
    measure_from, stop_at = started + spec["warmup"], started + spec["warmup"] + spec["duration"]

    async def client(index: int) -> None:
        count = 0
        while (t0 := time.perf_counter()) < stop_at:
            payer, payee = owners[(index + count) % ACCOUNTS], owners[(index + count + 1) % ACCOUNTS]
            key = f"c{index}-{count}"
            count += 1
            await store.write(
                lambda db, payer=payer, payee=payee, key=key: wallets.transfer(
                    db, payer=payer, payee=payee, amount=1, currency="INR", note="", key=key,
                    country="IN", locale="en-IN", now=dt.datetime.now(dt.UTC),
                )
            )  # fmt: skip
            t1 = time.perf_counter()
            if measure_from <= t1 <= stop_at:
                latencies.append(t1 - t0)

    await asyncio.gather(*(client(i) for i in range(spec["clients"])))
    groups = store.stats.writes / max(1, store.stats.commits)
    store.close()
    return inprocess.figures(latencies, spec["duration"], mean_group=groups)


def baseline(spec: dict[str, Any], folder: Path) -> dict[str, Any]:
    from sqlite_utils import Database

    conn = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    db = Database(conn)
    table = db["rows"]
    table.create({"id": int, "account": str, "amount": int, "created_at": str}, pk="id")
    latencies: list[float] = []
    started = time.perf_counter()
    measure_from, stop_at = started + spec["warmup"], started + spec["warmup"] + spec["duration"]
    count = 0
    while (t0 := time.perf_counter()) < stop_at:
        table.insert(
            {
                "account": f"a{count % ACCOUNTS}",
                "amount": 1,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
            }
        )
        count += 1
        t1 = time.perf_counter()
        if measure_from <= t1 <= stop_at:
            latencies.append(t1 - t0)
    conn.close()
    return inprocess.figures(latencies, spec["duration"])


if __name__ == "__main__":
    inprocess.main(souk, baseline, "souk-ledger-")
