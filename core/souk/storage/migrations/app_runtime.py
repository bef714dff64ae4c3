"""Tables the core keeps inside every mini-app's own database: the outbox, timers, inbox.

A migration is a snapshot: never edit one that has shipped (its name is its key).
"""

from __future__ import annotations

from sqlite_utils import Database


def m001_outbox_timers_inbox(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE _souk_outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            target TEXT,
            user_id TEXT,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            delivered_at TEXT,
            dead_at TEXT
        );
        CREATE INDEX _souk_outbox_pending ON _souk_outbox(delivered_at, dead_at, seq);
        CREATE TABLE _souk_timers (
            id TEXT PRIMARY KEY,
            key TEXT UNIQUE,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            user_id TEXT,
            due_at TEXT NOT NULL
        );
        CREATE INDEX _souk_timers_due ON _souk_timers(due_at);
        CREATE TABLE _souk_inbox (event_id TEXT PRIMARY KEY, handled_at TEXT NOT NULL);
        """
    )


def m002_owned_events(db: Database) -> None:
    """Where an event belongs (the conversation it came from), and why one was refused."""
    db.executescript(
        """
        ALTER TABLE _souk_outbox ADD COLUMN conversation_id TEXT;
        ALTER TABLE _souk_outbox ADD COLUMN problem TEXT;
        ALTER TABLE _souk_timers ADD COLUMN conversation_id TEXT;
        """
    )


def m003_outbox_leases(db: Database) -> None:
    """Which worker delivers an event, and until when: several workers share the outbox."""
    db.executescript(
        """
        ALTER TABLE _souk_outbox ADD COLUMN leased_by TEXT;
        ALTER TABLE _souk_outbox ADD COLUMN lease_until TEXT;
        """
    )
