"""How a business's inbox works: its settings, quick replies and keyword rules (its admins set
them; the staff read them)."""

from __future__ import annotations

from typing import Any

from ..business import inbox_settings, quick_replies, rules
from . import inbox_schemas as i
from .endpoints import Call, EndpointSet
from .routes_business import BUSINESS, _write
from .routes_inbox import _read_staff

api = EndpointSet("inbox")


@api.route(
    "GET",
    BUSINESS + "/inbox-settings",
    summary="The inbox's settings: agent's name shown, automatic assignment and cap, greeting, away message",
    response=i.InboxSettings,
    errors=(403, 404),
)
async def get_settings(call: Call) -> dict[str, Any]:
    db, business = _read_staff(call)
    return inbox_settings.of(db, business["id"])


@api.route(
    "PATCH",
    BUSINESS + "/inbox-settings",
    summary="Change the inbox's settings (its admins)",
    body=i.InboxSettingsChange,
    response=i.InboxSettings,
    errors=(403, 404, 422),
)
async def change_settings(call: Call) -> dict[str, Any]:
    me, changes = call.me["id"], call.body.model_dump()
    return await _write(
        call, lambda db, business, now: inbox_settings.change(db, business["id"], me, changes)
    )


@api.route(
    "GET",
    BUSINESS + "/quick-replies",
    summary="The business's quick replies, by name",
    response=i.QuickReplies,
    errors=(403, 404),
)
async def list_quick_replies(call: Call) -> dict[str, Any]:
    db, business = _read_staff(call)
    return {"quick_replies": quick_replies.listing(db, business["id"])}


@api.route(
    "PUT",
    BUSINESS + "/quick-replies/{name}",
    summary="Save a quick reply under a name (agents insert it with /name; its admins)",
    body=i.NewQuickReply,
    response=i.QuickReply,
    errors=(403, 404, 422),
)
async def put_quick_reply(call: Call) -> dict[str, Any]:
    me, name, text = call.me["id"], call.path["name"], call.body.text
    return await _write(call, lambda db, b, now: quick_replies.put(db, b["id"], me, name, text, now))


@api.route(
    "DELETE",
    BUSINESS + "/quick-replies/{name}",
    summary="Delete a quick reply (its admins)",
    status=204,
    errors=(403, 404, 422),
)
async def delete_quick_reply(call: Call) -> None:
    me, name = call.me["id"], call.path["name"]
    await _write(call, lambda db, b, now: quick_replies.remove(db, b["id"], me, name))


@api.route(
    "GET",
    BUSINESS + "/rules",
    summary="The business's keyword rules, each with its hits",
    response=i.Rules,
    errors=(403, 404),
)
async def list_rules(call: Call) -> dict[str, Any]:
    db, business = _read_staff(call)
    return {"rules": rules.listing(db, business["id"])}


@api.route(
    "POST",
    BUSINESS + "/rules",
    summary="Add a keyword rule: on a match, reply, assign and/or label (its admins)",
    body=i.NewRule,
    response=i.Rule,
    status=201,
    errors=(403, 404, 422),
)
async def add_rule(call: Call) -> dict[str, Any]:
    me, fields = call.me["id"], call.body.model_dump()
    return await _write(call, lambda db, b, now: rules.create(db, b["id"], me, fields, now))


@api.route(
    "DELETE",
    BUSINESS + "/rules/{rule_id}",
    summary="Delete a keyword rule (its admins)",
    status=204,
    errors=(403, 404),
)
async def delete_rule(call: Call) -> None:
    me, rule_id = call.me["id"], call.path["rule_id"]
    await _write(call, lambda db, b, now: rules.remove(db, b["id"], me, rule_id))
