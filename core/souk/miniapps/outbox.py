"""The rows of the core's tables inside a mini-app's database: its outbox and its timers.

Plain ``INSERT`` statements with their columns named once: sqlite-utils'
``insert()`` reads the table's layout first, a second statement on every
emitted event and every timer, in the mini-app's own write transaction.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

OUTBOX_COLUMNS = ("id", "type", "data", "target", "user_id", "conversation_id", "created_at")
TIMER_COLUMNS = ("id", "key", "type", "data", "user_id", "conversation_id", "due_at")


def _insert(db: Database, table: str, columns: tuple[str, ...], row: dict[str, Any]) -> None:
    marks = ", ".join("?" * len(columns))
    db.conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", [row[c] for c in columns])


def add_event(db: Database, row: dict[str, Any]) -> None:
    """Queue an event in the outbox (delivered after the transaction commits)."""
    _insert(db, "_souk_outbox", OUTBOX_COLUMNS, row)


def add_timer(db: Database, row: dict[str, Any]) -> None:
    _insert(db, "_souk_timers", TIMER_COLUMNS, row)
