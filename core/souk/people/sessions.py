"""A person's sessions (one per sign-in, on some device): listed, and ended one by one or all but one.

Ending a session revokes its token at once: the next request with it is refused, and the
caller closes that session's open WebSockets (``Runtime.end_sessions``).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..foundation.errors import NotFound
from ..storage.store import select


def listing(db: Database, user_id: str, now: str, current: str) -> list[dict[str, Any]]:
    """The person's live sessions, the one asking first, then the most recently used."""
    rows = select(
        db,
        "SELECT id, device, created_at, last_used_at, expires_at FROM tokens "
        "WHERE user_id = ? AND revoked = 0 AND expires_at >= ? ORDER BY last_used_at DESC, created_at DESC",
        [user_id, now],
    )
    for row in rows:
        row["current"] = row["id"] == current
    return sorted(rows, key=lambda row: not row["current"])


def end(db: Database, user_id: str, session_id: str) -> list[str]:
    """Revoke one of the person's sessions; ``404 session_not_found`` for any other id."""
    cursor = db.execute(
        "UPDATE tokens SET revoked = 1 WHERE id = ? AND user_id = ? AND revoked = 0", [session_id, user_id]
    )
    if cursor.rowcount == 0:
        raise NotFound("you have no session with this id", code="session_not_found")
    return [session_id]


def end_others(db: Database, user_id: str, keep: str) -> list[str]:
    """Revoke every session of the person but ``keep``; the ids revoked."""
    ids = [
        row[0]
        for row in db.execute(
            "SELECT id FROM tokens WHERE user_id = ? AND revoked = 0 AND id != ?", [user_id, keep]
        )
    ]
    db.execute("UPDATE tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0 AND id != ?", [user_id, keep])
    return ids
