"""Which seat-map messages show which event, so that holds and sales update them in place.

Each map a person opens is recorded with what it showed.  A change to an
event's seats marks its maps stale once and sets one timer
(``tickets.refresh_maps``, after :data:`REFRESH_AFTER`): a burst of holds in
that second is one update per map, not one per seat.  The refresh draws each
map again for its viewer and replaces the message only if it now reads
differently.  A map nobody opened for :data:`KEEP` is no longer followed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from souk_sdk import Transaction, ui
from sqlite_utils import Database

REFRESH_EVENT = "tickets.refresh_maps"
REFRESH_AFTER = dt.timedelta(seconds=1)
KEEP = dt.timedelta(hours=1)


def fingerprint(screen: ui.Screen) -> str:
    return hashlib.sha256(screen.model_dump_json(exclude_none=True).encode()).hexdigest()


def stale(tx: Transaction, event: str, now: dt.datetime) -> None:
    """The event's seats changed: its maps are drawn again soon (once, however many changes come)."""
    first = tx.db.execute(
        "INSERT OR IGNORE INTO map_refresh (event, asked_at) VALUES (?, ?)", [event, now.isoformat()]
    ).rowcount
    if first:
        tx.schedule(REFRESH_EVENT, {"event": event}, after=REFRESH_AFTER, key=f"maps:{event}")


def shown(
    db: Database,
    message_id: str,
    event: str,
    viewer: str,
    locale: str,
    time_zone: str,
    screen: ui.Screen,
    now: dt.datetime,
) -> None:
    """Record (or renew) a map on show: the message, the event, whose eyes, what it shows."""
    db["map_views"].upsert(
        {
            "message_id": message_id,
            "event": event,
            "viewer": viewer,
            "locale": locale,
            "time_zone": time_zone,
            "shown": fingerprint(screen),
            "shown_at": now.isoformat(),
        },
        pk="message_id",
    )


def claim_refresh(db: Database, event: str, now: dt.datetime) -> list[dict[str, Any]]:
    """Take the event's pending refresh (changes from now on ask for the next) and the maps to redraw."""
    db.execute("DELETE FROM map_refresh WHERE event = ?", [event])
    db.execute("DELETE FROM map_views WHERE event = ? AND shown_at < ?", [event, (now - KEEP).isoformat()])
    return list(db.query("SELECT * FROM map_views WHERE event = ? ORDER BY shown_at", [event]))


def redrawn(db: Database, message_id: str, screen: ui.Screen) -> None:
    db.execute("UPDATE map_views SET shown = ? WHERE message_id = ?", [fingerprint(screen), message_id])


def forget(db: Database, message_id: str) -> None:
    db.execute("DELETE FROM map_views WHERE message_id = ?", [message_id])
