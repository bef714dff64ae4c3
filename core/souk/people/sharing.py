"""Who sees a person's read receipts, typing and presence: each chosen by that person.

Each of the three has an audience: ``everyone`` (whoever shares a conversation with
them), ``contacts`` (the people they have a direct chat with) or ``nobody``.  The rule
is WhatsApp's, and it is mutual: A sees B's only if B shares it with A **and** A shares
theirs with B, so whoever hides theirs sees no one else's.

Settings are read far more often than they change (every read mark, every typing
frame), so this process keeps them for :data:`KEEP_SECONDS` and forgets a person's at
once when they change here; another worker sees a change within that time.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, Literal

from sqlite_utils import Database

from ..storage.store import Store
from . import audiences

What = Literal["receipts", "typing", "presence"]
WHATS: tuple[What, ...] = ("receipts", "typing", "presence")
KEEP_SECONDS = 30.0


def settings_of(db: Database, user_id: str) -> dict[str, str]:
    return audiences.read(db, "sharing", WHATS, user_id)


def update(db: Database, user_id: str, changes: dict[str, str | None]) -> dict[str, str]:
    """Store the changed audiences (each one of :data:`AUDIENCES`); the settings afterwards."""
    return audiences.write(db, "sharing", WHATS, user_id, changes)


def contacts_of(db: Database, user_id: str) -> set[str]:
    """The people ``user_id`` has a direct chat with (a relation both sides share).

    A chat a mini-app opened between two people (a match) makes them no contacts: they were
    introduced, and chose nothing about each other's last seen or number.
    """
    rows = db.conn.execute(
        "SELECT other.user_id FROM members mine JOIN conversations c ON c.id = mine.conversation_id "
        "AND c.kind = 'direct' AND c.app IS NULL JOIN members other ON other.conversation_id = c.id "
        "AND other.user_id != mine.user_id WHERE mine.user_id = ?",
        [user_id],
    )
    return {row[0] for row in rows}


def _shares(audience: str, contact: bool) -> bool:
    return audience == "everyone" or (audience == "contacts" and contact)


class Sharing:
    """The mutual rule over one store, with settings and contacts kept for a short while."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._settings: dict[str, tuple[float, dict[str, str]]] = {}
        self._contacts: dict[str, tuple[float, set[str]]] = {}

    def forget(self, *user_ids: str) -> None:
        """Their settings or contacts changed (a setting, a new direct chat, an erasure)."""
        for user_id in user_ids:
            self._settings.pop(user_id, None)
            self._contacts.pop(user_id, None)

    def settings(self, user_id: str) -> dict[str, str]:
        return self._kept(self._settings, user_id, lambda: settings_of(self.store.db, user_id))

    def contacts(self, user_id: str) -> set[str]:
        return self._kept(self._contacts, user_id, lambda: contacts_of(self.store.db, user_id))

    def _kept(self, cache: dict[str, tuple[float, Any]], user_id: str, load: Any) -> Any:
        now = time.monotonic()
        kept = cache.get(user_id)
        if kept is None or now - kept[0] > KEEP_SECONDS:
            kept = (now, load())
            cache[user_id] = kept
        return kept[1]

    def mutual(self, owner: str, viewer: str, what: What) -> bool:
        """Whether ``viewer`` sees ``owner``'s ``what`` (and so ``owner`` sees ``viewer``'s)."""
        if owner == viewer:
            return True
        contact = viewer in self.contacts(owner)
        return _shares(self.settings(owner)[what], contact) and _shares(self.settings(viewer)[what], contact)

    def audience(self, owner: str, viewers: Iterable[str], what: What) -> list[str]:
        """Those of ``viewers`` who see ``owner``'s ``what``, in their order."""
        return [viewer for viewer in viewers if self.mutual(owner, viewer, what)]
