"""Presence and typing: who is online (last seen when not), and who is writing where.

A person is online while at least one of their connections is open; when the last
closes, the time is written as their last seen.  Both go, as ``presence`` frames,
to their contacts (the people they have a direct chat with) who may see them.
Typing is a moment's news: a ``typing`` frame to the other members of the
conversation who may see it, never stored and never replayed (a client shows it for
a few seconds unless it is repeated).  Who may see what is the sharing rule, handed
in from above this layer.

Counting connections here is for one process; with several workers this count is
what moves to the shared broker, behind the same calls.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any, Protocol

from sqlite_utils import Database

from ..foundation.clock import Clock, iso
from ..storage.store import Store, select
from .conversations import member_ids
from .hub import LiveBus, LiveItem

TYPING_EVERY = 2.0
"""Seconds: typing frames of one person in one conversation closer than this are not passed on."""


class SharingRule(Protocol):
    def mutual(self, owner: str, viewer: str, what: Any) -> bool: ...
    def audience(self, owner: str, viewers: Any, what: Any) -> list[str]: ...
    def contacts(self, user_id: str) -> set[str]: ...


def _item(payload: dict[str, Any]) -> LiveItem:
    return LiveItem(None, None, json.dumps(payload, separators=(",", ":")))


def last_seen_of(db: Database, user_id: str) -> str | None:
    rows = select(db, "SELECT at FROM last_seen WHERE user_id = ?", [user_id])
    return rows[0]["at"] if rows else None


class Presence:
    def __init__(self, store: Store, hub: LiveBus, clock: Clock, sharing: SharingRule) -> None:
        self.store = store
        self.hub = hub
        self.clock = clock
        self.sharing = sharing
        self._connections: Counter[str] = Counter()
        self._typed: dict[tuple[str, str], float] = {}

    def online(self, user_id: str) -> bool:
        return self._connections[user_id] > 0

    def state(self, user_id: str) -> dict[str, Any]:
        """``{"user_id", "online", "last_seen"}`` as anyone allowed to see it sees it."""
        online = self.online(user_id)
        return {
            "user_id": user_id,
            "online": online,
            "last_seen": None if online else last_seen_of(self.store.db, user_id),
        }

    def visible_state(self, user_id: str, viewer: str) -> dict[str, Any]:
        """What ``viewer`` sees of ``user_id``: nothing (nulls) unless the sharing rule allows."""
        if self.sharing.mutual(user_id, viewer, "presence"):
            return self.state(user_id)
        return {"user_id": user_id, "online": None, "last_seen": None}

    def watchers(self, user_id: str) -> list[str]:
        """The contacts who see ``user_id``'s presence."""
        return self.sharing.audience(user_id, sorted(self.sharing.contacts(user_id)), "presence")

    def connected(self, user_id: str) -> None:
        self._connections[user_id] += 1
        if self._connections[user_id] == 1:
            self._announce(user_id)

    async def disconnected(self, user_id: str) -> None:
        self._connections[user_id] -= 1
        if self._connections[user_id] > 0:
            return
        del self._connections[user_id]
        now = iso(self.clock.now())
        # INSERT ... SELECT: a person erased while connected (their socket closes after) has no row.
        await self.store.write(
            lambda db: db.execute(
                "INSERT INTO last_seen (user_id, at) SELECT id, ? FROM users WHERE id = ? "
                "ON CONFLICT (user_id) DO UPDATE SET at = ?",
                [now, user_id, now],
            )
        )
        if not self.online(user_id):  # not back meanwhile
            self._announce(user_id)

    def _announce(self, user_id: str) -> None:
        watchers = self.watchers(user_id)
        if watchers:
            self.hub.publish(watchers, _item({"type": "presence", **self.state(user_id)}))

    def typing(self, db: Database, user: dict[str, Any], conversation_id: str) -> bool:
        """Pass on that ``user`` is typing in a conversation they are a member of; False if not."""
        key = (user["id"], conversation_id)
        now = time.monotonic()
        if now - self._typed.get(key, -TYPING_EVERY) < TYPING_EVERY:
            return True
        members = member_ids(db, conversation_id)
        if user["id"] not in members:
            return False
        self._typed[key] = now
        if len(self._typed) > 10_000:  # forget the old ones now and then
            self._typed = {k: t for k, t in self._typed.items() if now - t < TYPING_EVERY}
        others = [m for m in members if m != user["id"]]
        viewers = self.sharing.audience(user["id"], others, "typing")
        if viewers:
            payload = {"type": "typing", "conversation_id": conversation_id, "user_id": user["id"]}
            self.hub.publish(viewers, _item(payload | {"name": user["display_name"]}))
        return True
