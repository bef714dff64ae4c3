"""Groups with a life: admins, who may post, names and photos, people who come and go.

Every change is written with the system message that tells it ("Asha added Ravi"),
in one transaction, and that message (with its structured ``event``) is what goes
live.  The owner (who created the group) and the admins they chose manage it: they
add and remove people, rename it, change its photo, choose who may post and who
else is an admin.  Anyone may leave; when the last admin leaves, the member who has
been in longest becomes one, so a group is never left without.

Someone removed, or who left, receives the message that says so and nothing after
it: their period in the group ends at that message (see :mod:`windows`).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, Literal

from sqlite_utils import Database

from ..foundation.errors import Forbidden, Invalid, NotFound
from ..storage.store import select
from . import windows
from .conversations import Appended, Sender, add_member, append, members, require_member
from .media_types import sanitise

SYSTEM = Sender("system", "group", "Souk")
ADMIN_ROLES = ("owner", "admin")
Posting = Literal["everyone", "admins"]
PHOTO = re.compile(r"data:image/(png|jpeg|webp);base64,([A-Za-z0-9+/]+={0,2})")
PHOTO_MAX_BYTES = 32 * 1024


def _names(db: Database, user_ids: list[str]) -> dict[str, str]:
    marks = ", ".join("?" * len(user_ids))
    rows = select(db, f"SELECT id, display_name FROM users WHERE id IN ({marks})", user_ids)
    return {row["id"]: row["display_name"] for row in rows}


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _tell(db: Database, conversation_id: str, text: str, event: dict[str, Any], now: str) -> Appended:
    appended = append(db, conversation_id, SYSTEM, text, now)
    stored = json.dumps(event, separators=(",", ":"))
    db.execute("UPDATE messages SET event = ? WHERE id = ?", [stored, appended.message["id"]])
    appended.message["event"] = event
    return appended


def role_of(db: Database, conversation_id: str, user_id: str) -> str | None:
    rows = select(
        db,
        "SELECT role FROM members WHERE conversation_id = ? AND user_id = ? AND left_seq IS NULL",
        [conversation_id, user_id],
    )
    return rows[0]["role"] if rows else None


def _group(db: Database, conversation_id: str, user_id: str) -> dict[str, Any]:
    conversation = require_member(db, conversation_id, user_id)
    if conversation["kind"] != "group":
        raise Forbidden("only groups have admins, names and photos", code="not_a_group")
    return conversation


def require_admin(db: Database, conversation_id: str, user_id: str) -> dict[str, Any]:
    """The group, if ``user_id`` is one of its admins now; 403 ``admins_only`` for a member."""
    conversation = _group(db, conversation_id, user_id)
    if role_of(db, conversation_id, user_id) not in ADMIN_ROLES:
        raise Forbidden("only the group's admins can do this", code="admins_only")
    return conversation


def check_may_post(db: Database, conversation: dict[str, Any], user_id: str) -> None:
    """403 ``admins_only`` when only admins may post here and ``user_id`` is not one."""
    if (
        conversation.get("posting") == "admins"
        and role_of(db, conversation["id"], user_id) not in ADMIN_ROLES
    ):
        raise Forbidden("only admins can send messages to this group", code="admins_only")


def created(db: Database, conversation_id: str, creator: str, now: str) -> Appended:
    title = select(db, "SELECT title FROM conversations WHERE id = ?", [conversation_id])[0]["title"]
    name = _names(db, [creator])[creator]
    event = {"type": "created", "by": creator, "title": title}
    return _tell(db, conversation_id, f"{name} created the group “{title}”", event, now)


def add(db: Database, conversation_id: str, by: str, user_ids: list[str], now: str) -> Appended | None:
    """Add people (an admin's doing); ``None`` when all of them were in already."""
    require_admin(db, conversation_id, by)
    added = [user for user in dict.fromkeys(user_ids) if add_member(db, conversation_id, user, "member", now)]
    if not added:
        return None
    names = _names(db, [by, *added])
    text = f"{names[by]} added {_listed([names[u] for u in added])}"
    return _tell(db, conversation_id, text, {"type": "added", "by": by, "users": added}, now)


def _end_membership(db: Database, conversation_id: str, user_id: str, at_seq: int) -> None:
    db.execute(
        "UPDATE members SET left_seq = ? WHERE conversation_id = ? AND user_id = ?",
        [at_seq, conversation_id, user_id],
    )
    windows.close_period(db, conversation_id, user_id, at_seq)


def remove(db: Database, conversation_id: str, by: str, user_id: str, now: str) -> Appended:
    """An admin removes a member (never the owner): they get this message, and nothing after."""
    require_admin(db, conversation_id, by)
    role = role_of(db, conversation_id, user_id)
    if role is None:
        raise NotFound("nobody by that id is in this group", code="user_not_found")
    if role == "owner":
        raise Forbidden("the group's owner cannot be removed", code="cannot_remove_owner")
    if user_id == by:
        raise Invalid("to leave the group, leave it", code="invalid_request")
    names = _names(db, [by, user_id])
    told = _tell(
        db,
        conversation_id,
        f"{names[by]} removed {names[user_id]}",
        {"type": "removed", "by": by, "users": [user_id]},
        now,
    )
    _end_membership(db, conversation_id, user_id, told.message["seq"])
    return told


def leave(db: Database, conversation_id: str, user_id: str, now: str) -> Appended:
    """Leave a group; the last admin to go hands the group to the member in it longest."""
    _group(db, conversation_id, user_id)
    name = _names(db, [user_id])[user_id]
    told = _tell(
        db, conversation_id, f"{name} left", {"type": "left", "by": user_id, "users": [user_id]}, now
    )
    _end_membership(db, conversation_id, user_id, told.message["seq"])
    remaining = members(db, conversation_id)
    if remaining and not any(m["role"] in ADMIN_ROLES for m in remaining):
        heir = remaining[0]
        db.execute(
            "UPDATE members SET role = 'admin' WHERE conversation_id = ? AND user_id = ?",
            [conversation_id, heir["id"]],
        )
        told.message["event"]["new_admin"] = heir["id"]
        stored = json.dumps(told.message["event"], separators=(",", ":"))
        db.execute("UPDATE messages SET event = ? WHERE id = ?", [stored, told.message["id"]])
    return told


def rename(db: Database, conversation_id: str, by: str, title: str, now: str) -> Appended | None:
    conversation = require_admin(db, conversation_id, by)
    title = " ".join(title.split())
    if not 1 <= len(title) <= 80:
        raise Invalid("a group name has 1 to 80 characters", code="invalid_title")
    if title == conversation["title"]:
        return None
    db.execute("UPDATE conversations SET title = ? WHERE id = ?", [title, conversation_id])
    name = _names(db, [by])[by]
    event = {"type": "renamed", "by": by, "title": title}
    return _tell(db, conversation_id, f"{name} renamed the group “{title}”", event, now)


def set_posting(db: Database, conversation_id: str, by: str, posting: Posting, now: str) -> Appended | None:
    conversation = require_admin(db, conversation_id, by)
    if posting == conversation["posting"]:
        return None
    db.execute("UPDATE conversations SET posting = ? WHERE id = ?", [posting, conversation_id])
    name = _names(db, [by])[by]
    who = "only admins" if posting == "admins" else "everyone"
    event = {"type": "posting", "by": by, "posting": posting}
    return _tell(db, conversation_id, f"{name} changed who can send messages: {who}", event, now)


def check_photo(data_url: str) -> str:
    """The picture of a PNG, JPEG or WebP data URL of at most 32 KiB, re-encoded as the group's photo.

    What is kept is drawn anew from the pixels (a small JPEG, as the media store's thumbnails
    are), so no EXIF block, GPS position or other metadata of the sender's file is passed on
    to the members; anything that is not such a picture is 422 ``invalid_photo``.
    """
    match = PHOTO.fullmatch(data_url)
    try:
        picture = base64.b64decode(match.group(2), validate=True) if match else b""
    except binascii.Error:
        picture = b""
    refusal = Invalid("a group photo is a PNG, JPEG or WebP data URL of at most 32 KiB", code="invalid_photo")
    if not match or not picture or len(picture) > PHOTO_MAX_BYTES:
        raise refusal
    try:
        kept = sanitise(picture)
    except Invalid:
        raise refusal from None
    if kept.thumbnail is None:
        raise refusal
    return "data:image/jpeg;base64," + base64.b64encode(kept.thumbnail).decode()


def set_photo(db: Database, conversation_id: str, by: str, photo: str | None, now: str) -> Appended | None:
    conversation = require_admin(db, conversation_id, by)
    if photo == conversation["photo"]:
        return None
    db.execute("UPDATE conversations SET photo = ? WHERE id = ?", [photo, conversation_id])
    name = _names(db, [by])[by]
    text = f"{name} changed the group photo" if photo else f"{name} removed the group photo"
    return _tell(db, conversation_id, text, {"type": "photo", "by": by}, now)


def set_role(
    db: Database, conversation_id: str, by: str, user_id: str, role: str, now: str
) -> Appended | None:
    """Make a member an admin, or an admin a member again (never the owner)."""
    require_admin(db, conversation_id, by)
    current = role_of(db, conversation_id, user_id)
    if current is None:
        raise NotFound("nobody by that id is in this group", code="user_not_found")
    if current == "owner":
        raise Forbidden("the group's owner stays its owner", code="cannot_change_owner")
    if current == role:
        return None
    db.execute(
        "UPDATE members SET role = ? WHERE conversation_id = ? AND user_id = ?",
        [role, conversation_id, user_id],
    )
    names = _names(db, [by, user_id])
    text = (
        f"{names[by]} made {names[user_id]} an admin"
        if role == "admin"
        else f"{names[by]} made {names[user_id]} a member, no longer an admin"
    )
    return _tell(db, conversation_id, text, {"type": "role", "by": by, "users": [user_id], "role": role}, now)
