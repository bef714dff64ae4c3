"""What matchmaking holds about a person: exported on request, erased on request.

Erasure deletes the profile, interests, photos (named in the receipt's
``images``, so the core deletes the pictures from its media store once the
erasure has committed), likes given and
received, passes, the day's like counts, the birth date given and every block
naming them; their matches stay for the other side as "Deleted profile" under
the erasure's random id, and the reports they made or that were made about
them stay for operators under that id, with the name and their own note
blanked.
"""

from __future__ import annotations

from typing import Any

from souk_sdk import Erasure
from sqlite_utils import Database

from . import profiles, removal
from .photos import photos_of, unshown

KEPT = [
    'your matches stay for the other side as "Deleted profile", under an id linked to nobody',
    "reports you made or that were made about you stay for operators, under an id linked to nobody, "
    "with names and your notes blanked",
]


def _name(db: Database, member: str) -> str:
    row = profiles.profile_of(db, member)
    return profiles.first_name(row["name"]) if row else "Deleted profile"


def export_user(db: Database, user_id: str) -> dict[str, Any]:
    """The profile, the birth date given, likes and passes given (by the names seen), how many
    likes are waiting for them (not by whom), matches, blocks and reports made, the day's like counts."""
    profile = profiles.profile_of(db, user_id)
    if profile is not None:
        profile = {k: v for k, v in profile.items() if k not in ("member", "card")} | {
            "interests": profiles.interests_of(db, user_id),
            "photos": photos_of(db, user_id),
            "place": "an area of about 36 km² (an H3 cell); no position is kept",
        }
    born = db.execute("SELECT birth_date, at FROM birth_dates WHERE member = ?", [user_id]).fetchone()

    def named(sql: str) -> list[dict[str, Any]]:
        return [{"name": _name(db, other), "at": at} for other, at in db.execute(sql, [user_id])]

    matches = [
        {"name": _name(db, m["b"] if m["a"] == user_id else m["a"]), "at": m["at"], "status": m["status"]}
        for m in db.query("SELECT * FROM matches WHERE a = ? OR b = ? ORDER BY at", [user_id, user_id])
    ]
    return {
        "profile": profile,
        "birth_date_given": {"birth_date": born[0], "at": born[1]} if born else None,
        "likes_given": named("SELECT liked, at FROM likes WHERE liker = ? ORDER BY at, rowid"),
        "likes_received": db.execute("SELECT COUNT(*) FROM likes WHERE liked = ?", [user_id]).fetchone()[0],
        "passes": named("SELECT passed, at FROM passes WHERE passer = ? ORDER BY at, rowid"),
        "likes_today": list(db.query("SELECT day, count FROM daily_likes WHERE member = ?", [user_id])),
        "matches": matches,
        "blocked": named("SELECT blocked, at FROM blocks WHERE blocker = ? ORDER BY at, rowid"),
        "reports_made": list(
            db.query(
                "SELECT reported_name AS name, reason, note, at, status FROM reports WHERE reporter = ?",
                [user_id],
            )
        ),
    }


def erase_user(db: Database, user_id: str, replacement: str) -> Erasure:
    """Delete what is theirs; keep, unlinked, what the other side and operators need (above)."""
    now = db.execute("SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')").fetchone()[0]
    urls = photos_of(db, user_id)
    deleted = removal.delete_profile(db, user_id, now)
    matches = deleted.pop("matches", 0)
    more_deleted, pseudonymised = removal.unlink(db, user_id, replacement)
    if matches and "matches" not in pseudonymised:
        pseudonymised["matches"] = matches
    return Erasure(
        deleted=deleted | more_deleted, pseudonymised=pseudonymised, kept=KEPT, images=unshown(db, urls)
    )
