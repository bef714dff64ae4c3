"""Searching one's messages (SQLite FTS5), across every conversation one is or was in.

A match is shown only if its searcher may read it: a message of a conversation they
are in or were in, posted while they were in (:mod:`windows`), and, when private,
shown to them (never another member's answer from a mini-app).  A former member's
search runs over what they had: a message changed after they left is not searched
(its words now are not the ones they saw).

What is typed is read as words, never as FTS5 syntax: each word must appear, as a
word or the start of one ("lun" finds "lunch"), in any order, accents and case aside.
"""

from __future__ import annotations

import re
from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Invalid
from ..storage.store import select
from .conversations import serialize_rows

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


def fts_query(text: str) -> str:
    """``"lunch"* "friday"*`` for "Lunch, friday?": 422 ``invalid_query`` when there is no word."""
    words = WORD.findall(text)[:MAX_WORDS]
    if not words:
        raise Invalid("search for at least one word", code="invalid_query")
    return " ".join(f'"{word}"*' for word in words)


_VISIBLE = """
    (m.visible_to IS NULL OR m.visible_to = :me)
    AND (mb.left_seq IS NULL OR m.changed_seq <= mb.left_seq)
    AND EXISTS (
        SELECT 1 FROM json_each(mb.periods) p
        WHERE m.seq > json_extract(p.value, '$[0]')
          AND (json_extract(p.value, '$[1]') IS NULL OR m.seq <= json_extract(p.value, '$[1]'))
    )
"""


def search(
    db: Database,
    user_id: str,
    text: str,
    *,
    conversation_id: str | None = None,
    before: int | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Matches the user may see, newest first: ``[{"cursor", "message", "conversation"}]``.

    ``before`` is the ``cursor`` of the last result of a page: the next page comes after it.
    """
    rows = select(
        db,
        "SELECT m.rowid AS cursor, m.*, c.kind AS c_kind, c.title AS c_title FROM messages_fts f "
        "JOIN messages m ON m.rowid = f.rowid "
        "JOIN members mb ON mb.conversation_id = m.conversation_id AND mb.user_id = :me "
        "JOIN conversations c ON c.id = m.conversation_id "
        f"WHERE messages_fts MATCH :query AND {_VISIBLE} "
        "AND (:conversation IS NULL OR m.conversation_id = :conversation) AND m.rowid < :before "
        "ORDER BY m.rowid DESC LIMIT :limit",
        {
            "me": user_id,
            "query": fts_query(text),
            "conversation": conversation_id,
            "before": before if before is not None else 2**62,
            "limit": limit,
        },
    )
    titles = _direct_titles(db, user_id, {r["conversation_id"] for r in rows if r["c_kind"] == "direct"})
    found = []
    for row, message in zip(rows, serialize_rows(db, [dict(r) for r in rows]), strict=True):
        title = titles.get(row["conversation_id"]) if row["c_kind"] == "direct" else row["c_title"]
        conversation = {"id": row["conversation_id"], "kind": row["c_kind"], "title": title}
        found.append({"cursor": row["cursor"], "message": message, "conversation": conversation})
    return found


def _direct_titles(db: Database, user_id: str, conversation_ids: set[str]) -> dict[str, str]:
    """A direct chat is titled with the other person's name, as in the list."""
    if not conversation_ids:
        return {}
    marks = ", ".join("?" * len(conversation_ids))
    rows = select(
        db,
        "SELECT m.conversation_id, u.display_name FROM members m JOIN users u ON u.id = m.user_id "
        f"WHERE m.conversation_id IN ({marks}) AND m.user_id != ?",
        [*conversation_ids, user_id],
    )
    return {row["conversation_id"]: row["display_name"] for row in rows}
