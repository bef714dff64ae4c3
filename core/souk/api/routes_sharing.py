"""What a person shares (read receipts, typing, presence), and others' presence as they share it."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..foundation.errors import NotFound
from ..people import reach, sharing
from . import schemas as s
from .chat_parts import parts
from .endpoints import Call, EndpointSet

api = EndpointSet("sharing")


@api.route(
    "GET",
    "/api/v1/me/privacy",
    summary="Who sees your read receipts, typing and presence; who may add you to groups and find you",
    response=s.SharingSettings,
)
async def get_privacy(call: Call) -> dict[str, Any]:
    db, me = call.runtime.core.db, call.me["id"]
    return sharing.settings_of(db, me) | reach.settings_of(db, me)


@api.route(
    "PATCH",
    "/api/v1/me/privacy",
    summary="Choose who sees your receipts, typing and presence, who may add you and find you by number",
    body=s.SharingChange,
    response=s.SharingSettings,
)
async def change_privacy(call: Call) -> dict[str, Any]:
    me, changes = call.me["id"], call.body.model_dump()
    shown = {what: changes.pop(what) for what in sharing.WHATS}

    def store(db: Database) -> dict[str, str]:
        return sharing.update(db, me, shown) | reach.update(db, me, changes)

    settings = await call.runtime.core.write(store)
    parts(call.runtime).sharing.forget(me)
    return settings


@api.route(
    "GET",
    "/api/v1/users/{user_id}/presence",
    summary="Whether someone you share a conversation with is online, or when they were last seen",
    response=s.PresenceState,
    errors=(404,),
)
async def presence(call: Call) -> dict[str, Any]:
    me, other = call.me["id"], call.path["user_id"]
    shared = call.runtime.core.db.execute(
        "SELECT 1 FROM members a JOIN members b ON a.conversation_id = b.conversation_id "
        "WHERE a.user_id = ? AND b.user_id = ? LIMIT 1",
        [me, other],
    ).fetchone()
    if shared is None:
        raise NotFound("nobody you share a conversation with", code="user_not_found")
    return parts(call.runtime).presence.visible_state(other, me)
