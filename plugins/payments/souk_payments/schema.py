"""The payments database: a double-entry ledger and what is built on it."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("payments")


@migrations()
def m001_ledger(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE accounts (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('wallet', 'merchant', 'system')),
            owner TEXT NOT NULL,
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            balance INTEGER NOT NULL DEFAULT 0,
            held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
            created_at TEXT NOT NULL,
            UNIQUE (kind, owner, currency),
            -- Only system accounts (the funding source) may go below zero.
            CHECK (kind = 'system' OR balance - held >= 0)
        );
        CREATE TABLE transfers (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('topup', 'p2p', 'capture', 'refund', 'reversal')),
            currency TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            memo TEXT NOT NULL DEFAULT '',
            reference TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX transfers_created ON transfers(created_at);
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            transfer_id TEXT NOT NULL REFERENCES transfers(id),
            account_id TEXT NOT NULL REFERENCES accounts(id),
            amount INTEGER NOT NULL CHECK (amount != 0),
            created_at TEXT NOT NULL
        );
        CREATE INDEX entries_account ON entries(account_id, id);
        CREATE INDEX entries_transfer ON entries(transfer_id);
        CREATE TRIGGER entries_apply AFTER INSERT ON entries BEGIN
            UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.account_id;
        END;
        CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN
            SELECT RAISE(ABORT, 'ledger entries are immutable: post a reversing transfer');
        END;
        CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN
            SELECT RAISE(ABORT, 'ledger entries are immutable: post a reversing transfer');
        END;
        CREATE TRIGGER transfers_no_update BEFORE UPDATE ON transfers BEGIN
            SELECT RAISE(ABORT, 'transfers are immutable');
        END;
        CREATE TRIGGER transfers_no_delete BEFORE DELETE ON transfers BEGIN
            SELECT RAISE(ABORT, 'transfers are immutable');
        END;
        CREATE TABLE holds (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id),
            amount INTEGER NOT NULL CHECK (amount > 0),
            status TEXT NOT NULL CHECK (status IN ('open', 'captured', 'voided', 'expired')),
            captured INTEGER NOT NULL DEFAULT 0 CHECK (captured >= 0 AND captured <= amount),
            reference TEXT,
            expires_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE INDEX holds_open ON holds(status, expires_at);
        """
    )


@migrations()
def m002_payments(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE idempotency (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            response TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (scope, key)
        );
        CREATE INDEX idempotency_created ON idempotency(created_at);
        CREATE TABLE payments (
            id TEXT PRIMARY KEY,
            merchant TEXT NOT NULL,
            merchant_title TEXT NOT NULL,
            payer TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            currency TEXT NOT NULL,
            description TEXT NOT NULL,
            reference TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
            failure TEXT,
            hold_id TEXT,
            captured INTEGER NOT NULL DEFAULT 0,
            refunded INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= captured),
            created_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE TABLE refunds (
            id TEXT PRIMARY KEY,
            payment_id TEXT NOT NULL REFERENCES payments(id),
            transfer_id TEXT NOT NULL REFERENCES transfers(id),
            amount INTEGER NOT NULL CHECK (amount > 0),
            reason TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE requests (
            id TEXT PRIMARY KEY,
            requester TEXT NOT NULL,
            requester_name TEXT NOT NULL,
            payer TEXT NOT NULL,
            payer_name TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            currency TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'declined')),
            transfer_id TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE topups (
            id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            currency TEXT NOT NULL,
            source TEXT NOT NULL,
            source_reference TEXT NOT NULL,
            card_last4 TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('approved', 'declined', 'needs_confirmation')),
            transfer_id TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE country_limits (
            country TEXT PRIMARY KEY,
            currency TEXT NOT NULL,
            max_transfer INTEGER NOT NULL CHECK (max_transfer > 0),
            daily_total INTEGER NOT NULL CHECK (daily_total > 0),
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL
        );
        """
    )


@migrations()
def m003_entries_by_day(db: Database) -> None:
    """The daily limit sums one wallet's entries of one day (an entry has its transfer's time)."""
    db.execute("CREATE INDEX entries_account_created ON entries(account_id, created_at)")


@migrations()
def m004_payments_via(db: Database) -> None:
    """The mini-app a payment was asked through, when the payee is someone else (a shop in Shop)."""
    db.execute("ALTER TABLE payments ADD COLUMN via TEXT NOT NULL DEFAULT ''")


@migrations()
def m005_red_packets(db: Database) -> None:
    """Red packets: the envelope, and its shares drawn when it is sent (one row each).

    A share is opened by writing its ``opener``; ``UNIQUE (packet_id, opener)`` makes
    "once each" a rule of the database, whatever the callers raced.
    """
    db.executescript(
        """
        CREATE TABLE red_packets (
            id TEXT PRIMARY KEY,
            sender TEXT NOT NULL,
            sender_name TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            message_id TEXT,
            country TEXT NOT NULL,
            currency TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            count INTEGER NOT NULL CHECK (count > 0 AND count <= amount),
            split TEXT NOT NULL CHECK (split IN ('equal', 'lucky')),
            note TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('open', 'emptied', 'returned')),
            returned INTEGER NOT NULL DEFAULT 0 CHECK (returned >= 0),
            hold_id TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE INDEX red_packets_sender ON red_packets(sender, created_at);
        CREATE TABLE red_packet_shares (
            packet_id TEXT NOT NULL REFERENCES red_packets(id),
            position INTEGER NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            opener TEXT,
            opener_name TEXT,
            transfer_id TEXT,
            opened_at TEXT,
            PRIMARY KEY (packet_id, position),
            UNIQUE (packet_id, opener)
        );
        """
    )
