"""Conversations, members and messages, receipts and sharing, search, and who is connected where.

A migration is a snapshot: never edit one that has shipped (its name is its key).
"""

from __future__ import annotations

from sqlite_utils import Database


def m002_conversations(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('direct', 'group', 'app')),
            title TEXT,
            app TEXT,
            unique_key TEXT UNIQUE,
            created_by TEXT,
            created_at TEXT NOT NULL,
            last_seq INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE members (
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            user_id TEXT NOT NULL REFERENCES users(id),
            role TEXT NOT NULL DEFAULT 'member',
            joined_at TEXT NOT NULL,
            last_read_seq INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (conversation_id, user_id)
        );
        CREATE INDEX members_user ON members(user_id);
        CREATE TABLE messages (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            seq INTEGER NOT NULL,
            sender_kind TEXT NOT NULL CHECK (sender_kind IN ('user', 'app', 'system')),
            sender_id TEXT NOT NULL,
            sender_name TEXT NOT NULL,
            client_id TEXT,
            body_hash TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('text', 'screen')),
            text TEXT NOT NULL,
            screen TEXT,
            visible_to TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (conversation_id, seq)
        );
        CREATE UNIQUE INDEX messages_client_id
            ON messages(conversation_id, sender_id, client_id) WHERE client_id IS NOT NULL;
        """
    )


def m005_screens_that_update(db: Database) -> None:
    """A message can be replaced in place: each change takes the next sequence number.

    ``changed_seq`` is the sequence number of the message's latest version (its
    ``seq`` until it is replaced), which is what history and resume follow, so
    a client that missed a replacement gets it.  ``claimed_revision`` marks the
    version of a screen whose one-time action ran (or is running).
    """
    db.executescript(
        """
        ALTER TABLE messages ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE messages ADD COLUMN changed_seq INTEGER;
        ALTER TABLE messages ADD COLUMN updated_at TEXT;
        ALTER TABLE messages ADD COLUMN claimed_revision INTEGER;
        UPDATE messages SET changed_seq = seq;
        CREATE INDEX messages_changed ON messages(conversation_id, changed_seq);
        """
    )


def m008_replies_edits_reactions(db: Database) -> None:
    """Replies quote a message by its ``seq``; edits and deletions for everyone mark when they
    happened; ``reactions`` maps each person who reacted to their emoji (JSON, in the order
    they reacted).  Each of these changes is a new version of the message under the next
    sequence number (``changed_seq``), as a replaced screen is, so resume carries it.
    """
    db.executescript(
        """
        ALTER TABLE messages ADD COLUMN reply_to_seq INTEGER;
        ALTER TABLE messages ADD COLUMN edited_at TEXT;
        ALTER TABLE messages ADD COLUMN deleted_at TEXT;
        ALTER TABLE messages ADD COLUMN reactions TEXT;
        """
    )


def m009_receipts_presence_sharing(db: Database) -> None:
    """Delivered and read receipts, last seen, and who may see each of them.

    A member's ``delivered_seq`` and ``last_read_seq`` only grow; ``receipts`` keeps each
    step of them with its time, which is how a message's info says when each member
    read it (the first step that reached its ``seq``).  ``sharing`` holds each person's
    choice of audience (everyone, contacts, nobody) for read receipts, typing and
    presence; a person without a row shares with everyone.
    """
    db.executescript(
        """
        ALTER TABLE members ADD COLUMN delivered_seq INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE receipts (
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            user_id TEXT NOT NULL REFERENCES users(id),
            kind TEXT NOT NULL CHECK (kind IN ('delivered', 'read')),
            seq INTEGER NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX receipts_by_seq ON receipts(conversation_id, kind, seq);
        CREATE INDEX receipts_user ON receipts(user_id);
        CREATE TABLE sharing (
            user_id TEXT PRIMARY KEY REFERENCES users(id),
            receipts TEXT NOT NULL DEFAULT 'everyone',
            typing TEXT NOT NULL DEFAULT 'everyone',
            presence TEXT NOT NULL DEFAULT 'everyone'
        );
        CREATE TABLE last_seen (user_id TEXT PRIMARY KEY REFERENCES users(id), at TEXT NOT NULL);
        """
    )


def m010_groups_with_a_life(db: Database) -> None:
    """Admins, who may post, a group's photo, system messages, and membership over time.

    ``members.periods`` keeps each stretch of a person's membership, as JSON pairs
    ``[from_seq, to_seq]``: they may read what came after ``from_seq``, up to ``to_seq``
    while it lasted (``null`` while they are in).  ``members.left_seq`` is set while
    they are out, so the current members are those without it.  A message's ``event``
    is the structured form of a system message (who added whom).
    ``message_snapshots`` keeps the version of a message a former member last saw,
    when it changes after they left (written only then), so they keep what they had
    and see nothing that came after.  Everyone who is a member now was one from the
    start: their period opens at 0.
    """
    db.executescript(
        """
        ALTER TABLE members ADD COLUMN joined_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE members ADD COLUMN left_seq INTEGER;
        ALTER TABLE members ADD COLUMN periods TEXT NOT NULL DEFAULT '[[0,null]]';
        ALTER TABLE conversations ADD COLUMN posting TEXT NOT NULL DEFAULT 'everyone';
        ALTER TABLE conversations ADD COLUMN photo TEXT;
        ALTER TABLE messages ADD COLUMN event TEXT;
        CREATE TABLE message_snapshots (
            message_id TEXT NOT NULL,
            from_seq INTEGER NOT NULL,
            upto_seq INTEGER NOT NULL,
            row TEXT NOT NULL,
            PRIMARY KEY (message_id, from_seq)
        );
        """
    )


def m011_search(db: Database) -> None:
    """Full-text search of messages (SQLite FTS5), kept in step with ``messages`` by triggers.

    The index holds each message's text as it is now: an edit replaces its words, a
    deletion for everyone (an empty text) and an erasure take them out.  Who may see a
    match is decided when searching (chat/search.py), not here.
    """
    db.executescript(
        """
        CREATE VIRTUAL TABLE messages_fts USING fts5(
            text, content = 'messages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
        END;
        """
    )


def m012_written_while_offline(db: Database) -> None:
    """When its sender wrote a message, if that was before it reached the server (while offline).

    The message still takes its place in the conversation when it arrives (one order for
    everyone); clients show that it was written earlier.
    """
    db.execute("ALTER TABLE messages ADD COLUMN written_at TEXT")


def m013_when_marks_moved(db: Database) -> None:
    """When each member's delivered and read marks last moved, kept beside the marks.

    A receipt frame says it with every mark; reading it from ``receipts`` (the latest
    step) cost a scan of the conversation's steps on every read mark.
    """
    db.executescript(
        """
        ALTER TABLE members ADD COLUMN delivered_at TEXT;
        ALTER TABLE members ADD COLUMN read_at TEXT;
        UPDATE members SET
            delivered_at = (SELECT MAX(at) FROM receipts r WHERE r.conversation_id = members.conversation_id
                            AND r.user_id = members.user_id AND r.kind = 'delivered'),
            read_at = (SELECT MAX(at) FROM receipts r WHERE r.conversation_id = members.conversation_id
                       AND r.user_id = members.user_id AND r.kind = 'read');
        """
    )


def m018_live_connections(db: Database) -> None:
    """Who is connected to which worker, for presence across several workers (docs/scaling.md)."""
    db.executescript(
        """
        CREATE TABLE live_workers (worker TEXT PRIMARY KEY, seen_at TEXT NOT NULL);
        CREATE TABLE live_connections (
            worker TEXT NOT NULL,
            user_id TEXT NOT NULL,
            PRIMARY KEY (user_id, worker)
        ) WITHOUT ROWID;
        """
    )
