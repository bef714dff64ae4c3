"""Presence and typing: who is online (last seen when not), and who is writing where.

A person is online while at least one of their connections is open; when the last
closes, the time is written as their last seen.  Both go, as ``presence`` frames,
to their contacts (the people they have a direct chat with) who may see them.
Typing is a moment's news: a ``typing`` frame to the other members of the
conversation who may see it, never stored and never replayed (a client shows it for
a few seconds unless it is repeated).  Who may see what is the sharing rule, handed
in from above this layer.

Connections are counted in this process.  With several workers (``shared``), each
also keeps a row per person it holds connections of in the core database
(``live_connections``) and a heartbeat (``live_workers``): a person is online while
any worker with a fresh heartbeat holds a connection of theirs, so the first
connection anywhere announces them and the last one anywhere writes their last
seen.  A worker killed without a goodbye stops counting once its heartbeat is
stale (``WORKER_STALE``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import socket
import time
from collections import Counter
from typing import Any, Protocol

from sqlite_utils import Database

from ..foundation.clock import Clock, iso
from ..storage.store import Store, select
from .conversations import member_ids
from .hub import LiveBus, LiveItem

HEARTBEAT_SECONDS = 10.0
WORKER_STALE = dt.timedelta(seconds=30)
"""A worker whose heartbeat is older than this is gone: its connections no longer count."""
FORGET_WORKER = dt.timedelta(minutes=10)
"""A gone worker's rows are deleted after this long."""
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
    def __init__(
        self, store: Store, hub: LiveBus, clock: Clock, sharing: SharingRule, *, shared: bool = False
    ) -> None:
        self.store = store
        self.hub = hub
        self.clock = clock
        self.sharing = sharing
        self.shared = shared
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self._connections: Counter[str] = Counter()
        self._typed: dict[tuple[str, str], float] = {}

    def online(self, user_id: str) -> bool:
        return self._connections[user_id] > 0 or (self.shared and self._elsewhere(user_id))

    def _elsewhere(self, user_id: str) -> bool:
        """Whether another worker that is alive holds a connection of ``user_id``."""
        fresh = iso(self.clock.now() - WORKER_STALE)
        row = self.store.db.execute(
            "SELECT 1 FROM live_connections c JOIN live_workers w ON w.worker = c.worker "
            "WHERE c.user_id = ? AND c.worker != ? AND w.seen_at > ? LIMIT 1",
            [user_id, self.worker, fresh],
        ).fetchone()
        return row is not None

    async def keep_alive(self) -> None:
        """The heartbeat of this worker, and the forgetting of workers gone long ago."""
        while True:
            now = self.clock.now()

            def beat(db: Database, now: dt.datetime = now) -> None:
                db.execute(
                    "INSERT INTO live_workers (worker, seen_at) VALUES (?, ?) "
                    "ON CONFLICT (worker) DO UPDATE SET seen_at = excluded.seen_at",
                    [self.worker, iso(now)],
                )
                gone = "SELECT worker FROM live_workers WHERE seen_at < ?"
                db.execute(
                    f"DELETE FROM live_connections WHERE worker IN ({gone})", [iso(now - FORGET_WORKER)]
                )
                db.execute("DELETE FROM live_workers WHERE seen_at < ?", [iso(now - FORGET_WORKER)])

            await self.store.write(beat)
            await asyncio.sleep(HEARTBEAT_SECONDS)

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

    async def connected(self, user_id: str) -> None:
        self._connections[user_id] += 1
        if self._connections[user_id] != 1:
            return
        if self.shared:
            elsewhere = self._elsewhere(user_id)
            await self.store.write(
                lambda db: db.execute(
                    "INSERT OR IGNORE INTO live_connections (worker, user_id) VALUES (?, ?)",
                    [self.worker, user_id],
                )
            )
            if elsewhere:
                return
        self._announce(user_id)

    async def disconnected(self, user_id: str) -> None:
        self._connections[user_id] -= 1
        if self._connections[user_id] > 0:
            return
        del self._connections[user_id]
        if self.shared:
            await self.store.write(
                lambda db: db.execute(
                    "DELETE FROM live_connections WHERE worker = ? AND user_id = ?", [self.worker, user_id]
                )
            )
            if self.online(user_id):  # connected to another worker, or here again meanwhile
                return
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
