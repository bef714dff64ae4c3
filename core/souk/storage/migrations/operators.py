"""Operator accounts, the audit log, rollouts and the kill switch, per-country settings, moderation.

A migration is a snapshot: never edit one that has shipped (its name is its key).
"""

from __future__ import annotations

from sqlite_utils import Database


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


def m019_country_settings(db: Database) -> None:
    """What operators set, per country, of the settings a mini-app declares (a limit, a hold time).

    One row per mini-app, country and setting that was changed from its default; ``value``
    is JSON, checked against the mini-app's own model when written and again when read.
    Each change is also in the audit log, with the value before and after.
    """
    db.executescript(
        """
        CREATE TABLE country_settings (
            app TEXT NOT NULL,
            country TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            changed_by TEXT NOT NULL,
            PRIMARY KEY (app, country, name)
        );
        """
    )


def m021_moderation_reports(db: Database) -> None:
    """Reports that mini-apps raise about a person, and the suspensions operators decide on them.

    A report names both people by their core id (a mini-app only ever knew its own pseudonyms
    for them), and its ``country`` is the subject's: the country whose operators decide.
    ``state`` is ``open`` until an operator dismisses it or acts on it.

    A suspension keeps a person from one mini-app (``app``) or from all of Souk (``*``: no
    sign-in, no sends), with the report it came from.
    """
    db.executescript(
        """
        CREATE TABLE reports (
            id TEXT PRIMARY KEY,
            app TEXT NOT NULL,
            reporter_id TEXT,
            subject_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            details TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'dismissed', 'actioned')),
            outcome TEXT,
            note TEXT,
            resolved_by TEXT,
            resolved_at TEXT
        );
        CREATE INDEX reports_by_state ON reports(state, created_at);
        CREATE INDEX reports_by_subject ON reports(subject_id);
        CREATE INDEX reports_by_reporter ON reports(reporter_id);
        CREATE TABLE user_suspensions (
            user_id TEXT NOT NULL,
            app TEXT NOT NULL,
            report_id TEXT,
            reason TEXT NOT NULL,
            suspended_at TEXT NOT NULL,
            suspended_by TEXT NOT NULL,
            PRIMARY KEY (user_id, app)
        );
        """
    )
