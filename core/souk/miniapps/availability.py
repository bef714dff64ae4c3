"""Where each mini-app is live: enabled per country by operators, suspended by the breaker.

Every change bumps a version number and writes the audit log in the same
transaction.  The server reads the version on each dispatch (one primary-key
lookup) and reloads when it moved, so a change made by the CLI in another
process takes effect on the next message, without a restart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Invalid
from ..storage.store import Store

VERSION_KEY = "availability_version"


@dataclass
class Snapshot:
    version: str | None = None
    countries: dict[str, set[str]] = field(default_factory=dict)
    suspended: dict[str, str] = field(default_factory=dict)


def _bump(db: Database) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, '1') ON CONFLICT(key) "
        "DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [VERSION_KEY],
    )


def audit(
    db: Database,
    now: str,
    actor: str,
    action: str,
    app: str | None = None,
    country: str | None = None,
    detail: str | None = None,
    *,
    before: Any = None,
    after: Any = None,
) -> None:
    """Append one entry to the audit log (append-only: a trigger refuses updates and deletes)."""
    db.execute(
        "INSERT INTO audit_log (at, actor, action, app, country, detail, before_state, after_state) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            now,
            actor,
            action,
            app,
            country,
            detail,
            None if before is None else json.dumps(before, sort_keys=True),
            None if after is None else json.dumps(after, sort_keys=True),
        ],
    )


def enable(db: Database, app: str, country: str, manifest_countries: list[str], actor: str, now: str) -> bool:
    """Enable ``app`` in ``country``; False if it already was.  Refused outside the manifest."""
    country = country.upper()
    if len(country) != 2 or not country.isalpha():
        raise Invalid(f"{country!r} is not an ISO 3166-1 alpha-2 country code", code="invalid_country")
    if manifest_countries != ["*"] and country not in manifest_countries:
        raise Invalid(f"{app} can serve only {', '.join(manifest_countries)}", code="country_not_allowed")
    cursor = db.execute(
        "INSERT OR IGNORE INTO app_countries (app, country, enabled_at, enabled_by) VALUES (?, ?, ?, ?)",
        [app, country, now, actor],
    )
    if cursor.rowcount:
        audit(db, now, actor, "enable", app, country)
        _bump(db)
    return bool(cursor.rowcount)


def disable(db: Database, app: str, country: str | None, actor: str, now: str) -> int:
    """Disable ``app`` in one country, or everywhere; returns how many countries it left."""
    if country is None:
        cursor = db.execute("DELETE FROM app_countries WHERE app = ?", [app])
    else:
        cursor = db.execute("DELETE FROM app_countries WHERE app = ? AND country = ?", [app, country.upper()])
    if cursor.rowcount:
        audit(db, now, actor, "disable", app, country.upper() if country else "*")
        _bump(db)
    return cursor.rowcount


def set_suspended(db: Database, app: str, suspended: bool, reason: str, actor: str, now: str) -> bool:
    current = list(db.query("SELECT suspended FROM app_state WHERE app = ?", [app]))
    if current and bool(current[0]["suspended"]) == suspended:
        return False
    if not current and not suspended:
        return False
    db["app_state"].upsert(
        {"app": app, "suspended": int(suspended), "reason": reason, "failures": 0, "changed_at": now},
        pk="app",
    )
    audit(db, now, actor, "suspend" if suspended else "resume", app, detail=reason)
    _bump(db)
    return True


def audit_entries(db: Database, limit: int = 100, before: int | None = None) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?",
            [before if before is not None else 2**62, limit],
        )
    )


class Availability:
    """The cached view the dispatcher asks on every command."""

    def __init__(self, store: Store, always_on: set[str]) -> None:
        self.store = store
        self.always_on = always_on
        self._snapshot = Snapshot()

    def _current(self) -> Snapshot:
        db = self.store.db
        row = db.conn.execute("SELECT value FROM settings WHERE key = ?", [VERSION_KEY]).fetchone()
        version = row[0] if row else None
        if version != self._snapshot.version or version is None:
            snapshot = Snapshot(version=version)
            for row in db.query("SELECT app, country FROM app_countries"):
                snapshot.countries.setdefault(row["app"], set()).add(row["country"])
            for row in db.query("SELECT app, reason FROM app_state WHERE suspended = 1"):
                snapshot.suspended[row["app"]] = row["reason"] or ""
            self._snapshot = snapshot
        return self._snapshot

    def enabled_in(self, app: str, country: str) -> bool:
        return app in self.always_on or country in self._current().countries.get(app, set())

    def countries(self, app: str) -> set[str]:
        return set(self._current().countries.get(app, set()))

    def suspended(self, app: str) -> str | None:
        """The reason ``app`` is suspended, or None when it runs."""
        return self._current().suspended.get(app)

    def live_in(self, app: str, country: str) -> bool:
        snapshot = self._current()  # once: this runs on every command
        enabled = app in self.always_on or country in snapshot.countries.get(app, ())
        return enabled and app not in snapshot.suspended
