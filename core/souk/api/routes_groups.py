"""A group's life: rename it, change its photo, choose who may post, manage its members, leave it.

Each change is told in the group by a system message, pushed live like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from ..chat import conversations, groups
from ..chat.conversations import Appended
from ..foundation.clock import iso
from . import schemas as s
from .endpoints import Call, EndpointSet

api = EndpointSet("groups")

GROUP = "/api/v1/conversations/{conversation_id}"
MEMBER = GROUP + "/members/{user_id}"
Step = Callable[[Database, str], Appended | None]


async def _change(call: Call, *steps: Step, announce: list[str] | None = None) -> dict[str, Any]:
    """Run the steps in one transaction, push what they tell, and answer the group as it is now.

    ``announce``: people whose list of conversations changed (added, removed).
    """
    runtime, me, cid = call.runtime, call.me["id"], call.path["conversation_id"]
    now = iso(runtime.settings.clock.now())

    def work(db: Database) -> list[Appended]:
        return [told for step in steps if (told := step(db, now)) is not None]

    await runtime.messenger.change_all(work)
    if announce:
        runtime.announce_conversation(cid, announce)
    row = conversations.require_reader(runtime.core.db, cid, me)
    return conversations.describe(runtime.core.db, row, me)


@api.route(
    "PATCH",
    GROUP,
    summary="Rename a group, or choose who may post in it (its admins)",
    body=s.GroupChange,
    response=s.Conversation,
    errors=(403, 404, 422),
)
async def change_group(call: Call) -> dict[str, Any]:
    cid, me, body = call.path["conversation_id"], call.me["id"], call.body
    steps: list[Step] = []
    if body.title is not None:
        steps.append(lambda db, now: groups.rename(db, cid, me, body.title, now))
    if body.posting is not None:
        steps.append(lambda db, now: groups.set_posting(db, cid, me, body.posting, now))
    if not steps:
        steps.append(lambda db, now: (groups.require_admin(db, cid, me), None)[1])
    return await _change(call, *steps)


@api.route(
    "PUT",
    GROUP + "/photo",
    summary="Change a group's photo (its admins)",
    body=s.GroupPhoto,
    response=s.Conversation,
    errors=(403, 404, 422),
)
async def set_photo(call: Call) -> dict[str, Any]:
    cid, me, photo = call.path["conversation_id"], call.me["id"], groups.check_photo(call.body.photo)
    return await _change(call, lambda db, now: groups.set_photo(db, cid, me, photo, now))


@api.route(
    "DELETE",
    GROUP + "/photo",
    summary="Remove a group's photo (its admins)",
    response=s.Conversation,
    errors=(403, 404),
)
async def remove_photo(call: Call) -> dict[str, Any]:
    cid, me = call.path["conversation_id"], call.me["id"]
    return await _change(call, lambda db, now: groups.set_photo(db, cid, me, None, now))


@api.route(
    "DELETE",
    MEMBER,
    summary="Remove someone from a group (its admins): they receive nothing posted after",
    response=s.Conversation,
    errors=(403, 404, 422),
)
async def remove_member(call: Call) -> dict[str, Any]:
    cid, me, user_id = call.path["conversation_id"], call.me["id"], call.path["user_id"]
    return await _change(call, lambda db, now: groups.remove(db, cid, me, user_id, now), announce=[user_id])


@api.route(
    "PATCH",
    MEMBER,
    summary="Make a member an admin, or an admin a member (the group's admins)",
    body=s.RoleChange,
    response=s.Conversation,
    errors=(403, 404),
)
async def change_role(call: Call) -> dict[str, Any]:
    cid, me, user_id, role = call.path["conversation_id"], call.me["id"], call.path["user_id"], call.body.role
    return await _change(call, lambda db, now: groups.set_role(db, cid, me, user_id, role, now))


@api.route(
    "POST",
    GROUP + "/leave",
    summary="Leave a group: you keep what you had, and receive nothing after",
    response=s.Conversation,
    errors=(403, 404),
)
async def leave_group(call: Call) -> dict[str, Any]:
    cid, me = call.path["conversation_id"], call.me["id"]
    return await _change(call, lambda db, now: groups.leave(db, cid, me, now), announce=[me])
