"""Direct chats a mini-app opens between two people, which it may also end.

A mini-app that introduces two people (a match) gets a direct chat of its own
for them, apart from any personal chat they have (``conversations.open_direct``
with ``app``): it is marked with the mini-app's name (``conversations.app``)
and found again by its ``unique_key``.
Only such a chat can be ended, and only by the mini-app that opened it, so a
mini-app never closes a chat that people started themselves.

An ended chat takes no more messages from anyone (``posting`` is ``nobody``;
sends answer 403 ``conversation_ended``).  Its members stay, so both receive the
system message that says it ended and keep reading what was said (what one of
them may need to report).  Its ``unique_key`` is released: opening a chat for
the same two people again starts a new one rather than reviving the ended one.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Forbidden, NotFound
from ..storage.store import select
from .conversations import Appended, Sender, append

ENDED = "nobody"
"""The ``posting`` of an ended chat: nobody may send to it any more."""
SYSTEM = Sender("system", "app", "Souk")


def opened_by(db: Database, conversation_id: str, app: str) -> dict[str, Any]:
    """The direct chat, if ``app`` opened it; otherwise 404, whether it exists or not."""
    rows = select(
        db, "SELECT * FROM conversations WHERE id = ? AND kind = 'direct' AND app = ?", [conversation_id, app]
    )
    if not rows:
        raise NotFound(f"{app} opened no chat {conversation_id}", code="conversation_not_found")
    return rows[0]


def end(db: Database, conversation_id: str, app: str, note: str, now: str) -> Appended | None:
    """Close the chat to new messages and tell both in it; ``None`` when it had ended already."""
    row = opened_by(db, conversation_id, app)
    if row["posting"] == ENDED:
        return None
    note = " ".join(note.split()) or "This chat has ended."
    db.execute(
        "UPDATE conversations SET posting = ?, unique_key = NULL WHERE id = ?", [ENDED, conversation_id]
    )
    appended = append(db, conversation_id, SYSTEM, note, now)
    event = {"type": "ended", "by": app}
    db.execute(
        "UPDATE messages SET event = ? WHERE id = ?",
        [json.dumps(event, separators=(",", ":")), appended.message["id"]],
    )
    appended.message["event"] = event
    return appended


def refuse_if_ended(db: Database, conversation_id: str) -> None:
    """403 ``conversation_ended`` for an edit or a reaction in a chat that ended."""
    check_not_ended(select(db, "SELECT posting FROM conversations WHERE id = ?", [conversation_id])[0])


def check_not_ended(conversation: dict[str, Any]) -> None:
    """403 ``conversation_ended`` for a chat its mini-app ended."""
    if conversation.get("posting") == ENDED:
        raise Forbidden("this chat has ended: it takes no more messages", code="conversation_ended")
