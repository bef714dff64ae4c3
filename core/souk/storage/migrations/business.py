"""Business accounts (souk/business): their profiles, their staff, the chats customers open.

A migration is a snapshot: never edit one that has shipped (its name is its key).
"""

from __future__ import annotations

from sqlite_utils import Database


def m020_business_accounts(db: Database) -> None:
    """A business: its public profile, its owner and staff with roles, and the chats it serves.

    ``handle`` shares one namespace with ``users.handle`` (same normalised form, and neither
    table may take a handle the other holds: checked in the same write transaction).  ``hours``
    is the weekly opening hours as JSON, read in the business's own ``time_zone``.
    ``verified`` is set by operators only (audited).  ``logo`` is the id of an upload to the
    media store.  ``conversations.business_id`` marks a customer's chat with a business.
    """
    db.executescript(
        """
        CREATE TABLE businesses (
            id TEXT PRIMARY KEY,
            handle TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL,
            address TEXT NOT NULL DEFAULT '',
            website TEXT,
            country TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            hours TEXT NOT NULL DEFAULT '{}',
            logo TEXT,
            verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
            owner_id TEXT NOT NULL REFERENCES users(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE business_staff (
            business_id TEXT NOT NULL REFERENCES businesses(id),
            user_id TEXT NOT NULL REFERENCES users(id),
            role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'agent')),
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (business_id, user_id)
        );
        CREATE INDEX business_staff_by_user ON business_staff(user_id);
        ALTER TABLE conversations ADD COLUMN business_id TEXT;
        """
    )


def m022_customer_controls(db: Database) -> None:
    """What a customer allows a business: the kinds of message they subscribed to, and blocks.

    A subscription row exists while it is active (revoking deletes it); ``source`` says where
    the customer subscribed (the business's screen, a mini-app's confirmation).  A block
    refuses every message from the business.  ``messages_by_sender`` answers "when did this
    customer last write in this chat" with one index seek (souk/business/reply_window.py).
    """
    db.executescript(
        """
        CREATE TABLE business_subscriptions (
            user_id TEXT NOT NULL REFERENCES users(id),
            business_id TEXT NOT NULL REFERENCES businesses(id),
            kind TEXT NOT NULL,
            source TEXT NOT NULL,
            subscribed_at TEXT NOT NULL,
            PRIMARY KEY (user_id, business_id, kind)
        );
        CREATE INDEX business_subscriptions_by_business ON business_subscriptions(business_id);
        CREATE TABLE business_blocks (
            user_id TEXT NOT NULL REFERENCES users(id),
            business_id TEXT NOT NULL REFERENCES businesses(id),
            blocked_at TEXT NOT NULL,
            PRIMARY KEY (user_id, business_id)
        );
        CREATE INDEX business_blocks_by_business ON business_blocks(business_id);
        CREATE INDEX messages_by_sender ON messages(conversation_id, sender_kind, sender_id, created_at);
        """
    )
