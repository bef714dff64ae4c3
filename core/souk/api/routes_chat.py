"""Conversations, messages, buttons and forms, commands and consents."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database
from starlette.responses import JSONResponse

from ..business import business_threads
from ..chat import app_chats, business_card, conversations, groups, offline
from ..chat.conversations import Sender
from ..foundation.clock import iso
from ..foundation.errors import Invalid, NotFound
from ..people import reach, suspensions, users
from . import inbox_live, routes_groups, routes_messages, routes_search, routes_sharing
from . import schemas as s
from .chat_parts import parts
from .endpoints import Call, EndpointSet
from .routes_auth import phone_or_422

api = EndpointSet("chat")


def _person(db: Database, ref: s.PersonRef, me: str) -> dict[str, Any]:
    """The person a reference names; one who keeps ``me`` from finding them by number is nobody."""
    if ref.phone is not None:
        person = users.by_phone(db, phone_or_422(ref.phone).e164)
        if person is not None and not reach.allows(db, person["id"], me, "phone"):
            person = None
    elif ref.handle is not None:
        person = users.by_handle(db, users.check_handle(ref.handle))
    else:
        person = next(iter(db.query("SELECT * FROM users WHERE id = ?", [ref.user_id])), None)
        if person is not None and conversations.only_introduced(db, me, person["id"]):
            person = None
    if person is None:
        raise NotFound("nobody with that number or handle uses Souk yet", code="user_not_found")
    return person


def _by_phone(*refs: s.PersonRef | None) -> int:
    """How many people a request looks up by phone number: what the discovery limit counts."""
    return sum(ref is not None and ref.phone is not None for ref in refs)


@api.route(
    "GET", "/api/v1/conversations", summary="Your conversations, most recent first", response=s.Conversations
)
async def list_conversations(call: Call) -> dict[str, Any]:
    rows = await call.runtime.core.read(lambda db: conversations.listing(db, call.me["id"]))
    return {"conversations": rows}


@api.route(
    "POST",
    "/api/v1/conversations",
    summary="Start a direct chat or a group",
    body=s.NewConversation,
    response=s.Conversation,
    status=201,
    errors=(403, 404, 422, 429),
)
async def create_conversation(call: Call) -> dict[str, Any]:
    body: s.NewConversation = call.body
    runtime, me = call.runtime, call.me
    now = iso(runtime.settings.clock.now())
    runtime.limits.phone_lookups(me["id"], _by_phone(body.with_, *body.members))
    if body.kind == "direct":
        if body.with_ is None:
            raise Invalid("a direct chat needs 'with'", code="invalid_request")
        other = _person(runtime.core.db, body.with_, me["id"])
        row, created = await runtime.core.write(
            lambda db: conversations.open_direct(db, me["id"], other["id"], now)
        )
        ids = [me["id"], other["id"]]
    else:
        if not body.title:
            raise Invalid("a group needs a title", code="invalid_request")
        people = [_person(runtime.core.db, ref, me["id"]) for ref in body.members]
        ids = [me["id"], *dict.fromkeys(p["id"] for p in people if p["id"] != me["id"])]
        reach.require_addable(runtime.core.db, me["id"], {p["id"]: p["display_name"] for p in people})
        business = business_threads.business_for(runtime.core.db, body.business, me["id"])

        def create(db: Database) -> list[conversations.Appended]:
            row = conversations.create_group(db, me["id"], body.title or "", ids[1:], now)
            if business is not None:
                business_threads.attach(db, row["id"], business)
            return [groups.created(db, row["id"], me["id"], now)]

        told = await runtime.messenger.change_all(create)
        row = conversations.require_member(runtime.core.db, told[0].message["conversation_id"], me["id"])
        created = True
    if created:
        runtime.announce_conversation(row["id"], ids)
    return conversations.describe(runtime.core.db, row, me["id"])


@api.route(
    "GET",
    "/api/v1/conversations/{conversation_id}",
    summary="One conversation",
    response=s.Conversation,
    errors=(404,),
)
async def get_conversation(call: Call) -> dict[str, Any]:
    db = call.runtime.core.db
    row = conversations.require_reader(db, call.path["conversation_id"], call.me["id"])
    return conversations.describe(db, row, call.me["id"])


@api.route(
    "POST",
    "/api/v1/conversations/{conversation_id}/members",
    summary="Add people to a group",
    body=s.NewMembers,
    response=s.Conversation,
    errors=(403, 404, 422, 429),
)
async def add_members(call: Call) -> dict[str, Any]:
    runtime, me = call.runtime, call.me
    conversation_id = call.path["conversation_id"]
    groups.require_admin(runtime.core.db, conversation_id, me["id"])
    runtime.limits.phone_lookups(me["id"], _by_phone(*call.body.members))
    people = [_person(runtime.core.db, ref, me["id"]) for ref in call.body.members]
    reach.require_addable(runtime.core.db, me["id"], {p["id"]: p["display_name"] for p in people})
    ids = [p["id"] for p in people]
    now = iso(runtime.settings.clock.now())

    def add(db: Database) -> list[conversations.Appended]:
        told = groups.add(db, conversation_id, me["id"], ids, now)
        return [told] if told else []

    await runtime.messenger.change_all(add)
    runtime.announce_conversation(conversation_id, ids)
    row = conversations.require_member(runtime.core.db, conversation_id, me["id"])
    return conversations.describe(runtime.core.db, row, me["id"])


@api.route(
    "GET",
    "/api/v1/conversations/{conversation_id}/messages",
    summary="Messages, oldest first: the page before 'before', or after 'after'",
    query=s.HistoryQuery,
    response=s.Messages,
    errors=(404, 422),
)
async def history(call: Call) -> dict[str, Any]:
    q: s.HistoryQuery = call.query
    conversation_id, me = call.path["conversation_id"], call.me["id"]

    def read(db: Database) -> list[dict[str, Any]]:
        conversations.require_reader(db, conversation_id, me)
        return conversations.history(db, conversation_id, me, before=q.before, after=q.after, limit=q.limit)

    return {"messages": await call.runtime.core.read(read)}


@api.route(
    "POST",
    "/api/v1/conversations/{conversation_id}/messages",
    summary="Send a message (a line starting with / runs a command)",
    body=s.NewMessage,
    response=s.Message,
    status=201,
    errors=(403, 404, 409, 422, 429),
)
async def send_message(call: Call) -> Any:
    runtime, me = call.runtime, call.me
    suspensions.refuse_if_suspended(runtime.core.db, me["id"])
    conversation = conversations.require_member(runtime.core.db, call.path["conversation_id"], me["id"])
    app_chats.check_not_ended(conversation)
    business_card.check_not_blocked(runtime.core.db, conversation, me["id"])
    groups.check_may_post(runtime.core.db, conversation, me["id"])
    body: s.NewMessage = call.body
    runtime.limits.send(me["id"], conversation["id"], body.text)
    # A command line is its sender's alone, unless its command says it belongs to the conversation.
    command = body.text.startswith("/") and body.media_id is None  # a photo's caption runs nothing
    private = command and not runtime.dispatcher.line_is_public(body.text, me)
    written = offline.written_at(body.written_at, runtime.settings.clock.now())
    appended = await runtime.messenger.post(
        conversation["id"],
        Sender("user", me["id"], me["display_name"]),
        body.text,
        client_id=body.client_id,
        visible_to=me["id"] if private else None,
        reply_to=body.reply_to,
        written_at=written,
        media_id=body.media_id,
    )
    if not appended.replayed and command:
        runtime.spawn(runtime.dispatcher.on_message(me, conversation, body.text))
    if conversation.get("business_id"):
        await inbox_live.customer_wrote(runtime, conversation, appended)
    # A replayed send answers 200 with the message first stored, instead of 201.
    return JSONResponse(appended.message, status_code=200) if appended.replayed else appended.message


@api.route(
    "POST",
    "/api/v1/conversations/{conversation_id}/read",
    summary="Mark messages up to 'seq' as read",
    body=s.ReadMark,
    status=204,
    errors=(404,),
)
async def mark_read(call: Call) -> None:
    conversation_id, me, seq = call.path["conversation_id"], call.me["id"], call.body.seq
    conversations.require_reader(call.runtime.core.db, conversation_id, me)
    await parts(call.runtime).receipts.read(me, conversation_id, seq)


@api.route(
    "POST",
    "/api/v1/actions",
    summary="Press a button or submit a form of a screen",
    body=s.PressRequest,
    response=s.PressResult,
    errors=(403, 404, 409, 422),
)
async def press(call: Call) -> dict[str, Any]:
    body: s.PressRequest = call.body
    outcome = await call.runtime.dispatcher.press(call.me, body.message_id, body.component_id, body.values)
    return {"status": "ok" if outcome.ok else "consent_required" if outcome.consent else "failed"}


@api.route(
    "GET", "/api/v1/commands", summary="Commands available to you in your country", response=s.Commands
)
async def list_commands(call: Call) -> dict[str, Any]:
    available = call.runtime.dispatcher.available(call.me)
    return {
        "commands": [
            {"name": c.name, "help": c.help, "usage": c.usage, "app": a.name, "app_title": a.title}
            for a, c in available
        ]
    }


@api.route(
    "GET", "/api/v1/apps", summary="Mini-apps available to you, with what you granted them", response=s.Apps
)
async def list_apps(call: Call) -> dict[str, Any]:
    runtime, me = call.runtime, call.me
    apps = [a for a in runtime.registry.apps.values() if runtime.availability.live_for(a.name, me)]
    return {
        "apps": [
            {
                "name": a.name,
                "title": a.title,
                "description": a.manifest.description,
                "version": a.manifest.version,
                "scopes": list(a.manifest.scopes),
                "granted": sorted(runtime.consents.granted(me["id"], a.name)),
            }
            for a in sorted(apps, key=lambda a: a.name)
        ]
    }


@api.route(
    "POST",
    "/api/v1/apps/{app}/chat",
    summary="Open your conversation with a mini-app",
    response=s.Conversation,
    errors=(404,),
)
async def open_app_chat(call: Call) -> dict[str, Any]:
    runtime, me = call.runtime, call.me
    app = runtime.registry.apps.get(call.path["app"])
    if app is None or not runtime.availability.live_for(app.name, me):
        raise NotFound("no such mini-app here", code="app_not_found")
    conversation_id = await runtime.open_app_chat(me["id"], app)
    row = conversations.require_member(runtime.core.db, conversation_id, me["id"])
    return conversations.describe(runtime.core.db, row, me["id"])


@api.route("GET", "/api/v1/consents", summary="What you granted to which mini-app", response=s.ConsentList)
async def list_consents(call: Call) -> dict[str, Any]:
    return {"consents": call.runtime.consents.listing(call.me["id"])}


@api.route(
    "DELETE",
    "/api/v1/consents/{app}",
    summary="Take back one scope or all from a mini-app",
    query=s.RevokeQuery,
    response=s.Revoked,
    errors=(404, 422),
)
async def revoke_consent(call: Call) -> dict[str, Any]:
    count = await call.runtime.consents.revoke(call.me["id"], call.path["app"], call.query.scope)
    return {"revoked": count}


# The chat's other parts, each declared in a module of its own and served with these.
for part in (routes_groups, routes_messages, routes_search, routes_sharing):
    api.endpoints.extend(part.api.endpoints)
