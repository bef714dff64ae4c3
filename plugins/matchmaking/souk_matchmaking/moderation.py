"""Reports, as operators read and close them (``souk matchmaking reports`` and ``review``).

A report names the reported member by the profile name they had, never by a
phone number or handle; an operator who must act on an account finds it
through the core's own tools.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlite_utils import Database

from .safety import REASONS


def listing(db: Database, everything: bool = False) -> list[dict[str, Any]]:
    """Reports, oldest first, each with the reporter's profile name now (``None`` once deleted)."""
    where = "" if everything else "WHERE r.status = 'open'"
    return list(
        db.query(
            "SELECT r.*, p.name AS reporter_name FROM reports r "
            f"LEFT JOIN profiles p ON p.member = r.reporter {where} ORDER BY r.at, r.id"
        )
    )


def line(row: dict[str, Any]) -> str:
    note = f": {row['note']}" if row["note"] else ""
    state = "" if row["status"] == "open" else f" [reviewed: {row['outcome']}]"
    reason = REASONS[row["reason"]]
    by = row.get("reporter_name") or "a deleted profile"
    return (
        f"#{row['id']} {row['at'][:16]} {row['country']} {reason}, {row['reported_name']} "
        f"(reported by {by}){note}{state}"
    )


def review(db: Database, number: int, outcome: str, by: str, now: dt.datetime) -> bool:
    return bool(
        db.execute(
            "UPDATE reports SET status = 'reviewed', outcome = ?, reviewed_by = ?, reviewed_at = ? "
            "WHERE id = ? AND status = 'open'",
            [outcome.strip()[:200], by, now.isoformat(), number],
        ).rowcount
    )
