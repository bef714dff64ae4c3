"""Consent: which scopes of their data each user granted to each mini-app."""

from __future__ import annotations

from typing import Any

from ..foundation.clock import Clock, iso
from ..storage.store import Store


class Consents:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def granted(self, user_id: str, app: str) -> set[str]:
        return {
            row[0]
            for row in self.store.db.conn.execute(
                "SELECT scope FROM consents WHERE user_id = ? AND app = ?", [user_id, app]
            )
        }

    async def grant(self, user_id: str, app: str, scopes: list[str]) -> None:
        now = iso(self.clock.now())
        await self.store.write(
            lambda db: db.conn.executemany(
                "INSERT OR IGNORE INTO consents (user_id, app, scope, granted_at) VALUES (?, ?, ?, ?)",
                [(user_id, app, scope, now) for scope in scopes],
            )
        )

    async def revoke(self, user_id: str, app: str, scope: str | None = None) -> int:
        def delete(db: Any) -> int:
            if scope is None:
                cursor = db.execute("DELETE FROM consents WHERE user_id = ? AND app = ?", [user_id, app])
            else:
                cursor = db.execute(
                    "DELETE FROM consents WHERE user_id = ? AND app = ? AND scope = ?", [user_id, app, scope]
                )
            return cursor.rowcount

        return await self.store.write(delete)

    def listing(self, user_id: str) -> list[dict[str, Any]]:
        return list(
            self.store.db.query(
                "SELECT app, scope, granted_at FROM consents WHERE user_id = ? ORDER BY app, scope", [user_id]
            )
        )
