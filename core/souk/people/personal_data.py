"""The people part of a user's data: their profile, sessions, consents, privacy report.

Exported as it is (never a token or code hash: those are secrets, not data
about the person), and erased by deleting every row.  ``app_users`` (which
per-app id is whose) is deleted last, once every mini-app has erased under it.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..storage.store import select

PROFILE_FIELDS = (
    "display_name",
    "handle",
    "phone",
    "country",
    "locale",
    "time_zone",
    "is_operator",
    "created_at",
)


def export_person(db: Database, user_id: str) -> dict[str, Any]:
    user = select(db, "SELECT * FROM users WHERE id = ?", [user_id])[0]
    return {
        "profile": {field: user[field] for field in PROFILE_FIELDS}
        | {"is_operator": bool(user["is_operator"])},
        "sessions": select(
            db,
            "SELECT device, created_at, last_used_at, expires_at, revoked FROM tokens WHERE user_id = ? "
            "ORDER BY created_at",
            [user_id],
        ),
        "sign_in_codes_pending": len(
            select(db, "SELECT 1 FROM login_codes WHERE phone = ?", [user["phone"]])
        ),
        "consents": select(
            db, "SELECT app, scope, granted_at FROM consents WHERE user_id = ? ORDER BY app, scope", [user_id]
        ),
        "mini_apps_known_to": select(
            db, "SELECT app FROM app_users WHERE user_id = ? ORDER BY app", [user_id]
        ),
        "access_log": select(
            db,
            "SELECT app, scope, field, purpose, at FROM access_log WHERE user_id = ? ORDER BY id",
            [user_id],
        ),
        "sharing": select(db, "SELECT receipts, typing, presence FROM sharing WHERE user_id = ?", [user_id]),
        "last_seen": select(db, "SELECT at FROM last_seen WHERE user_id = ?", [user_id]),
        "reach": select(db, "SELECT groups, phone FROM reach WHERE user_id = ?", [user_id]),
    }


def erase_person(db: Database, user_id: str) -> dict[str, int]:
    """Delete the person: every row of theirs in the people tables.  Counts by table."""
    phone = select(db, "SELECT phone FROM users WHERE id = ?", [user_id])[0]["phone"]
    deleted = {}
    for table, sql, params in (
        ("tokens", "DELETE FROM tokens WHERE user_id = ?", [user_id]),
        ("login_codes", "DELETE FROM login_codes WHERE phone = ?", [phone]),
        ("consents", "DELETE FROM consents WHERE user_id = ?", [user_id]),
        ("access_log", "DELETE FROM access_log WHERE user_id = ?", [user_id]),
        ("sharing", "DELETE FROM sharing WHERE user_id = ?", [user_id]),
        ("reach", "DELETE FROM reach WHERE user_id = ?", [user_id]),
        ("app_users", "DELETE FROM app_users WHERE user_id = ?", [user_id]),
        ("users", "DELETE FROM users WHERE id = ?", [user_id]),
    ):
        count = db.execute(sql, params).rowcount
        if count:
            deleted[table] = count
    return deleted
