"""Changing what was sent: edits of one's own text, deletion for everyone, reactions.

Each is a new version of the message (:func:`conversations.revise`): the same
``seq``, the next ``changed_seq``, pushed live to whoever sees the message and
handed by history and resume to a client that was away.  Only the latest version
is kept, so an edited message's previous text is never shown to anyone again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlite_utils import Database

from ..foundation.clock import iso
from ..foundation.errors import Conflict, Invalid, NotFound
from . import app_chats, reactions
from .conversations import MAX_TEXT, Appended, message_for, revise

EDIT_WINDOW = dt.timedelta(minutes=15)
"""How long after sending a person may still edit their message."""
DELETE_WINDOW = dt.timedelta(hours=48)
"""How long after sending a person may still delete it for everyone."""


def _own_message(db: Database, conversation_id: str, message_id: str, user_id: str) -> dict[str, Any]:
    row = message_for(db, message_id, user_id)
    if row["conversation_id"] != conversation_id or (row["sender_kind"], row["sender_id"]) != (
        "user",
        user_id,
    ):
        raise NotFound("no such message of yours", code="message_not_found")
    if row["deleted_at"] is not None:
        raise Conflict("this message was deleted", code="message_deleted")
    return row


def _within(row: dict[str, Any], window: dt.timedelta, now: dt.datetime, code: str, what: str) -> None:
    if now - dt.datetime.fromisoformat(row["created_at"]) > window:
        minutes = int(window.total_seconds() // 60)
        span = f"{minutes} minutes" if minutes < 120 else f"{minutes // 60} hours"
        raise Invalid(f"a message can be {what} for {span} after it was sent", code=code)


def edit(
    db: Database, conversation_id: str, message_id: str, user_id: str, text: str, now: dt.datetime
) -> Appended | None:
    """A new text for one's own message, within :data:`EDIT_WINDOW`; ``None`` if it is the same."""
    row = _own_message(db, conversation_id, message_id, user_id)
    app_chats.refuse_if_ended(db, conversation_id)
    if row["kind"] != "text" or row["visible_to"] is not None:
        raise Invalid("only a text everyone sees can be edited", code="not_editable")
    _within(row, EDIT_WINDOW, now, "edit_window_closed", "edited")
    if len(text) > MAX_TEXT:
        raise Invalid(f"a message has at most {MAX_TEXT} characters", code="message_too_long")
    if text.startswith("/") and not row["text"].startswith("/"):
        raise Invalid("an edit cannot turn a message into a command", code="not_editable")
    if text == row["text"]:
        return None
    stamp = iso(now)
    return revise(db, row, {"text": text, "edited_at": stamp}, stamp)


def delete_for_everyone(
    db: Database, conversation_id: str, message_id: str, user_id: str, now: dt.datetime
) -> Appended:
    """Replace one's own message with a tombstone, within :data:`DELETE_WINDOW`.

    Its text, screen, photo or file, reply and reactions go; what stays says only that it was deleted.
    """
    row = _own_message(db, conversation_id, message_id, user_id)
    _within(row, DELETE_WINDOW, now, "delete_window_closed", "deleted for everyone")
    stamp = iso(now)
    changes = {
        "text": "",
        "screen": None,
        "kind": "text",
        "deleted_at": stamp,
        "reactions": None,
        "reply_to_seq": None,
        "edited_at": None,
        "media": None,
    }
    return revise(db, row, changes, stamp)


def react(
    db: Database, conversation_id: str, message_id: str, user_id: str, emoji: str | None, now: dt.datetime
) -> Appended | None:
    """Set (or, with ``None``, take back) one's reaction; ``None`` when nothing changed."""
    row = message_for(db, message_id, user_id)
    if row["conversation_id"] != conversation_id:
        raise NotFound("no such message", code="message_not_found")
    app_chats.refuse_if_ended(db, conversation_id)
    if row["deleted_at"] is not None:
        raise Conflict("this message was deleted", code="message_deleted")
    current = reactions.load(row["reactions"]).get(user_id)
    if current == emoji:
        return None
    stamp = iso(now)
    return revise(db, row, {"reactions": reactions.with_reaction(row["reactions"], user_id, emoji)}, stamp)
