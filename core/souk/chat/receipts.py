"""Delivered and read receipts: how far each member's devices got, and how far they read.

A member's marks are two sequence numbers that only grow: ``delivered_seq`` (their
device was handed everything up to it) and ``last_read_seq`` (they read up to it).
A message is delivered to, or read by, a member whose mark reached its ``seq``, so
a client computes every message's ticks from a handful of marks (``read by 3 of 5``),
and each step is kept in ``receipts`` with its time, for a message's info.

What a member may see of another's marks is decided above this module (the sharing
rule); here are only the facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlite_utils import Database

from ..storage.store import select

Kind = Literal["delivered", "read"]
_COLUMN = {"delivered": "delivered_seq", "read": "last_read_seq"}
_WHEN = {"delivered": "delivered_at", "read": "read_at"}


@dataclass(frozen=True)
class Step:
    """A member's mark moved on: whose messages it reached, and the marks as they are now."""

    conversation_id: str
    user_id: str
    marks: dict[str, Any]
    senders: list[str]


def advance(db: Database, conversation_id: str, user_id: str, kind: Kind, seq: int, now: str) -> Step | None:
    """Move a member's ``kind`` mark up to ``seq`` (never past the conversation's last seq).

    Reading implies delivery.  ``None`` when the mark was there already, or the person
    is no member.  The step names the senders of the messages it reached (people other
    than the member, whose ticks change).
    """
    rows = select(
        db,
        "SELECT m.delivered_seq, m.delivered_at, m.last_read_seq, m.read_at, c.last_seq FROM members m "
        "JOIN conversations c ON c.id = m.conversation_id WHERE m.conversation_id = ? AND m.user_id = ?",
        [conversation_id, user_id],
    )
    if not rows:
        return None
    before = rows[0]
    target = min(seq, before["last_seq"])
    kinds: list[Kind] = ["delivered", "read"] if kind == "read" else ["delivered"]
    moved = [k for k in kinds if before[_COLUMN[k]] < target]
    if not moved:
        return None
    after = dict(before)
    for k in moved:
        after[_COLUMN[k]], after[_WHEN[k]] = target, now
        db.execute(
            f"UPDATE members SET {_COLUMN[k]} = ?, {_WHEN[k]} = ? WHERE conversation_id = ? AND user_id = ?",
            [target, now, conversation_id, user_id],
        )
        db.execute(
            "INSERT INTO receipts (conversation_id, user_id, kind, seq, at) VALUES (?, ?, ?, ?, ?)",
            [conversation_id, user_id, k, target, now],
        )
    lowest = min(before[_COLUMN[k]] for k in moved)
    senders = [
        row[0]
        for row in db.conn.execute(
            "SELECT DISTINCT sender_id FROM messages WHERE conversation_id = ? AND seq > ? AND seq <= ? "
            "AND sender_kind = 'user' AND sender_id != ? AND visible_to IS NULL",
            [conversation_id, lowest, target, user_id],
        )
    ]
    marks = {
        "user_id": user_id,
        "delivered_seq": after["delivered_seq"],
        "delivered_at": after["delivered_at"],
        "read_seq": after["last_read_seq"],
        "read_at": after["read_at"],
    }
    return Step(conversation_id, user_id, marks, senders)


def all_marks(db: Database, conversation_id: str) -> list[dict[str, Any]]:
    """The marks of the conversation's members, each with when it last moved."""
    return select(
        db,
        "SELECT m.user_id, m.delivered_seq, m.delivered_at, m.last_read_seq AS read_seq, m.read_at "
        "FROM members m WHERE m.conversation_id = ? ORDER BY m.joined_at, m.user_id",
        [conversation_id],
    )


def reached(db: Database, conversation_id: str, seq: int, kind: Kind) -> dict[str, str]:
    """Who first had ``seq`` delivered (or read), and when: ``{user id: time}``."""
    return {
        row[0]: row[1]
        for row in db.conn.execute(
            "SELECT user_id, MIN(at) FROM receipts WHERE conversation_id = ? AND kind = ? AND seq >= ? "
            "GROUP BY user_id",
            [conversation_id, kind, seq],
        )
    }
