"""People: sign-in, time zones, sessions and reach, photos, and the log of fields handed to mini-apps.

A migration is a snapshot: never edit one that has shipped (its name is its key).
"""

from __future__ import annotations

import phonenumbers
import phonenumbers.timezone
from sqlite_utils import Database


def m001_users_and_auth(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            phone TEXT NOT NULL UNIQUE,
            country TEXT NOT NULL,
            display_name TEXT NOT NULL,
            handle TEXT NOT NULL UNIQUE,
            locale TEXT NOT NULL,
            is_operator INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE login_codes (
            phone TEXT PRIMARY KEY,
            code_hash TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE tokens (
            hash TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX tokens_user ON tokens(user_id);
        """
    )


def m004_access_log(db: Database) -> None:
    """Every consented field handed to a mini-app, for the user to read (people/access_log.py)."""
    db.executescript(
        """
        CREATE TABLE access_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL REFERENCES users(id),
            app TEXT NOT NULL,
            scope TEXT NOT NULL,
            field TEXT NOT NULL,
            purpose TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX access_log_user ON access_log(user_id, id);
        """
    )


def m006_time_zones(db: Database) -> None:
    """Each user's time zone (an IANA name), first from their number's region.

    Existing users get the zone of their number, read here and not through the
    people package: a migration is a snapshot and must not change with it.
    """
    db.execute("ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC'")
    for user_id, phone in db.execute("SELECT id, phone FROM users").fetchall():
        zones = phonenumbers.timezone.time_zones_for_number(phonenumbers.parse(phone, None))
        known = [z for z in zones if z != "Etc/Unknown"]
        if known:
            db.execute("UPDATE users SET time_zone = ? WHERE id = ?", [known[0], user_id])


def m014_sessions_and_reach(db: Database) -> None:
    """Sessions a person can see and end one by one, and who may reach them.

    A token gets a public ``id`` (the hash stays secret), the device that signed in (its
    User-Agent, shortened) and when it was last used, which is how a session that is used
    keeps being renewed.  ``reach`` holds each person's choice of who may add them to
    groups and who may find them by their phone number (``everyone``, ``contacts`` or
    ``nobody``); a person without a row may be reached by everyone.
    """
    db.executescript(
        """
        ALTER TABLE tokens ADD COLUMN id TEXT;
        ALTER TABLE tokens ADD COLUMN device TEXT NOT NULL DEFAULT '';
        ALTER TABLE tokens ADD COLUMN last_used_at TEXT;
        UPDATE tokens SET id = 's_' || lower(hex(randomblob(12))), last_used_at = created_at;
        CREATE UNIQUE INDEX tokens_id ON tokens(id);
        CREATE TABLE reach (
            user_id TEXT PRIMARY KEY REFERENCES users(id),
            groups TEXT NOT NULL DEFAULT 'everyone',
            phone TEXT NOT NULL DEFAULT 'everyone'
        );
        """
    )


def m017_profile_photos(db: Database) -> None:
    """A person's photo: the id of one of their own uploads to the media store, made for a profile."""
    db.execute("ALTER TABLE users ADD COLUMN photo TEXT")
