"""Who may see whom: the one rule every screen, route and action asks.

Two members see each other only when both have a profile in the same country,
neither has blocked (or reported, which blocks) the other, and they have not
ended a match between them (an unmatch is for good).  Anything else
answers exactly as an unknown card does, so a blocked member cannot tell a
block from a profile that does not exist.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from .refusals import NoSuchMember, Refused

BLOCKED_EITHER_WAY = (
    "EXISTS (SELECT 1 FROM blocks WHERE (blocker = :me AND blocked = {other}) "
    "OR (blocker = {other} AND blocked = :me))"
)


def blocked_between(db: Database, me: str, other: str) -> bool:
    sql = "SELECT " + BLOCKED_EITHER_WAY.format(other=":other")
    return bool(db.execute(sql, {"me": me, "other": other}).fetchone()[0])


def ended_between(db: Database, me: str, other: str) -> bool:
    return bool(
        db.execute(
            "SELECT 1 FROM matches WHERE status <> 'open' AND ((a = ? AND b = ?) OR (a = ? AND b = ?))",
            [me, other, other, me],
        ).fetchone()
    )


def own_profile(db: Database, me: str) -> dict[str, Any]:
    row = next(db.query("SELECT * FROM profiles WHERE member = ?", [me]), None)
    if row is None:
        raise Refused(409, "no_profile", "Make your profile first: type /match.")
    return row


def seen_profile(db: Database, me: str, card: str) -> dict[str, Any]:
    """The profile behind ``card`` as ``me`` may see it; :class:`NoSuchMember` otherwise."""
    row = next(db.query("SELECT * FROM profiles WHERE card = ?", [card]), None)
    mine = next(db.query("SELECT country FROM profiles WHERE member = ?", [me]), None)
    if row is None or mine is None or row["country"] != mine["country"] or row["member"] == me:
        if row is not None and row["member"] == me:
            raise Refused(422, "own_profile", "That is your own profile.")
        raise NoSuchMember()
    if blocked_between(db, me, row["member"]) or ended_between(db, me, row["member"]):
        raise NoSuchMember()
    return row
