"""The core's tables, as versioned sqlite-utils migrations.

Add a migration at the end; never edit one that has shipped.
"""

from __future__ import annotations

import phonenumbers
import phonenumbers.timezone
from sqlite_utils import Database, Migrations

from .business_migrations import m019_business_accounts

core_migrations = Migrations("souk")


@core_migrations()
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


@core_migrations()
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


@core_migrations()
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


@core_migrations()
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


@core_migrations()
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


@core_migrations()
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


@core_migrations()
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


@core_migrations()
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


@core_migrations()
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


@core_migrations()
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


@core_migrations()
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


@core_migrations()
def m012_written_while_offline(db: Database) -> None:
    """When its sender wrote a message, if that was before it reached the server (while offline).

    The message still takes its place in the conversation when it arrives (one order for
    everyone); clients show that it was written earlier.
    """
    db.execute("ALTER TABLE messages ADD COLUMN written_at TEXT")


@core_migrations()
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


@core_migrations()
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


@core_migrations()
def m015_operator_accounts(db: Database) -> None:
    """Operators get accounts of their own, apart from chat users, with a role and countries.

    ``countries`` is ``*`` (everywhere) or a comma-separated list of ISO codes.  A sign-in
    key and the tokens it buys are stored only as hashes.  The chat users who had the
    operator flag become operators everywhere under their handle, with no key yet
    (``souk operators key NAME`` gives them one); the flag no longer opens the admin API.

    The audit log keeps the state before and after each change (JSON), and becomes
    append-only: triggers refuse any update or delete.  It names people by their core
    id, never by handle or number, so erasing a person leaves it as it is.
    """
    db.executescript(
        """
        CREATE TABLE operator_accounts (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('owner', 'operator', 'viewer')),
            countries TEXT NOT NULL DEFAULT '*',
            key_hash TEXT,
            user_id TEXT REFERENCES users(id),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            revoked_at TEXT
        );
        CREATE TABLE operator_tokens (
            hash TEXT PRIMARY KEY,
            operator TEXT NOT NULL REFERENCES operator_accounts(name),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO operator_accounts (name, role, countries, user_id, created_at, created_by)
            SELECT handle, 'operator', '*', id, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'migration'
            FROM users WHERE is_operator = 1;
        UPDATE users SET is_operator = 0;
        ALTER TABLE audit_log ADD COLUMN before_state TEXT;
        ALTER TABLE audit_log ADD COLUMN after_state TEXT;
        CREATE INDEX audit_log_by_app ON audit_log(app, id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
    )


@core_migrations()
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


@core_migrations()
def m017_profile_photos(db: Database) -> None:
    """A person's photo: the id of one of their own uploads to the media store, made for a profile."""
    db.execute("ALTER TABLE users ADD COLUMN photo TEXT")


@core_migrations()
def m018_rollouts_and_kill_switch(db: Database) -> None:
    """A mini-app is on for a percentage of a country's people; each change keeps the state before it.

    ``rollout_undo`` holds, per mini-app and country, the percent before the last change (0:
    off), which one action restores.  ``app_state.stopped_by`` says who stopped a mini-app
    everywhere: the breaker, or an operator's kill switch (every earlier stop was an operator's
    or the breaker's; they are taken as the breaker's when the reason reads like its own).
    """
    db.executescript(
        """
        ALTER TABLE app_countries ADD COLUMN percent INTEGER NOT NULL DEFAULT 100
            CHECK (percent BETWEEN 1 AND 100);
        CREATE TABLE rollout_undo (
            app TEXT NOT NULL,
            country TEXT NOT NULL,
            percent INTEGER NOT NULL,
            PRIMARY KEY (app, country)
        );
        ALTER TABLE app_state ADD COLUMN stopped_by TEXT;
        UPDATE app_state SET stopped_by = CASE WHEN reason LIKE '%requests in the last%' THEN 'breaker'
            ELSE 'operator' END WHERE suspended = 1;
        """
    )


app_runtime_migrations = Migrations("souk_runtime")


@core_migrations()
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


"""Tables the core keeps inside every mini-app's own database: the outbox, timers, inbox."""


@app_runtime_migrations()
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


@app_runtime_migrations()
def m002_owned_events(db: Database) -> None:
    """Where an event belongs (the conversation it came from), and why one was refused."""
    db.executescript(
        """
        ALTER TABLE _souk_outbox ADD COLUMN conversation_id TEXT;
        ALTER TABLE _souk_outbox ADD COLUMN problem TEXT;
        ALTER TABLE _souk_timers ADD COLUMN conversation_id TEXT;
        """
    )


@app_runtime_migrations()
def m003_outbox_leases(db: Database) -> None:
    """Which worker delivers an event, and until when: several workers share the outbox."""
    db.executescript(
        """
        ALTER TABLE _souk_outbox ADD COLUMN leased_by TEXT;
        ALTER TABLE _souk_outbox ADD COLUMN lease_until TEXT;
        """
    )


core_migrations()(m019_business_accounts)
