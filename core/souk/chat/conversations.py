"""Conversations and their messages.

Every function here takes a :class:`sqlite_utils.Database`; the writing ones
are meant to run inside the store's writer (one transaction each), which is
what makes sequence numbers gapless and a retried send land once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlite_utils import Database

from ..foundation.errors import Conflict, Forbidden, Invalid, NotFound
from ..foundation.ids import new_id
from ..storage.store import select
from . import media, quotes, reactions, windows
from .business_card import business_card

Kind = Literal["direct", "group", "app"]
MAX_TEXT = 4000


@dataclass(frozen=True)
class Sender:
    kind: Literal["user", "app", "system"]
    id: str
    name: str


@dataclass
class Appended:
    """A stored message, who should receive it live, and whether it was a replay."""

    message: dict[str, Any]
    recipients: list[str]
    replayed: bool = False


def _insert_conversation(
    db: Database,
    kind: Kind,
    title: str | None,
    app: str | None,
    unique_key: str | None,
    created_by: str | None,
    now: str,
) -> dict[str, Any]:
    row = {
        "id": new_id("c"),
        "kind": kind,
        "title": title,
        "app": app,
        "unique_key": unique_key,
        "created_by": created_by,
        "created_at": now,
        "last_seq": 0,
        "posting": "everyone",
        "photo": None,
    }
    db["conversations"].insert(row)
    return row


def add_member(db: Database, conversation_id: str, user_id: str, role: str, now: str) -> bool:
    """Make ``user_id`` a member from the next message on; False if they are one already.

    Someone who had left comes back with a new period: what was posted while they
    were out stays out of their reach.
    """
    last_seq = db.execute("SELECT last_seq FROM conversations WHERE id = ?", [conversation_id]).fetchone()[0]
    joined = db.execute(
        "INSERT INTO members (conversation_id, user_id, role, joined_at, last_read_seq, joined_seq, periods) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, user_id) DO UPDATE SET "
        "role = excluded.role, joined_at = excluded.joined_at, joined_seq = excluded.joined_seq, "
        "last_read_seq = MAX(last_read_seq, excluded.last_read_seq), left_seq = NULL "
        "WHERE members.left_seq IS NOT NULL",
        [conversation_id, user_id, role, now, last_seq, last_seq, f"[[{last_seq},null]]"],
    ).rowcount
    if joined:
        windows.open_period(db, conversation_id, user_id, last_seq)
    return bool(joined)


def _by_unique_key(db: Database, key: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM conversations WHERE unique_key = ?", [key]))
    return rows[0] if rows else None


def open_direct(
    db: Database, user_id: str, other_id: str, now: str, *, app: str | None = None
) -> tuple[dict[str, Any], bool]:
    """The direct conversation of two users, created on first use; returns (row, created).

    With ``app``, the one that mini-app opened for them (:mod:`app_chats`), apart from their own.
    """
    if user_id == other_id:
        raise Invalid("a direct chat needs someone else", code="self_chat")
    pair = ":".join(sorted((user_id, other_id)))
    key = f"app-direct:{app}:{pair}" if app else f"direct:{pair}"
    existing = _by_unique_key(db, key)
    if existing:
        return existing, False
    row = _insert_conversation(db, "direct", None, app, key, user_id, now)
    for member in (user_id, other_id):
        add_member(db, row["id"], member, "member", now)
    return row, True


def open_app_chat(db: Database, user_id: str, app: str, title: str, now: str) -> tuple[dict[str, Any], bool]:
    """The conversation between a user and a mini-app, created on first use; returns (row, created)."""
    return open_own_chat(db, user_id, f"app:{app}:{user_id}", title, app, now)


def open_own_chat(
    db: Database, user_id: str, key: str, title: str, app: str | None, now: str
) -> tuple[dict[str, Any], bool]:
    """A user's one chat with a counterpart that is no person (a mini-app, a business), found by
    ``key``; created on first use with the user as its one member.  Returns (row, created)."""
    existing = _by_unique_key(db, key)
    if existing:
        return existing, False
    row = _insert_conversation(db, "app", title, app, key, user_id, now)
    add_member(db, row["id"], user_id, "member", now)
    return row, True


def create_group(db: Database, creator: str, title: str, member_ids: list[str], now: str) -> dict[str, Any]:
    title = " ".join(title.split())
    if not 1 <= len(title) <= 80:
        raise Invalid("a group name has 1 to 80 characters", code="invalid_title")
    row = _insert_conversation(db, "group", title, None, None, creator, now)
    add_member(db, row["id"], creator, "owner", now)
    for member in member_ids:
        add_member(db, row["id"], member, "member", now)
    return row


def add_members(db: Database, conversation_id: str, by_user: str, user_ids: list[str], now: str) -> list[str]:
    """Add people to a group; those who were not members already, in order."""
    conversation = require_member(db, conversation_id, by_user)
    if conversation["kind"] != "group":
        raise Forbidden("only groups take new members", code="not_a_group")
    return [member for member in user_ids if add_member(db, conversation_id, member, "member", now)]


def require_member(db: Database, conversation_id: str, user_id: str) -> dict[str, Any]:
    """The conversation, if ``user_id`` is in it now; otherwise 404 (never 403: no leak)."""
    rows = select(
        db,
        "SELECT c.* FROM conversations c JOIN members m ON m.conversation_id = c.id "
        "WHERE c.id = ? AND m.user_id = ? AND m.left_seq IS NULL",
        [conversation_id, user_id],
    )
    if not rows:
        raise NotFound("no such conversation", code="conversation_not_found")
    return rows[0]


def require_reader(db: Database, conversation_id: str, user_id: str) -> dict[str, Any]:
    """The conversation, if ``user_id`` is or was in it (a former member reads what they had)."""
    rows = select(
        db,
        "SELECT c.* FROM conversations c JOIN members m ON m.conversation_id = c.id "
        "WHERE c.id = ? AND m.user_id = ?",
        [conversation_id, user_id],
    )
    if not rows:
        raise NotFound("no such conversation", code="conversation_not_found")
    return rows[0]


def member_ids(db: Database, conversation_id: str) -> list[str]:
    """Who is in the conversation now: who receives what is posted."""
    return [
        row[0]
        for row in db.conn.execute(
            "SELECT user_id FROM members WHERE conversation_id = ? AND left_seq IS NULL "
            "ORDER BY joined_at, user_id",
            [conversation_id],
        )
    ]


INTRODUCTION = "c.kind = 'direct' AND c.app IS NOT NULL"
"""SQL (over conversations ``c``): a direct chat a mini-app opened between two people (a match).

