"""What the staff write about a thread for each other: private notes and labels.

Neither is a message: notes live in ``inbox_notes`` and labels on the thread, so no path that
serves the customer's chat (its history, its live frames, resume) can ever carry them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Invalid
from ..foundation.ids import new_id
from ..storage.store import select
from . import inbox, staff

MAX_NOTE = 2000
MAX_LABELS = 20
LABEL = re.compile(r"[\w][\w \-]{0,29}")


def add_note(db: Database, business_id: str, by: str, conversation_id: str, text: str, now: str) -> dict:
    staff.require_staff(db, business_id, by)
    inbox.thread_row(db, business_id, conversation_id)
    text = text.strip()
    if not 1 <= len(text) <= MAX_NOTE:
        raise Invalid(f"a note has 1 to {MAX_NOTE} characters", code="invalid_note")
    row = {
        "id": new_id("n"),
        "conversation_id": conversation_id,
        "author_id": by,
        "text": text,
        "created_at": now,
    }
    db["inbox_notes"].insert(row)
    return note_view(db, row)


def note_view(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    author = select(db, "SELECT id, display_name FROM users WHERE id = ?", [row["author_id"]])
    return {
        "id": row["id"],
        "text": row["text"],
        "author": {"user_id": author[0]["id"], "display_name": author[0]["display_name"]} if author else None,
        "created_at": row["created_at"],
    }


def notes_of(db: Database, conversation_id: str) -> list[dict[str, Any]]:
    rows = select(
        db,
        "SELECT * FROM inbox_notes WHERE conversation_id = ? ORDER BY created_at, rowid",
        [conversation_id],
    )
    return [note_view(db, row) for row in rows]


def check_label(value: str) -> str:
    label = " ".join(value.split()).lower()
    if not LABEL.fullmatch(label):
        raise Invalid("a label has 1 to 30 letters, digits, spaces, - or _", code="invalid_label")
    return label


def set_labels(
    db: Database, business_id: str, by: str, conversation_id: str, labels: list[str], now: str
) -> dict[str, Any]:
    staff.require_staff(db, business_id, by)
    inbox.thread_row(db, business_id, conversation_id)
    checked = list(dict.fromkeys(check_label(label) for label in labels))
    if len(checked) > MAX_LABELS:
        raise Invalid(f"a thread has at most {MAX_LABELS} labels", code="invalid_label")
    return inbox.update(db, conversation_id, now, labels=json.dumps(checked))


def add_label(db: Database, thread: dict[str, Any], label: str, now: str) -> dict[str, Any]:
    """Add one label (a keyword rule's doing), keeping the others."""
    labels = json.loads(thread["labels"])
    if label in labels or len(labels) >= MAX_LABELS:
        return thread
    return inbox.update(db, thread["conversation_id"], now, labels=json.dumps([*labels, label]))
