"""The chat part of a user's data: their conversations and what they wrote, exported and erased.

Erasing a person (documented in docs/api.md):

- their chats with mini-apps, and every message only they could see, are deleted;
- they leave every conversation;
- what they wrote to others stays in those conversations as a tombstone
  ("This message was deleted.", from "Deleted account"), so the others' history
  keeps its order, with the sender's id replaced by the erasure's random one;
- what others (people and mini-apps) wrote stays: it belongs to those who
  received it, as on every messenger.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..storage.store import select

TOMBSTONE_NAME = "Deleted account"
TOMBSTONE_TEXT = "This message was deleted."


def export_messages(db: Database, user_id: str) -> list[dict[str, Any]]:
    """Each conversation they are or were in, with every message that holds something of theirs:
    what they wrote, what was shown only to them, the group news about them, what they reacted to
    (with their reaction); and each step of their receipts."""
    conversations = []
    for row in select(
        db,
        "SELECT c.id, c.kind, c.title, c.app, c.created_at, m.role, m.joined_at, m.last_read_seq, "
        "m.delivered_seq, m.periods, m.left_seq "
        "FROM conversations c JOIN members m ON m.conversation_id = c.id WHERE m.user_id = ? "
        "ORDER BY c.created_at",
        [user_id],
    ):
        messages = select(
            db,
            "SELECT seq, sender_kind, sender_name, kind, text, screen, visible_to IS NOT NULL AS private, "
            "created_at, updated_at, edited_at, event, json_extract(reactions, '$.' || ?) AS your_reaction "
            "FROM messages WHERE conversation_id = ? AND (sender_id = ? OR visible_to = ? "
            "OR instr(event, ?) > 0 OR json_extract(reactions, '$.' || ?) IS NOT NULL) ORDER BY seq",
            [user_id, row["id"], user_id, user_id, user_id, user_id],
        )
        receipts = select(
            db,
            "SELECT kind, seq, at FROM receipts WHERE conversation_id = ? AND user_id = ? ORDER BY at",
            [row["id"], user_id],
        )
        title = row["title"] if row["kind"] != "direct" else "Direct chat"
        conversations.append(row | {"title": title, "messages": messages, "receipts": receipts})
    return conversations


def erase_messages(db: Database, user_id: str, replacement: str) -> dict[str, dict[str, int]]:
    """Erase the person from every conversation (see the module's docstring); counts by table."""
    deleted: dict[str, int] = {}
    pseudonymised: dict[str, int] = {}

    def count(into: dict[str, int], table: str, sql: str, params: list[Any]) -> None:
        changed = db.execute(sql, params).rowcount
        if changed:
            into[table] = into.get(table, 0) + changed

    own_app_chats = "SELECT id FROM conversations WHERE kind = 'app' AND created_by = ?"
    # What a former member kept of a message is a copy of it: it goes with the person's words
    # (and reactions) like the message itself.
    count(
        deleted,
        "message_snapshots",
        "DELETE FROM message_snapshots WHERE message_id IN (SELECT id FROM messages WHERE sender_id = ? "
        f"OR visible_to = ? OR conversation_id IN ({own_app_chats})) OR instr(row, ?) > 0",
        [user_id, user_id, user_id, user_id],
    )
    count(deleted, "messages", f"DELETE FROM messages WHERE conversation_id IN ({own_app_chats})", [user_id])
    count(deleted, "members", f"DELETE FROM members WHERE conversation_id IN ({own_app_chats})", [user_id])
    count(deleted, "conversations", f"DELETE FROM conversations WHERE id IN ({own_app_chats})", [user_id])
    count(deleted, "messages", "DELETE FROM messages WHERE visible_to = ?", [user_id])
    count(deleted, "members", "DELETE FROM members WHERE user_id = ?", [user_id])
    count(deleted, "receipts", "DELETE FROM receipts WHERE user_id = ?", [user_id])
    count(deleted, "last_seen", "DELETE FROM last_seen WHERE user_id = ?", [user_id])
    count(
        deleted,
        "reactions",
        "UPDATE messages SET reactions = NULLIF(json_remove(reactions, '$.' || ?), '{}') "
        "WHERE json_extract(reactions, '$.' || ?) IS NOT NULL",
        [user_id, user_id],
    )
    count(
        pseudonymised,
        "messages",
        "UPDATE messages SET sender_id = ?, sender_name = ?, text = ?, kind = 'text', screen = NULL, "
        "media = NULL, client_id = NULL, body_hash = NULL WHERE sender_kind = 'user' AND sender_id = ?",
        [replacement, TOMBSTONE_NAME, TOMBSTONE_TEXT, user_id],
    )
    name = select(db, "SELECT display_name FROM users WHERE id = ?", [user_id])[0]["display_name"]
    count(
        pseudonymised,
        "messages",
        "UPDATE messages SET event = replace(event, ?, ?), text = replace(text, ?, ?) "
        "WHERE instr(event, ?) > 0",
        [user_id, replacement, name, TOMBSTONE_NAME, user_id],
    )
    count(
        pseudonymised,
        "conversations",
        "UPDATE conversations SET created_by = ? WHERE created_by = ?",
        [replacement, user_id],
    )
    count(
        pseudonymised,
        "conversations",
        "UPDATE conversations SET unique_key = replace(unique_key, ?, ?) WHERE unique_key LIKE ?",
        [user_id, replacement, f"%{user_id}%"],
    )
    return {"deleted": deleted, "pseudonymised": pseudonymised}
