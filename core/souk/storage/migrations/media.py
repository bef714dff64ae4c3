"""Photos and files in the content-addressed media store.

A migration is a snapshot: never edit one that has shipped (its name is its key).
"""

from __future__ import annotations

from sqlite_utils import Database


def m016_media(db: Database) -> None:
    """Photos and files, stored content-addressed in the data folder (chat/media.py).

    ``media_blobs`` is one row per stored file, named by the SHA-256 of its bytes (what
    was kept after sanitising, never what was uploaded).  ``media`` is one upload: who
    owns it (a person or a mini-app), the conversation it was sent to, the message that
    carries it once posted, and what it is.  ``messages.media`` holds the description of
    what a message carries (JSON): a message with media is shown as kind ``media``, while
    the stored ``kind`` stays ``text``, which the table's CHECK allows.
    ``outside_images`` remembers each outside URL a screen named: fetched once, then
    served from the store (or refused, with the reason).
    """
    db.executescript(
        """
        CREATE TABLE media_blobs (
            hash TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE media (
            id TEXT PRIMARY KEY,
            owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'app')),
            owner_id TEXT NOT NULL,
            purpose TEXT NOT NULL CHECK (purpose IN ('message', 'profile', 'screen')),
            conversation_id TEXT,
            message_id TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('image', 'file')),
            content_type TEXT NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            width INTEGER,
            height INTEGER,
            blob TEXT NOT NULL REFERENCES media_blobs(hash),
            thumbnail TEXT REFERENCES media_blobs(hash),
            created_at TEXT NOT NULL
        );
        CREATE INDEX media_owner ON media(owner_kind, owner_id);
        CREATE INDEX media_blob ON media(blob);
        CREATE INDEX media_thumbnail ON media(thumbnail);
        CREATE INDEX media_message ON media(message_id);
        ALTER TABLE messages ADD COLUMN media TEXT;
        CREATE TABLE outside_images (
            url TEXT PRIMARY KEY,
            media_id TEXT REFERENCES media(id),
            refused TEXT,
            fetched_at TEXT NOT NULL
        );
        """
    )