The two were introduced by the mini-app and know each other only by what it showed them:
neither's handle is shown to the other there, and the chat makes them no contacts of each
other (contacts see last seen and may find each other by number).
"""


def members(db: Database, conversation_id: str) -> list[dict[str, Any]]:
    """The members now, first joined first (in the order they were added), with their role and marks.

    In an introduction (:data:`INTRODUCTION`) their handles are left out (``None``).
    """
    return select(
        db,
        f"SELECT u.id, u.display_name, CASE WHEN {INTRODUCTION} THEN NULL ELSE u.handle END AS handle, "
        "u.photo, m.role, m.joined_seq, m.delivered_seq, m.last_read_seq AS read_seq "
        "FROM members m JOIN users u ON u.id = m.user_id JOIN conversations c ON c.id = m.conversation_id "
        "WHERE m.conversation_id = ? AND m.left_seq IS NULL ORDER BY m.joined_at, m.rowid",
        [conversation_id],
    )


def only_introduced(db: Database, user_id: str, other_id: str) -> bool:
    """Whether all the two share now is an introduction (:data:`INTRODUCTION`): a match, no more.

    A person's id is seen by everyone in a conversation with them.  Someone who knows
    another only through a mini-app's introduction may not use that id to reach them
    (start a direct chat, add them to a group), where their handle would be shown: the
    introduction is the one way between them until one of them shares more.
    """
    shared = select(
        db,
        f"SELECT MIN({INTRODUCTION}) AS introduced FROM members mine JOIN members other "
        "ON other.conversation_id = mine.conversation_id AND other.user_id = ? AND other.left_seq IS NULL "
        "JOIN conversations c ON c.id = mine.conversation_id "
        "WHERE mine.user_id = ? AND mine.left_seq IS NULL",
        [other_id, user_id],
    )
    return bool(shared and shared[0]["introduced"])


def people_sharing_with(db: Database, user_id: str) -> list[str]:
    """Everyone who is in a conversation with the person now: who sees their name and photo."""
    rows = select(
        db,
        "SELECT DISTINCT other.user_id FROM members mine JOIN members other "
        "ON other.conversation_id = mine.conversation_id AND other.left_seq IS NULL "
        "WHERE mine.user_id = ? AND mine.left_seq IS NULL AND other.user_id != mine.user_id",
        [user_id],
    )
    return [row["user_id"] for row in rows]


def member_out(member: dict[str, Any]) -> dict[str, Any]:
    """A member as the others see them: their public profile (their photo's address too) and role."""
    shown = {key: member[key] for key in ("id", "display_name", "handle", "role", "joined_seq")}
    return shown | {"photo": media.URL.format(id=member["photo"]) if member["photo"] else None}


_MESSAGE_COLUMNS = (
    "id",
    "conversation_id",
    "seq",
    "sender_kind",
    "sender_id",
    "sender_name",
    "client_id",
    "body_hash",
    "kind",
    "text",
    "screen",
    "visible_to",
    "created_at",
    "revision",
    "changed_seq",
    "updated_at",
    "reply_to_seq",
    "written_at",
    "media",
)
_INSERT_MESSAGE = (
    f"INSERT INTO messages ({', '.join(_MESSAGE_COLUMNS)}) VALUES ({', '.join('?' * len(_MESSAGE_COLUMNS))})"
)


def _body_hash(text: str, screen: str | None) -> str:
    return hashlib.sha256(f"{text}\0{screen or ''}".encode()).hexdigest()


def append(
    db: Database,
    conversation_id: str,
    sender: Sender,
    text: str,
    now: str,
    *,
    client_id: str | None = None,
    screen: dict[str, Any] | None = None,
    visible_to: str | None = None,
    reply_to: int | None = None,
    written_at: str | None = None,
    media_id: str | None = None,
) -> Appended:
    """Store a message with the next sequence number of its conversation.

    With a ``client_id``, a message this sender already stored under that id is
    returned again (``replayed``) when its body is the same, and refused with 409
    when it differs.  ``reply_to`` is the ``seq`` of the message it answers (checked
    by the caller, see :func:`quotes.check_target`).  ``media_id`` is the sender's upload for
    this conversation that the message carries (:func:`media.claim_for_message`).
    """
    if len(text) > MAX_TEXT:
        raise Invalid(f"a message has at most {MAX_TEXT} characters", code="message_too_long")
    screen_json = json.dumps(screen, separators=(",", ":")) if screen is not None else None
    body_hash = _body_hash(text, screen_json if media_id is None else f"media:{media_id}")
    if client_id is not None:
        rows = select(
            db,
            "SELECT * FROM messages WHERE conversation_id = ? AND sender_id = ? AND client_id = ?",
            [conversation_id, sender.id, client_id],
        )
        if rows:
            if rows[0]["body_hash"] != body_hash:
                raise Conflict(
                    "this client message id was already used for another message", code="client_id_reused"
                )
            return Appended(serialize_rows(db, rows)[0], [], replayed=True)
    if reply_to is not None:
        quotes.check_target(db, conversation_id, reply_to)
    message_id = new_id("m")
    carried = (
        media.claim_for_message(db, media_id, sender.id, conversation_id, message_id) if media_id else None
    )
    seq = db.execute(
        "UPDATE conversations SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq", [conversation_id]
    ).fetchone()[0]
    row = {
        "id": message_id,
        "conversation_id": conversation_id,
        "seq": seq,
        "sender_kind": sender.kind,
        "sender_id": sender.id,
        "sender_name": sender.name,
        "client_id": client_id,
        "body_hash": body_hash,
        "kind": "screen" if screen is not None else "text",
        "text": text,
        "screen": screen_json,
        "visible_to": visible_to,
        "created_at": now,
        "revision": 1,
        "changed_seq": seq,
        "updated_at": None,
        "reply_to_seq": reply_to,
        "written_at": written_at,
        "media": carried,
    }
    # A plain INSERT: sqlite-utils' insert() inspects the table first, 15 times the cost on every send.
    db.conn.execute(_INSERT_MESSAGE, [row[column] for column in _MESSAGE_COLUMNS])
    if sender.kind == "user":
        db.execute(
            "UPDATE members SET last_read_seq = ? WHERE conversation_id = ? AND user_id = ?",
            [seq, conversation_id, sender.id],
        )
    recipients = [visible_to] if visible_to else member_ids(db, conversation_id)
    return Appended(serialize_rows(db, [row])[0], recipients)


def serialize(row: dict[str, Any]) -> dict[str, Any]:
    """A message as the API shows it (a reply's ``quote`` attached first, see :func:`serialize_rows`)."""
    return {
        "id": row["id"],
        "conversation_id": row["conversation_id"],
        "seq": row["seq"],
        "sender": {"kind": row["sender_kind"], "id": row["sender_id"], "name": row["sender_name"]},
        "kind": "media" if row.get("media") else row["kind"],
        "text": row["text"],
        "screen": json.loads(row["screen"]) if row["screen"] else None,
        "private": row["visible_to"] is not None,
        "client_id": row["client_id"],
        "created_at": row["created_at"],
        "revision": row["revision"],
        "changed_seq": row["changed_seq"],
        "updated_at": row["updated_at"],
        "reply_to": row.get("quote"),
        "edited_at": row.get("edited_at"),
        "deleted": row.get("deleted_at") is not None,
        "reactions": reactions.summary(row.get("reactions")),
        "event": json.loads(row["event"]) if row.get("event") else None,
        "written_at": row.get("written_at"),
        "media": json.loads(row["media"]) if row.get("media") else None,
    }


def serialize_rows(
    db: Database, rows: list[dict[str, Any]], frozen_at: int | None = None
) -> list[dict[str, Any]]:
    """Messages as the API shows them, each reply with the quote of what it answers (as a former
    member whose membership ended at ``frozen_at`` saw it)."""
    quotes.attach(db, rows, frozen_at)
    return [serialize(row) for row in rows]


def replace(
    db: Database, message_id: str, sender: Sender, text: str, screen: dict[str, Any] | None, now: str
) -> Appended:
    """Replace a message in place with a new version, under the next sequence number.

    Only its sender may (a mini-app replaces its own screens).  The new version
    goes to whoever saw the old one, and history and resume hand it to a client
    that missed it, since they follow ``changed_seq``.
    """
    if len(text) > MAX_TEXT:
        raise Invalid(f"a message has at most {MAX_TEXT} characters", code="message_too_long")
    rows = select(db, "SELECT * FROM messages WHERE id = ?", [message_id])
    if not rows or (rows[0]["sender_kind"], rows[0]["sender_id"]) != (sender.kind, sender.id):
        raise NotFound("no such message of yours", code="message_not_found")
    screen_json = json.dumps(screen, separators=(",", ":")) if screen is not None else None
    changes = {"text": text, "screen": screen_json, "kind": "screen" if screen is not None else "text"}
    return revise(db, rows[0], changes, now)


_REVISABLE = ("text", "screen", "kind", "edited_at", "deleted_at", "reactions", "reply_to_seq", "media")


def revise(db: Database, old: dict[str, Any], changes: dict[str, Any], now: str) -> Appended:
    """Store a new version of a message (``changes`` among :data:`_REVISABLE`) under the next seq.

    Every kind of change (a screen replaced, an edit, a deletion, a reaction) is one of
    these: the message keeps its ``seq``, and its ``changed_seq`` is what history and
    resume follow, so a client that was away gets the latest version, once.  The body
    hash stays, so a retried send of the original still finds it.
    """
    seq = db.execute(
        "UPDATE conversations SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq",
        [old["conversation_id"]],
    ).fetchone()[0]
    assert set(changes) <= set(_REVISABLE), changes
    windows.keep_for_former_members(db, old, seq)
    versioned = {**changes, "revision": old["revision"] + 1, "changed_seq": seq, "updated_at": now}
    assignments = ", ".join(f"{column} = :{column}" for column in versioned)
    db.execute(f"UPDATE messages SET {assignments} WHERE id = :id", {**versioned, "id": old["id"]})
    row = {**old, **versioned}
    recipients = [old["visible_to"]] if old["visible_to"] else member_ids(db, old["conversation_id"])
    return Appended(serialize_rows(db, [row])[0], recipients)


def claim(db: Database, message_id: str, revision: int) -> bool:
    """Take this version of a screen for a one-time action; False if it was already taken."""
    return bool(
        db.execute(
            "UPDATE messages SET claimed_revision = ? WHERE id = ? AND revision = ? "
            "AND (claimed_revision IS NULL OR claimed_revision < ?)",
            [revision, message_id, revision, revision],
        ).rowcount
    )


def release(db: Database, message_id: str, revision: int) -> None:
    """Give a claimed version back (its action failed): the screen is live again."""
    db.execute(
        "UPDATE messages SET claimed_revision = NULL WHERE id = ? AND claimed_revision = ?",
        [message_id, revision],
    )


_VISIBLE = "(visible_to IS NULL OR visible_to = ?)"


def history(
    db: Database,
    conversation_id: str,
    user_id: str,
    *,
    before: int | None = None,
    after: int | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Messages visible to ``user_id``, oldest first: the page before ``before`` or after ``after``.

    Only those of their periods in the conversation (:mod:`windows`); a former member
    sees each as they last saw it.  ``after`` follows ``changed_seq``: what was posted
    or replaced since, in that order, so a client catching up also gets the new
    versions of older screens.
    """
    window = windows.window(db, conversation_id, user_id)
    if window is None:
        return []
    within, params = window.condition()
    frozen = window.frozen_at
    if after is not None:
        # A former member's rows may have changed since they left, so which of them changed
        # after ``after`` is known once each is in the version they saw.
        rows = select(
            db,
            f"SELECT * FROM messages WHERE conversation_id = ? AND changed_seq > ? AND {_VISIBLE} "
            f"AND {within} ORDER BY changed_seq" + (" LIMIT ?" if frozen is None else ""),
            [conversation_id, after, user_id, *params, *([limit] if frozen is None else [])],
        )
        seen = [r for r in windows.as_seen(db, rows, frozen) if r["changed_seq"] > after]
        seen.sort(key=lambda r: r["changed_seq"])
        return serialize_rows(db, seen[:limit], frozen)
    rows = select(
        db,
        f"SELECT * FROM messages WHERE conversation_id = ? AND seq < ? AND {_VISIBLE} AND {within} "
        "ORDER BY seq DESC LIMIT ?",
        [conversation_id, before if before is not None else 2**62, user_id, *params, limit],
    )
    return serialize_rows(db, windows.as_seen(db, rows[::-1], frozen), frozen)


def message_for(db: Database, message_id: str, user_id: str) -> dict[str, Any]:
    """A raw message row the user may act on: a member now, a message of their periods (and
    the private ones addressed to them)."""
    rows = select(
        db,
        "SELECT m.* FROM messages m JOIN members mb ON mb.conversation_id = m.conversation_id "
        f"AND mb.user_id = ? AND mb.left_seq IS NULL WHERE m.id = ? "
        f"AND {_VISIBLE.replace('visible_to', 'm.visible_to')}",
        [user_id, message_id, user_id],
    )
    window = windows.window(db, rows[0]["conversation_id"], user_id) if rows else None
    if not rows or window is None or not window.covers(rows[0]["seq"]):
        raise NotFound("no such message", code="message_not_found")
    return rows[0]


def listing(db: Database, user_id: str) -> list[dict[str, Any]]:
    """The user's conversations (those they left too), most recent first, with the last message
    they may see and how many of those they have not read."""
    result = []
    for row in select(
        db,
        "SELECT c.*, m.last_read_seq FROM conversations c JOIN members m ON m.conversation_id = c.id "
        "WHERE m.user_id = ?",
        [user_id],
    ):
        window = windows.window(db, row["id"], user_id)
        if window is None:
            continue
        within, params = window.condition()
        unread = db.execute(
            f"SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND seq > ? AND {_VISIBLE} "
            f"AND sender_id != ? AND {within}",
            [row["id"], row["last_read_seq"], user_id, user_id, *params],
        ).fetchone()[0]
        last = select(
            db,
            f"SELECT * FROM messages WHERE conversation_id = ? AND {_VISIBLE} AND {within} "
            "ORDER BY seq DESC LIMIT 1",
            [row["id"], user_id, *params],
        )
        shown = serialize_rows(db, windows.as_seen(db, last, window.frozen_at), window.frozen_at)
        result.append(
            describe(db, row, user_id, window)
            | {
                "unread": unread,
                "last_read_seq": row["last_read_seq"],
                "last_message": shown[0] if shown else None,
            }
        )
    result.sort(key=lambda c: (c["last_message"] or {}).get("created_at") or c["created_at"], reverse=True)
    return result


def describe(
    db: Database, row: dict[str, Any], viewer: str, window: windows.Window | None = None
) -> dict[str, Any]:
    """A conversation as the API shows it; a direct chat is titled with the other person.

    A former member sees it as it was when they left: its last seq then, and no news
    of who is in it now.
    """
    window = window or windows.window(db, row["id"], viewer)
    frozen = window.frozen_at if window is not None else None
    people = members(db, row["id"]) if frozen is None else []
    business = business_card(db, row["business_id"], viewer) if row.get("business_id") else None
    title = row["title"]
    if row["kind"] == "direct":
        other = next((p for p in members(db, row["id"]) if p["id"] != viewer), None)
        title = other["display_name"] if other else "Direct chat"
    # A customer's own chat with a business is shown as the business; a group thread with one
    # stays a group, with the business beside its people.
    own_chat = business is not None and row["kind"] != "group"
    return {
        "id": row["id"],
        "kind": "business" if own_chat else row["kind"],
        "title": business["name"] if own_chat else title,
        "business": business,
        "app": row["app"],
        "last_seq": row["last_seq"] if frozen is None else min(row["last_seq"], frozen),
        "created_at": row["created_at"],
        "members": [member_out(p) for p in people],
        "member": frozen is None,
        "posting": row["posting"],
        "photo": row["photo"] if frozen is None else None,
    }
