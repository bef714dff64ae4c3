"""Changing a message after it was sent: edit, delete for everyone, react."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from ..chat import conversations, edits, reactions, receipts
from ..chat.conversations import Appended
from ..foundation.errors import NotFound
from ..people import users
from . import schemas as s
from .chat_parts import parts
from .endpoints import Call, EndpointSet

api = EndpointSet("messages")

MESSAGE = "/api/v1/conversations/{conversation_id}/messages/{message_id}"


async def _changed(call: Call, change: Callable[[Database, Any], Appended | None]) -> dict[str, Any]:
    """Run ``change(db, now)``; the message as it is afterwards (changed or not)."""
    runtime, me = call.runtime, call.me["id"]
    now = runtime.settings.clock.now()
    appended = await runtime.messenger.change(lambda db: change(db, now))
    if appended is not None:
        return appended.message

    def current(db: Database) -> dict[str, Any]:
        return conversations.serialize_rows(db, [conversations.message_for(db, call.path["message_id"], me)])[
            0
        ]

    return await runtime.core.read(current)


@api.route(
    "PATCH",
    MESSAGE,
    summary="Edit your message (within 15 minutes); it is marked edited",
    body=s.EditMessage,
    response=s.Message,
    errors=(403, 404, 409, 422),
)
async def edit_message(call: Call) -> dict[str, Any]:
    cid, mid, me = call.path["conversation_id"], call.path["message_id"], call.me["id"]
    return await _changed(call, lambda db, now: edits.edit(db, cid, mid, me, call.body.text, now))


@api.route(
    "DELETE",
    MESSAGE,
    summary="Delete your message for everyone (within 48 hours): it becomes a tombstone",
    response=s.Message,
    errors=(404, 409, 422),
)
async def delete_message(call: Call) -> dict[str, Any]:
    cid, mid, me = call.path["conversation_id"], call.path["message_id"], call.me["id"]
    deleted = await _changed(call, lambda db, now: edits.delete_for_everyone(db, cid, mid, me, now))
    await call.runtime.media.forget("message_id = ?", [mid])  # its photo or file goes with it
    return deleted


@api.route(
    "PUT",
    MESSAGE + "/reaction",
    summary="React to a message with an emoji (one per person: it replaces yours)",
    body=s.NewReaction,
    response=s.Message,
    errors=(403, 404, 409, 422),
)
async def react(call: Call) -> dict[str, Any]:
    cid, mid, me = call.path["conversation_id"], call.path["message_id"], call.me["id"]
    emoji = reactions.check_emoji(call.body.emoji)
    return await _changed(call, lambda db, now: edits.react(db, cid, mid, me, emoji, now))


@api.route(
    "DELETE",
    MESSAGE + "/reaction",
    summary="Take back your reaction to a message",
    response=s.Message,
    errors=(404, 409),
)
async def unreact(call: Call) -> dict[str, Any]:
    cid, mid, me = call.path["conversation_id"], call.path["message_id"], call.me["id"]
    return await _changed(call, lambda db, now: edits.react(db, cid, mid, me, None, now))


@api.route(
    "GET",
    MESSAGE + "/receipts",
    summary="Your message's info: to whom it was delivered, who read it, and when",
    response=s.MessageReceipts,
    errors=(404,),
)
async def message_receipts(call: Call) -> dict[str, Any]:
    cid, mid, me = call.path["conversation_id"], call.path["message_id"], call.me["id"]
    sharing = parts(call.runtime).sharing

    def read(db: Database) -> dict[str, Any]:
        row = conversations.message_for(db, mid, me)
        if row["conversation_id"] != cid or (row["sender_kind"], row["sender_id"]) != ("user", me):
            raise NotFound("no such message of yours", code="message_not_found")
        others = [m for m in conversations.members(db, cid) if m["id"] != me]

        def entries(kind: receipts.Kind, visible: Any) -> list[dict[str, Any]]:
            when = receipts.reached(db, cid, row["seq"], kind)
            return [
                {"user": users.public(m), "at": when.get(m["id"])}
                for m in others
                if m[f"{kind}_seq"] >= row["seq"] and visible(m["id"])
            ]

        return {
            "message_id": mid,
            "seq": row["seq"],
            "recipients": len(others),
            "delivered": entries("delivered", lambda _: True),
            "read": entries("read", lambda user: sharing.mutual(user, me, "receipts")),
        }

    return await call.runtime.core.read(read)
