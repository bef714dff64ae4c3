"""What a mini-app sees of a user: a per-app pseudonymous id and the consented fields."""

from __future__ import annotations

from typing import Any

from souk_sdk import AppUser, PublicUser

from ..foundation.ids import app_user_id
from ..storage.store import Store


class Identities:
    def __init__(self, store: Store, secret: bytes) -> None:
        self.store = store
        self._secret = secret
        self._stored: set[tuple[str, str]] = set()

    def _record(self, app: str, user_id: str, pseudonym: str) -> Any:
        return lambda db: db.execute(
            "INSERT OR IGNORE INTO app_users (app, user_id, app_user_id) VALUES (?, ?, ?)",
            [app, user_id, pseudonym],
        )

    async def expose(self, app: str, user_id: str) -> str:
        """The id ``app`` sees for ``user_id``, recorded so it can be looked up in reverse."""
        pseudonym = app_user_id(self._secret, app, user_id)
        if (app, user_id) not in self._stored:
            await self.store.write(self._record(app, user_id, pseudonym))
            self._stored.add((app, user_id))
        return pseudonym

    def expose_sync(self, app: str, user_id: str) -> str:
        """The same, for code outside the event loop (the demo builder)."""
        pseudonym = app_user_id(self._secret, app, user_id)
        self.store.write_sync(self._record(app, user_id, pseudonym))
        self._stored.add((app, user_id))
        return pseudonym

    def user_id_for(self, app: str, pseudonym: str) -> str | None:
        rows = list(
            self.store.db.query(
                "SELECT user_id FROM app_users WHERE app = ? AND app_user_id = ?", [app, pseudonym]
            )
        )
        return rows[0]["user_id"] if rows else None

    async def app_user(self, app: str, user: dict[str, Any], scopes: set[str]) -> AppUser:
        """The user as ``app`` may see them, given the scopes they granted it."""
        profile = "profile" in scopes
        return AppUser(
            id=await self.expose(app, user["id"]),
            country=user["country"],
            display_name=user["display_name"] if profile else None,
            locale=user["locale"] if profile else None,
            phone=user["phone"] if "phone" in scopes else None,
            scopes=frozenset(scopes),
        )

    async def public_user(self, app: str, user: dict[str, Any]) -> PublicUser:
        """Another member, named as the conversation already shows them."""
        return PublicUser(
            id=await self.expose(app, user["id"]), display_name=user["display_name"], country=user["country"]
        )
