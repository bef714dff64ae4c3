"""Where each mini-app is live: enabled per country by operators, suspended by the breaker.

A mini-app is enabled in a country for a percentage of its people (100: all of
them; fewer: a staged rollout).  Who is in is decided per person by a hash of
the mini-app and the person's id, so the same people stay in as the
percentage grows, and nobody outside can tell an experiment from a country
where it does not run.  Each change of a country keeps the state before it,
so one action rolls it back.  A mini-app is stopped everywhere at once either
by the breaker (``suspended``) or by an operator's kill switch (``killed``);
the per-country states stay as they were and come back when it is restored.

Every change bumps a version number and writes the audit log in the same
transaction.  The server reads the version on each dispatch (one primary-key
lookup) and reloads when it moved, so a change made by the CLI in another
process takes effect on the next message, without a restart.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlite_utils import Database

from ..foundation.errors import Invalid
from ..storage.store import Store

VERSION_KEY = "availability_version"


OFF = 0
FULL = 100
Stop = Literal["breaker", "operator"]
"""Who stopped a mini-app everywhere: the breaker (suspended) or an operator (killed)."""


def rollout_bucket(app: str, user_id: str) -> int:
    """Where a person falls among a mini-app's users, 0 to 9,999: in at N % when below N x 100."""
    digest = hashlib.sha256(f"{app}\0{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10_000


def in_rollout(app: str, user_id: str, percent: int) -> bool:
    return percent >= FULL or rollout_bucket(app, user_id) < percent * 100


@dataclass
class Snapshot:
    version: str | None = None
    countries: dict[str, dict[str, int]] = field(default_factory=dict)
    """app -> country -> percent of its people (only countries where it is on)."""
    suspended: dict[str, str] = field(default_factory=dict)
    stopped_by: dict[str, Stop] = field(default_factory=dict)


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


def _country(country: str) -> str:
    country = country.upper()
    if len(country) != 2 or not country.isalpha():
        raise Invalid(f"{country!r} is not an ISO 3166-1 alpha-2 country code", code="invalid_country")
    return country


def percent_in(db: Database, app: str, country: str) -> int:
    rows = list(db.query("SELECT percent FROM app_countries WHERE app = ? AND country = ?", [app, country]))
    return rows[0]["percent"] if rows else OFF


def _put(db: Database, app: str, country: str, percent: int, actor: str, now: str) -> None:
    if percent == OFF:
        db.execute("DELETE FROM app_countries WHERE app = ? AND country = ?", [app, country])
    else:
        db.execute(
            "INSERT INTO app_countries (app, country, enabled_at, enabled_by, percent) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (app, country) DO UPDATE SET percent = excluded.percent",
            [app, country, now, actor, percent],
        )


def set_percent(
    db: Database,
    app: str,
    country: str,
    percent: int,
    manifest_countries: list[str],
    actor: str,
    now: str,
    action: str = "rollout",
) -> bool:
    """Put ``app`` on for ``percent`` of ``country``'s people (0: off); False if it already was.

    The state before is kept for :func:`rollback`; enabling outside the manifest is refused.
    """
    country = _country(country)
    if not OFF <= percent <= FULL:
        raise Invalid("a rollout is 0 to 100 percent of a country's people", code="invalid_percent")
    if percent and manifest_countries != ["*"] and country not in manifest_countries:
        raise Invalid(f"{app} can serve only {', '.join(manifest_countries)}", code="country_not_allowed")
    before = percent_in(db, app, country)
    if before == percent:
        return False
    _put(db, app, country, percent, actor, now)
    db.execute(
        "INSERT INTO rollout_undo (app, country, percent) VALUES (?, ?, ?) "
        "ON CONFLICT (app, country) DO UPDATE SET percent = excluded.percent",
        [app, country, before],
    )
    audit(db, now, actor, action, app, country, before={"percent": before}, after={"percent": percent})
    _bump(db)
    return True


def enable(db: Database, app: str, country: str, manifest_countries: list[str], actor: str, now: str) -> bool:
    """Enable ``app`` for everyone in ``country``; False if it already was.  Refused outside the manifest."""
    return set_percent(db, app, country, FULL, manifest_countries, actor, now, action="enable")


def disable(db: Database, app: str, country: str | None, actor: str, now: str) -> int:
    """Disable ``app`` in one country, or everywhere; returns how many countries it left."""
    if country is None:
        countries = [r["country"] for r in db.query("SELECT country FROM app_countries WHERE app = ?", [app])]
    else:
        countries = [_country(country)]
    return sum(set_percent(db, app, c, OFF, ["*"], actor, now, action="disable") for c in countries)


def rollback(db: Database, app: str, country: str, actor: str, now: str) -> int:
    """Put ``country`` back as it was before its last change; returns the percent it is at now.

    Rolling back twice goes forward again: the state rolled back from is the one kept.
    """
    country = _country(country)
    rows = list(db.query("SELECT percent FROM rollout_undo WHERE app = ? AND country = ?", [app, country]))
    if not rows:
        raise Invalid(
            f"{app} has not changed in {country}: nothing to roll back", code="nothing_to_roll_back"
        )
    previous, current = rows[0]["percent"], percent_in(db, app, country)
    _put(db, app, country, previous, actor, now)
    db.execute("UPDATE rollout_undo SET percent = ? WHERE app = ? AND country = ?", [current, app, country])
    audit(db, now, actor, "rollback", app, country, before={"percent": current}, after={"percent": previous})
    _bump(db)
    return previous


def set_suspended(
    db: Database,
    app: str,
    suspended: bool,
    reason: str,
    actor: str,
    now: str,
    by: Stop = "operator",
) -> bool:
    """Stop ``app`` everywhere at once (the breaker's suspension, an operator's kill), or restore it.

    The countries it runs in are kept, and come back as they were when it is restored.
    """
    current = list(db.query("SELECT suspended, stopped_by FROM app_state WHERE app = ?", [app]))
    if current and bool(current[0]["suspended"]) == suspended:
        return False
    if not current and not suspended:
        return False
    was = current[0]["stopped_by"] if current and current[0]["suspended"] else None
    db["app_state"].upsert(
        {
            "app": app,
            "suspended": int(suspended),
            "reason": reason,
            "failures": 0,
            "changed_at": now,
            "stopped_by": by if suspended else None,
        },
        pk="app",
    )
    state = {"breaker": "suspended", "operator": "killed"}
    audit(
        db,
        now,
        actor,
        "suspend" if suspended else "resume",
        app,
        detail=reason,
        before={"state": state[was] if was else "running"},
        after={"state": state[by] if suspended else "running"},
    )
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
            for row in db.query("SELECT app, country, percent FROM app_countries"):
                snapshot.countries.setdefault(row["app"], {})[row["country"]] = row["percent"]
            for row in db.query("SELECT app, reason, stopped_by FROM app_state WHERE suspended = 1"):
                snapshot.suspended[row["app"]] = row["reason"] or ""
                snapshot.stopped_by[row["app"]] = row["stopped_by"] or "operator"
            self._snapshot = snapshot
        return self._snapshot

    def percent(self, app: str, country: str) -> int:
        """Of ``country``'s people, the percent ``app`` is on for (0: off)."""
        if app in self.always_on:
            return FULL
        return self._current().countries.get(app, {}).get(country, OFF)

    def enabled_in(self, app: str, country: str) -> bool:
        """On in ``country`` for some of its people at least."""
        return self.percent(app, country) > OFF

    def enabled_for(self, app: str, user: dict[str, Any]) -> bool:
        """On for this person: in their country, and in the rollout there."""
        percent = self.percent(app, user["country"])
        return percent > OFF and in_rollout(app, user["id"], percent)

    def countries(self, app: str) -> set[str]:
        return set(self._current().countries.get(app, {}))

    def suspended(self, app: str) -> str | None:
        """The reason ``app`` is stopped everywhere (suspended or killed), or None when it runs."""
        return self._current().suspended.get(app)

    def stopped_by(self, app: str) -> Stop | None:
        return self._current().stopped_by.get(app)

    def live_in(self, app: str, country: str) -> bool:
        """Running, and on for some of ``country``'s people."""
        snapshot = self._current()  # once: this runs on every command
        enabled = app in self.always_on or snapshot.countries.get(app, {}).get(country, OFF) > OFF
        return enabled and app not in snapshot.suspended

    def live_for(self, app: str, user: dict[str, Any]) -> bool:
        """Whether ``user`` may use ``app`` now: running, on in their country, and in its rollout."""
        if app in self.always_on:
            return True
        snapshot = self._current()
        percent = snapshot.countries.get(app, {}).get(user["country"], OFF)
        return percent > OFF and app not in snapshot.suspended and in_rollout(app, user["id"], percent)
