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


def m023_business_inbox(db: Database) -> None:
    """The shared inbox: one thread per customer's chat, what only the staff see, and its automation.

    ``inbox_threads`` holds a chat's state (``open``: the customer waits for the business;
    ``pending``: the business answered and waits for the customer; ``resolved``), its assignee,
    labels (JSON list) and the away period the customer last got the away message in.
    ``inbox_notes`` are the staff's private notes and ``inbox_replies`` which agent wrote each
    message the business sent: neither ever reaches the customer.  ``inbox_settings`` holds a
    business's choices (agent name shown, per-agent cap, greeting, away message);
    ``quick_replies`` and ``keyword_rules`` its saved answers and rules (with their hits).
    """
    db.executescript(
        """
        CREATE TABLE inbox_threads (
            conversation_id TEXT PRIMARY KEY REFERENCES conversations(id),
            business_id TEXT NOT NULL REFERENCES businesses(id),
            customer_id TEXT NOT NULL REFERENCES users(id),
            state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'pending', 'resolved')),
            assignee_id TEXT,
            assigned_at TEXT,
            labels TEXT NOT NULL DEFAULT '[]',
            away_period TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX inbox_threads_by_state ON inbox_threads(business_id, state, updated_at);
        CREATE INDEX inbox_threads_by_assignee ON inbox_threads(business_id, assignee_id, state);
        CREATE TABLE inbox_notes (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            author_id TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX inbox_notes_by_conversation ON inbox_notes(conversation_id, created_at);
        CREATE TABLE inbox_replies (
            message_id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL,
            agent_id TEXT
        );
        CREATE TABLE inbox_settings (
            business_id TEXT PRIMARY KEY REFERENCES businesses(id),
            show_agent_name INTEGER NOT NULL DEFAULT 0 CHECK (show_agent_name IN (0, 1)),
            auto_assign INTEGER NOT NULL DEFAULT 1 CHECK (auto_assign IN (0, 1)),
            agent_cap INTEGER NOT NULL DEFAULT 10,
            greeting TEXT NOT NULL DEFAULT '',
            away_message TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE quick_replies (
            business_id TEXT NOT NULL REFERENCES businesses(id),
            name TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (business_id, name)
        );
        CREATE TABLE keyword_rules (
            id TEXT PRIMARY KEY,
            business_id TEXT NOT NULL REFERENCES businesses(id),
            keywords TEXT NOT NULL,
            reply TEXT NOT NULL DEFAULT '',
            assign_to TEXT,
            label TEXT,
            hits INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX keyword_rules_by_business ON keyword_rules(business_id, created_at);
        """
    )


def m024_inbox_service_levels(db: Database) -> None:
    """Service levels and satisfaction: each contact's first response and resolution, and ratings.

    A contact runs from a customer's message to a thread that had none open (``opened_at``) to
    its resolution; ``responded`` says whether the business answered in it yet.
    ``inbox_service`` keeps one row per fact (``first_response`` or ``resolution``, with the
    seconds it took and the agent).  ``inbox_ratings`` holds a customer's stars (1 to 5) and
    comment for one resolved contact, named by its ``opened_at``.
    """
    db.executescript(
        """
        ALTER TABLE inbox_threads ADD COLUMN opened_at TEXT;
        ALTER TABLE inbox_threads ADD COLUMN responded INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE inbox_threads ADD COLUMN resolved_contact TEXT;
        ALTER TABLE inbox_threads ADD COLUMN resolved_by TEXT;
        CREATE TABLE inbox_service (
            id INTEGER PRIMARY KEY,
            business_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            agent_id TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('first_response', 'resolution')),
            seconds INTEGER NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX inbox_service_by_business ON inbox_service(business_id, at);
        CREATE TABLE inbox_ratings (
            conversation_id TEXT NOT NULL,
            contact TEXT NOT NULL,
            business_id TEXT NOT NULL,
            agent_id TEXT,
            stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
            comment TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            PRIMARY KEY (conversation_id, contact)
        );
        CREATE INDEX inbox_ratings_by_business ON inbox_ratings(business_id, created_at);
        """
    )
