"""References people read and say aloud: ``E-4F9KQ``, ``B-7K2Q``, ``T-8F3K2MQ9``.

Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L),
made at random and checked against what the table already holds, inside the
write transaction that stores them.
"""

from __future__ import annotations

import secrets

from sqlite_utils import Database

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTHS = {"E": 5, "B": 4, "T": 8}
TABLES = {"E": "events", "B": "bookings", "T": "tickets"}


def new_ref(db: Database, kind: str) -> str:
    """A fresh reference of ``kind`` (``E`` event, ``B`` booking, ``T`` ticket), unused so far."""
    table, length = TABLES[kind], LENGTHS[kind]
    while True:
        ref = f"{kind}-" + "".join(secrets.choice(ALPHABET) for _ in range(length))
        if db.execute(f"SELECT 1 FROM {table} WHERE ref = ?", [ref]).fetchone() is None:
            return ref
