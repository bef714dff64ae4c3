"""People kept from one mini-app, or from all of Souk, by an operator's decision on a report.

A suspension in one mini-app makes its commands and buttons answer that it is not available
to this person; one everywhere (``app`` = ``*``) also refuses their sign-in and their sends.
Operators decide them (:mod:`souk.operators.moderation`); everything else only asks.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Forbidden
from ..storage.store import select

EVERYWHERE = "*"


def suspended_from(db: Database, user_id: str, app: str) -> bool:
    """Whether ``user_id`` may not use ``app`` (suspended in it, or everywhere)."""
    row = db.execute(
        "SELECT 1 FROM user_suspensions WHERE user_id = ? AND app IN (?, ?) LIMIT 1",
        [user_id, app, EVERYWHERE],
    ).fetchone()
    return row is not None


def suspended_apps(db: Database, user_id: str) -> set[str]:
    """The mini-apps ``user_id`` is suspended from (``*`` among them: every one)."""
    rows = db.execute("SELECT app FROM user_suspensions WHERE user_id = ?", [user_id]).fetchall()
    return {row[0] for row in rows}


def not_available_to(title: str, command: str | None = None) -> str:
    """What a suspended person reads from a mini-app they are suspended from."""
    what = f", so /{command} cannot be used" if command else ""
    return f"{title} is not available to you{what}. An operator suspended your use of it."


def refuse_if_suspended_from(db: Database, user_id: str, app: str, title: str) -> None:
    """403 ``not_available_to_you`` for a press or a route of a mini-app the person is suspended from."""
    if suspended_from(db, user_id, app):
        raise Forbidden(not_available_to(title), code="not_available_to_you")


def suspended_everywhere(db: Database, user_id: str) -> bool:
    return suspended_from(db, user_id, EVERYWHERE)


def refuse_if_suspended(db: Database, user_id: str) -> None:
    """403 ``account_suspended`` for a person suspended from all of Souk."""
    if suspended_everywhere(db, user_id):
        raise Forbidden(
            "this account is suspended: it cannot sign in or send messages", code="account_suspended"
        )


def suspend(db: Database, user_id: str, app: str, report_id: str, reason: str, by: str, now: str) -> bool:
    """Suspend ``user_id`` in ``app`` (``*``: everywhere); False if they already were."""
    return bool(
        db.execute(
            "INSERT OR IGNORE INTO user_suspensions (user_id, app, report_id, reason, suspended_at, "
            "suspended_by) VALUES (?, ?, ?, ?, ?, ?)",
            [user_id, app, report_id, reason, now, by],
        ).rowcount
    )


def lift(db: Database, report_id: str) -> dict[str, Any] | None:
    """End the suspension decided on report ``report_id``; the row it was, or None if there is none."""
    rows = select(db, "SELECT * FROM user_suspensions WHERE report_id = ?", [report_id])
    if rows:
        db.execute("DELETE FROM user_suspensions WHERE report_id = ?", [report_id])
    return rows[0] if rows else None


def export_suspensions(db: Database, user_id: str) -> list[dict[str, Any]]:
    return select(
        db,
        "SELECT app, reason, suspended_at FROM user_suspensions WHERE user_id = ? ORDER BY suspended_at",
        [user_id],
    )


def erase_suspensions(db: Database, user_id: str) -> int:
    return db.execute("DELETE FROM user_suspensions WHERE user_id = ?", [user_id]).rowcount
