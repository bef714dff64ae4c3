"""The matchmaking database: profiles, likes and passes, matches, blocks and reports.

The rules that matter are constraints, not hopes:

- ``matches`` has one row per pair ever (``UNIQUE (a, b)`` with ``a < b`` when made), so
  two likes at the same moment make one match, and a pair that unmatched does
  not match again;
- a like and the match it completes are written in one transaction, with the
  timer that opens their chat (the outbox), so a crash leaves either nothing or
  the whole match, whose chat then opens when the server is back;
- the first birth date a member gives is kept (``birth_dates``), through a
  refusal as under 18 and through deleting the profile, so it cannot be
  swapped for an older one to get in;
- ``profiles.cell`` is an H3 cell; no column anywhere holds a position.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("matchmaking")


@migrations()
def m001_profiles_likes_matches(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE profiles (
            member TEXT PRIMARY KEY,
            card TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            birth_date TEXT NOT NULL,
            gender TEXT NOT NULL CHECK (gender IN ('woman', 'man', 'nonbinary')),
            seeks TEXT NOT NULL,
            age_min INTEGER NOT NULL CHECK (age_min >= 18),
            age_max INTEGER NOT NULL CHECK (age_max >= age_min),
            country TEXT NOT NULL,
            city TEXT,
            cell TEXT NOT NULL,
            bio TEXT NOT NULL DEFAULT '',
            paused INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            active_at TEXT NOT NULL
        );
        CREATE INDEX profiles_discovery ON profiles (country, paused, active_at);
        CREATE TABLE interests (
            member TEXT NOT NULL,
            tag TEXT NOT NULL,
            PRIMARY KEY (member, tag)
        );
        CREATE TABLE likes (
            liker TEXT NOT NULL,
            liked TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (liker, liked),
            CHECK (liker <> liked)
        );
        CREATE INDEX likes_liked ON likes (liked);
        CREATE TABLE passes (
            passer TEXT NOT NULL,
            passed TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (passer, passed)
        );
        CREATE TABLE daily_likes (
            member TEXT NOT NULL,
            day TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (member, day)
        );
        CREATE TABLE matches (
            ref TEXT PRIMARY KEY,
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            at TEXT NOT NULL,
            conversation TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ended', 'deleted')),
            ended_at TEXT,
            ended_by TEXT,
            UNIQUE (a, b)
        );
        CREATE INDEX matches_b ON matches (b);
        CREATE TABLE blocks (
            blocker TEXT NOT NULL,
            blocked TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (blocker, blocked)
        );
        CREATE INDEX blocks_blocked ON blocks (blocked);
        CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            reporter TEXT NOT NULL,
            reported TEXT NOT NULL,
            reported_name TEXT NOT NULL,
            reason TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL,
            at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reviewed')),
            reviewed_by TEXT,
            reviewed_at TEXT,
            outcome TEXT
        );
        CREATE INDEX reports_status ON reports (status, at);
        CREATE TABLE birth_dates (
            member TEXT PRIMARY KEY,
            birth_date TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE like_limits (
            country TEXT PRIMARY KEY,
            per_day INTEGER NOT NULL CHECK (per_day BETWEEN 1 AND 1000),
            set_by TEXT NOT NULL,
            set_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m002_photos(db: Database) -> None:
    """Up to 6 photos a profile, each kept in Souk's media store (``ctx.store_image``): its address here."""
    db.executescript(
        """
        CREATE TABLE photos (
            member TEXT NOT NULL,
            slot INTEGER NOT NULL CHECK (slot BETWEEN 1 AND 6),
            url TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (member, slot)
        );
        """
    )


@migrations()
def m003_profile_time_zones(db: Database) -> None:
    """Each member's time zone (an IANA name), so their age is counted on their own calendar when
    someone else's candidates are chosen; profiles made before it count on UTC until next saved."""
    db.execute("ALTER TABLE profiles ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC'")
