"""Removing a member from matchmaking: everywhere, at once, in one transaction.

Used by "Delete my profile" and by erasure.  The profile, its interests and photos, the
likes given and received, passes and the day's like counts go; so they vanish
from every candidate list and every pending like.  Their matches stay for the
other side as "Deleted profile" (ended, the chat told).  Deleting a profile
keeps the birth date given (it cannot be changed by deleting and starting
again), the blocks and reports others made about them (their safety), and
the blocks and reports they made; erasure removes or unlinks those too.
"""

from __future__ import annotations

from sqlite_utils import Database


def _count(db: Database, sql: str, params: list[str]) -> int:
    return db.execute(sql, params).rowcount


def delete_profile(db: Database, member: str, now: str) -> dict[str, int]:
    """Delete the profile and whatever makes the member reachable; counts by table."""
    counts = {
        "profiles": _count(db, "DELETE FROM profiles WHERE member = ?", [member]),
        "interests": _count(db, "DELETE FROM interests WHERE member = ?", [member]),
        "photos": _count(db, "DELETE FROM photos WHERE member = ?", [member]),
        "likes": _count(db, "DELETE FROM likes WHERE liker = ? OR liked = ?", [member, member]),
        "passes": _count(db, "DELETE FROM passes WHERE passer = ? OR passed = ?", [member, member]),
        "daily_likes": _count(db, "DELETE FROM daily_likes WHERE member = ?", [member]),
        "matches": _count(
            db,
            "UPDATE matches SET status = 'deleted', ended_at = ?, ended_by = ? "
            "WHERE (a = ? OR b = ?) AND status <> 'deleted'",
            [now, member, member, member],
        ),
    }
    return {table: n for table, n in counts.items() if n}


def unlink(db: Database, member: str, replacement: str) -> tuple[dict[str, int], dict[str, int]]:
    """After :func:`delete_profile`, for erasure: what else names the member, deleted or unlinked."""
    deleted = {
        "birth_dates": _count(db, "DELETE FROM birth_dates WHERE member = ?", [member]),
        "blocks": _count(db, "DELETE FROM blocks WHERE blocker = ? OR blocked = ?", [member, member]),
    }
    pseudonymised = {
        "matches": _count(db, "UPDATE matches SET a = ? WHERE a = ?", [replacement, member])
        + _count(db, "UPDATE matches SET b = ? WHERE b = ?", [replacement, member])
        + _count(db, "UPDATE matches SET ended_by = ? WHERE ended_by = ?", [replacement, member]),
        "reports": _count(
            db, "UPDATE reports SET reporter = ?, note = '' WHERE reporter = ?", [replacement, member]
        )
        + _count(
            db,
            "UPDATE reports SET reported = ?, reported_name = 'Deleted profile' WHERE reported = ?",
            [replacement, member],
        ),
    }
    return (
        {t: n for t, n in deleted.items() if n},
        {t: n for t, n in pseudonymised.items() if n},
    )
