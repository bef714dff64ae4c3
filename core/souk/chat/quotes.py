"""Replies: a message may quote an earlier one of its conversation, named by its ``seq``.

The quote is not a copy taken when the reply was sent: it is read from the original
each time the reply is served, so an edit shows in every quote of it and a deletion
for everyone leaves only "This message was deleted" there too (an edited message's
previous text never reaches anyone through a quote).
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Invalid
from ..storage.store import select
from . import windows

SNIPPET = 200
"""Characters of the original a quote carries: enough for two lines of a bubble."""


def check_target(db: Database, conversation_id: str, seq: int) -> None:
    """422 ``invalid_reply`` unless ``seq`` is a message everyone in the conversation may see.

    A private message (a mini-app's answer to one person) is never quoted, since the
    reply would show it to all; nor is a deleted one.
    """
    rows = select(
        db,
        "SELECT visible_to, deleted_at FROM messages WHERE conversation_id = ? AND seq = ?",
        [conversation_id, seq],
    )
    if not rows or rows[0]["visible_to"] is not None:
        raise Invalid(
            "a reply quotes a message of this conversation that everyone sees", code="invalid_reply"
        )
    if rows[0]["deleted_at"] is not None:
        raise Invalid("that message was deleted", code="invalid_reply")


def attach(db: Database, rows: list[dict[str, Any]], frozen_at: int | None = None) -> None:
    """Give each row that replies to a message its ``quote`` (as :func:`quote_of` makes it), from
    the original as a former member whose membership ended at ``frozen_at`` saw it."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row.get("reply_to_seq") is not None:
            wanted.setdefault(row["conversation_id"], set()).add(row["reply_to_seq"])
    if not wanted:
        return
    originals: dict[tuple[str, int], dict[str, Any]] = {}
    for conversation_id, seqs in wanted.items():
        marks = ", ".join("?" * len(seqs))
        found = select(
            db,
            f"SELECT * FROM messages WHERE conversation_id = ? AND seq IN ({marks})",
            [conversation_id, *sorted(seqs)],
        )
        for original in windows.as_seen(db, found, frozen_at):
            originals[(conversation_id, original["seq"])] = original
    for row in rows:
        if row.get("reply_to_seq") is not None:
            original = originals.get((row["conversation_id"], row["reply_to_seq"]))
            row["quote"] = quote_of(original, row["reply_to_seq"])


def quote_of(original: dict[str, Any] | None, seq: int) -> dict[str, Any]:
    """What a reply shows of the message it answers: who wrote it and the start of its text."""
    if original is None or original["deleted_at"] is not None:  # erased with its conversation, or deleted
        return {
            "seq": seq,
            "id": original["id"] if original else None,
            "sender": None,
            "text": "",
            "deleted": True,
        }
    if original["kind"] == "screen" and original["screen"]:
        text = json.loads(original["screen"]).get("title") or original["text"]
    elif original.get("media") and not original["text"]:  # a photo or file without a caption
        media = json.loads(original["media"])
        text = "Photo" if media["kind"] == "image" else media["name"]
    else:
        text = original["text"]
    return {
        "seq": seq,
        "id": original["id"],
        "sender": {
            "kind": original["sender_kind"],
            "id": original["sender_id"],
            "name": original["sender_name"],
        },
        "text": " ".join(text.split())[:SNIPPET],
        "deleted": False,
    }
