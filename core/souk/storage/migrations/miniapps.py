"""Mini-apps in the core's database: identities, consents, countries, state, brokered payments.

A migration is a snapshot: never edit one that has shipped (its name is its key).
"""

from __future__ import annotations

from sqlite_utils import Database


def m003_apps(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE app_users (
            app TEXT NOT NULL,
            user_id TEXT NOT NULL REFERENCES users(id),
            app_user_id TEXT NOT NULL,
            PRIMARY KEY (app, user_id),
            UNIQUE (app, app_user_id)
        );
        CREATE TABLE consents (
            user_id TEXT NOT NULL REFERENCES users(id),
            app TEXT NOT NULL,
            scope TEXT NOT NULL,
            granted_at TEXT NOT NULL,
            PRIMARY KEY (user_id, app, scope)
        );
        CREATE TABLE app_countries (
            app TEXT NOT NULL,
            country TEXT NOT NULL,
            enabled_at TEXT NOT NULL,
            enabled_by TEXT NOT NULL,
            PRIMARY KEY (app, country)
        );
        CREATE TABLE app_state (
            app TEXT PRIMARY KEY,
            suspended INTEGER NOT NULL DEFAULT 0,
            reason TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            changed_at TEXT
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            app TEXT,
            country TEXT,
            detail TEXT
        );
        CREATE TABLE event_deliveries (
            source TEXT NOT NULL,
            event_id TEXT NOT NULL,
            subscriber TEXT NOT NULL,
            delivered_at TEXT NOT NULL,
            PRIMARY KEY (source, event_id, subscriber)
        );
        """
    )


def m007_brokered_payments(db: Database) -> None:
    """Payments the core brokered between a merchant mini-app and a provider.

    Recorded before the provider is asked, so any outcome the provider reports
    can be checked against what the merchant asked for (who, how much, which
    reference) and routed to the conversation the request came from.
    """
    db.executescript(
        """
        CREATE TABLE brokered_payments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            merchant TEXT NOT NULL,
            provider TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            reference TEXT NOT NULL,
            amount INTEGER NOT NULL,
            currency TEXT NOT NULL,
            user_id TEXT,
            conversation_id TEXT,
            payment_id TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (merchant, idempotency_key)
        );
        CREATE INDEX brokered_payments_reference ON brokered_payments(merchant, reference);
        """
    )
