"""After a like: matches, unmatching, blocking and reporting.

Unmatching ends the match for both, for good: they never appear to each other
again.  Blocking hides each from the other everywhere in the mini-app (cards,
likes, matches, every route) and ends their match.  A report records a reason
for operators (``souk matchmaking reports``, and Souk's moderation queue) and blocks.  Each returns the
conversations of the matches it ended, so the caller can tell them there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlite_utils import Database

from . import profiles
from .refusals import NoSuchMember
from .visibility import BLOCKED_EITHER_WAY, own_profile, seen_profile

Reason = Literal["fake", "harassment", "underage", "scam", "inappropriate", "other"]
REASONS: dict[str, str] = {
    "fake": "Fake profile",
    "harassment": "Harassment or threats",
    "underage": "Looks under 18",
    "scam": "Scam or asking for money",
    "inappropriate": "Inappropriate photos or words",
    "other": "Something else",
}
ENDED = "This match has ended. No more messages can be sent here."


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason
    note: str = Field(default="", max_length=500)


@dataclass(frozen=True)
class Ended:
    """A match that was just ended: whom to tell, and where."""

    other: str
    conversation: str | None


def _end_matches(db: Database, me: str, other: str, now: str) -> list[Ended]:
    rows = db.execute(
        "SELECT ref, conversation FROM matches "
        "WHERE status = 'open' AND ((a = ? AND b = ?) OR (a = ? AND b = ?))",
        [me, other, other, me],
    ).fetchall()
    for ref, _ in rows:
        db.execute(
            "UPDATE matches SET status = 'ended', ended_at = ?, ended_by = ? WHERE ref = ?", [now, me, ref]
        )
    db.execute(
        "DELETE FROM likes WHERE (liker = ? AND liked = ?) OR (liker = ? AND liked = ?)",
        [me, other, other, me],
    )
    return [Ended(other, conversation) for _, conversation in rows]


def block(db: Database, me: str, card: str, now: dt.datetime) -> tuple[str, list[Ended]]:
    """Block the member behind ``card``; their first name and the matches ended."""
    own_profile(db, me)
    target = seen_profile(db, me, card)
    at = now.isoformat()
    db["blocks"].insert({"blocker": me, "blocked": target["member"], "at": at}, ignore=True)
    return profiles.first_name(target["name"]), _end_matches(db, me, target["member"], at)


def report(
    db: Database, me: str, card: str, data: ReportIn, now: dt.datetime
) -> tuple[str, list[Ended], str]:
    """Record a report, then block; also the reported member, whom Souk's operators are told of."""
    mine = own_profile(db, me)
    target = seen_profile(db, me, card)
    db["reports"].insert(
        {
            "reporter": me,
            "reported": target["member"],
            "reported_name": target["name"],
            "reason": data.reason,
            "note": data.note.strip(),
            "country": mine["country"],
            "at": now.isoformat(),
        }
    )
    name, ended = block(db, me, card, now)
    return name, ended, target["member"]


def _open_match(db: Database, me: str, ref: str) -> dict[str, Any]:
    row = next(
        db.query(
            "SELECT * FROM matches WHERE ref = ? AND status = 'open' AND (a = ? OR b = ?)", [ref, me, me]
        ),
        None,
    )
    if row is None:
        raise NoSuchMember()
    other = row["b"] if row["a"] == me else row["a"]
    blocked = db.execute(
        "SELECT " + BLOCKED_EITHER_WAY.format(other=":o"), {"me": me, "o": other}
    ).fetchone()[0]
    if blocked:
        raise NoSuchMember()
    return row | {"other": other}


def unmatch(db: Database, me: str, ref: str, now: dt.datetime) -> list[Ended]:
    match = _open_match(db, me, ref)
    return _end_matches(db, me, match["other"], now.isoformat())


def matches_of(db: Database, me: str) -> list[dict[str, Any]]:
    """The member's matches, newest first, as they may see them (never one with a block between)."""
    rows = db.query(
        "SELECT m.*, CASE WHEN m.a = :me THEN m.b ELSE m.a END AS other FROM matches m "
        "WHERE (m.a = :me OR m.b = :me) AND NOT (m.status = 'deleted' AND m.ended_by = :me) "
        f"AND NOT {BLOCKED_EITHER_WAY.format(other='CASE WHEN m.a = :me THEN m.b ELSE m.a END')} "
        "ORDER BY m.at DESC",
        {"me": me},
    )
    out = []
    for row in rows:
        other = profiles.profile_of(db, row["other"]) if row["status"] != "deleted" else None
        out.append(
            {
                "ref": row["ref"],
                "name": profiles.first_name(other["name"]) if other else "Deleted profile",
                "status": row["status"],
                "at": row["at"],
                "ended_at": row["ended_at"],
                "conversation": row["conversation"] if row["status"] == "open" else None,
                "card": other["card"] if other and row["status"] == "open" else None,
            }
        )
    return out
