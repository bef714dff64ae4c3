"""The access log: every consented field the core handed to a mini-app, for the user to read.

Modelled on a phone's privacy report: each time a mini-app is given a field
that the user consented to (their name, their phone number, a message sent to
them through the ``contact`` scope, their wallet through ``payments``), one row
records which mini-app, which scope and field, when, and for what (the
command, button, event or route that asked).  The user lists their own rows
through the API; nobody else can.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ..foundation.clock import Clock, iso
from ..storage.store import Store, select

FIELDS_BY_SCOPE: dict[str, tuple[str, ...]] = {
    "profile": ("display_name", "locale"),
    "phone": ("phone",),
}
"""The fields of the user's record that each scope hands over with every context."""


@dataclass(frozen=True)
class Handover:
    """One field given to one mini-app about one user."""

    user_id: str
    app: str
    scope: str
    field: str
    purpose: str


def handovers(user_id: str, app: str, scopes: Iterable[str], purpose: str) -> list[Handover]:
    """The rows a context with these granted scopes hands over (profile and phone fields)."""
    return [
        Handover(user_id, app, scope, field, purpose)
        for scope in sorted(scopes)
        for field in FIELDS_BY_SCOPE.get(scope, ())
    ]


def _insert(db: Database, rows: list[Handover], at: str) -> None:
    db.conn.executemany(
        "INSERT INTO access_log (user_id, app, scope, field, purpose, at) VALUES (?, ?, ?, ?, ?, ?)",
        [(r.user_id, r.app, r.scope, r.field, r.purpose[:120], at) for r in rows],
    )


class AccessLog:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def record(self, rows: list[Handover]) -> None:
        """Write the rows (one transaction); acknowledged after the commit, like any write."""
        if rows:
            at = iso(self.clock.now())
            await self.store.write(lambda db: _insert(db, rows, at))

    def record_sync(self, rows: list[Handover]) -> None:
        if rows:
            at = iso(self.clock.now())
            self.store.write_sync(lambda db: _insert(db, rows, at))

    def entries(
        self, user_id: str, *, before: int | None = None, limit: int = 100, app: str | None = None
    ) -> list[dict[str, Any]]:
        """The user's own entries, newest first (one mini-app's only, when ``app`` is given)."""
        return select(
            self.store.db,
            "SELECT id, app, scope, field, purpose, at FROM access_log WHERE user_id = ? AND id < ? "
            "AND (? IS NULL OR app = ?) ORDER BY id DESC LIMIT ?",
            [user_id, before if before is not None else 2**62, app, app, limit],
        )

    def summary(self, user_id: str) -> dict[str, tuple[int, str]]:
        """For each mini-app: how many entries the user has, and the latest one's time."""
        rows = self.store.db.execute(
            "SELECT app, COUNT(*), MAX(at) FROM access_log WHERE user_id = ? GROUP BY app", [user_id]
        )
        return {app: (count, latest) for app, count, latest in rows}
