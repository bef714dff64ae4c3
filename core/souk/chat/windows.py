"""What of a conversation a person may read: the stretches of time they were in it.

A member reads the messages posted while they were in (after the ``from_seq`` of a
period, up to its ``to_seq``; ``members.periods`` holds them as JSON pairs): never
what came before they joined, never what came after they left.  While they are in,
they see each message as it is now.  Once out (no open period), they keep what they
had as they had it: a message that changed after they left is shown in the version
they last saw, kept for them in ``message_snapshots`` when it changed
(:func:`keep_for_former_members`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ..storage.store import select


@dataclass(frozen=True)
class Window:
    periods: tuple[tuple[int, int | None], ...]

    @property
    def open(self) -> bool:
        return any(to_seq is None for _, to_seq in self.periods)

    @property
    def frozen_at(self) -> int | None:
        """For a former member, the seq their last period ended at; ``None`` for a member."""
        return None if self.open else max(to_seq or 0 for _, to_seq in self.periods)

    def condition(self, column: str = "seq") -> tuple[str, list[Any]]:
        """SQL (with its parameters) true for the messages of these periods."""
        parts, params = [], []
        for from_seq, to_seq in self.periods:
            if to_seq is None:
                parts.append(f"{column} > ?")
                params.append(from_seq)
            else:
                parts.append(f"({column} > ? AND {column} <= ?)")
                params += [from_seq, to_seq]
        return "(" + " OR ".join(parts) + ")", params

    def covers(self, seq: int) -> bool:
        return any(seq > f and (t is None or seq <= t) for f, t in self.periods)


def window(db: Database, conversation_id: str, user_id: str) -> Window | None:
    """The person's periods in the conversation, or ``None`` if they were never in it."""
    row = db.conn.execute(
        "SELECT periods FROM members WHERE conversation_id = ? AND user_id = ?", [conversation_id, user_id]
    ).fetchone()
    return Window(tuple((f, t) for f, t in json.loads(row[0]))) if row else None


def as_seen(db: Database, rows: list[dict[str, Any]], frozen_at: int | None) -> list[dict[str, Any]]:
    """The rows as a former member whose membership ended at ``frozen_at`` last saw them.

    A row changed since is replaced by its kept version (dropped if none was kept: it
    was erased); ``None`` leaves them all as they are.
    """
    if frozen_at is None:
        return rows
    changed = [row["id"] for row in rows if row["changed_seq"] > frozen_at]
    if not changed:
        return rows
    kept = {
        row["message_id"]: json.loads(row["row"])
        for row in select(
            db,
            "SELECT message_id, row FROM message_snapshots "
            f"WHERE message_id IN ({', '.join('?' * len(changed))}) "
            "AND from_seq <= ? AND upto_seq >= ?",
            [*changed, frozen_at, frozen_at],
        )
    }
    seen = []
    for row in rows:
        if row["changed_seq"] <= frozen_at:
            seen.append(row)
        elif row["id"] in kept:
            seen.append(kept[row["id"]])
    return seen


def keep_for_former_members(db: Database, old: dict[str, Any], next_seq: int) -> None:
    """Before ``old`` changes (at ``next_seq``): keep it if someone who had it is out since."""
    former = db.conn.execute(
        "SELECT periods FROM members WHERE conversation_id = ? AND left_seq IS NOT NULL AND left_seq >= ?",
        [old["conversation_id"], old["changed_seq"]],
    ).fetchall()
    if any(Window(tuple((f, t) for f, t in json.loads(row[0]))).covers(old["seq"]) for row in former):
        plain = {k: v for k, v in old.items() if k != "quote"}
        db.execute(
            "INSERT OR REPLACE INTO message_snapshots (message_id, from_seq, upto_seq, row) "
            "VALUES (?, ?, ?, ?)",
            [old["id"], old["changed_seq"], next_seq - 1, json.dumps(plain, ensure_ascii=False)],
        )


def _periods(db: Database, conversation_id: str, user_id: str) -> list[list[int | None]]:
    row = db.conn.execute(
        "SELECT periods FROM members WHERE conversation_id = ? AND user_id = ?", [conversation_id, user_id]
    ).fetchone()
    return json.loads(row[0]) if row else []


def _store(db: Database, conversation_id: str, user_id: str, periods: list[list[int | None]]) -> None:
    db.execute(
        "UPDATE members SET periods = ? WHERE conversation_id = ? AND user_id = ?",
        [json.dumps(periods, separators=(",", ":")), conversation_id, user_id],
    )


def open_period(db: Database, conversation_id: str, user_id: str, from_seq: int) -> None:
    """A new member (or one back): they read from after ``from_seq``."""
    periods = [p for p in _periods(db, conversation_id, user_id) if p[1] is not None]
    _store(db, conversation_id, user_id, [*periods, [from_seq, None]])


def close_period(db: Database, conversation_id: str, user_id: str, to_seq: int) -> None:
    periods = _periods(db, conversation_id, user_id)
    _store(db, conversation_id, user_id, [[f, to_seq if t is None else t] for f, t in periods])
