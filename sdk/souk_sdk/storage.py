"""Writing to a mini-app's database outside a handler (its CLI commands)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlite_utils import Database


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One transaction that takes the write lock at its start (``BEGIN IMMEDIATE``).

    A transaction that starts by reading and writes later cannot wait for a
    server writing at the same time (SQLite answers "database is locked" at
    once); one that takes the lock first waits its turn (the busy timeout).
    """
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
