"""The shared inbox: the business's staff list its customers' chats, read and answer them as the
business, assign them, and keep notes and labels only the staff see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from ..business import accounts, assignment, inbox, notes, quick_replies, replies, staff
from ..chat.messaging import notice_item
from ..foundation.clock import iso
from . import inbox_schemas as i
from . import schemas as s
from .endpoints import Call, EndpointSet
from .inbox_live import tell_staff

api = EndpointSet("inbox")

INBOX = "/api/v1/businesses/{handle}/inbox"
THREAD = INBOX + "/{conversation_id}"


def _read_staff(call: Call) -> tuple[Database, dict[str, Any]]:
    """The core database and the business the path names, if the caller is on its staff (403)."""
    db = call.runtime.core.db
    business = accounts.by_handle(db, call.path["handle"])
    staff.require_staff(db, business["id"], call.me["id"])
    return db, business


async def _change(call: Call, work: Callable[[Database, dict[str, Any], str, str], dict[str, Any]]) -> dict:
    """Run ``work(db, business, me, now)`` (answering the thread's row); the staff are told; the
    thread as the staff see it is the answer."""
    handle, me, now = call.path["handle"], call.me["id"], iso(call.runtime.settings.clock.now())
    found: list[dict[str, Any]] = []

    def run(db: Database) -> dict[str, Any]:
        business = accounts.by_handle(db, handle)
        found.append(business)
        return work(db, business, me, now)

    thread = await call.runtime.core.write(run)
    tell_staff(call.runtime, found[0]["id"], thread)
    return inbox.staff_view(call.runtime.core.db, thread)


@api.route(
    "GET",
    INBOX,
    summary="The business's customer chats in one state (open, pending, resolved) or all, newest first",
    query=i.InboxQuery,
    response=i.InboxPage,
    errors=(403, 404, 422),
)
async def list_inbox(call: Call) -> dict[str, Any]:
    db, business = _read_staff(call)
    q: i.InboxQuery = call.query
    rows, more = inbox.listing(db, business["id"], q.state, q.before, q.limit)
    return {
        "threads": [inbox.staff_view(db, row) for row in rows],
        "counts": inbox.counts(db, business["id"]),
        "next": more,
    }


@api.route(
    "GET",
    THREAD,
    summary="One customer chat of the inbox, with the staff's private notes",
    response=i.ThreadDetail,
    errors=(403, 404),
)
async def get_thread(call: Call) -> dict[str, Any]:
    db, business = _read_staff(call)
    row = inbox.thread_row(db, business["id"], call.path["conversation_id"])
    return inbox.staff_view(db, row) | {"notes": notes.notes_of(db, row["conversation_id"])}


@api.route(
    "GET",
    THREAD + "/messages",
    summary="A customer chat's messages, oldest first, with the agent who wrote each of the business's",
    query=s.HistoryQuery,
    response=i.StaffMessages,
    errors=(403, 404, 422),
)
async def thread_messages(call: Call) -> dict[str, Any]:
    db, business = _read_staff(call)
    row = inbox.thread_row(db, business["id"], call.path["conversation_id"])
    q: s.HistoryQuery = call.query
    found = inbox.messages(db, row["conversation_id"], before=q.before, after=q.after, limit=q.limit)
    return {"messages": found}


@api.route(
    "POST",
    THREAD + "/messages",
    summary="Answer the customer as the business (the thread then waits for the customer)",
    body=i.Reply,
    response=i.ReplyDone,
    status=201,
    errors=(403, 404, 409, 422),
)
async def reply(call: Call) -> dict[str, Any]:
    runtime, me, body = call.runtime, call.me["id"], call.body
    business = accounts.by_handle(runtime.core.db, call.path["handle"])
    conversation_id, moment = call.path["conversation_id"], runtime.settings.clock.now()
    threads: list[dict[str, Any]] = []

    def work(db: Database) -> Any:
        appended, thread = replies.reply(db, business, me, conversation_id, body.text, moment, body.client_id)
        threads.append(thread)
        return appended

    appended = await runtime.messenger.change(work)
    assert appended is not None
    tell_staff(runtime, business["id"], threads[0], [appended.message])
    db = runtime.core.db
    return {"message": inbox.with_agent(db, appended.message), "thread": inbox.staff_view(db, threads[0])}


@api.route(
    "PUT",
    THREAD + "/state",
    summary="Mark a customer chat open, pending or resolved",
    body=i.StateChange,
    response=i.Thread,
    errors=(403, 404, 422),
)
async def set_state(call: Call) -> dict[str, Any]:
    cid, state = call.path["conversation_id"], call.body.state
    thread = await _change(call, lambda db, b, me, now: inbox.set_state(db, b["id"], me, cid, state, now))
    if state == "resolved":  # the customer may rate it now (their client asks)
        call.runtime.hub.publish(
            [thread["customer"]["user_id"]], notice_item("rating", {"conversation_id": cid})
        )
    return thread


@api.route(
    "PUT",
    THREAD + "/assignee",
    summary="Assign a customer chat to someone on the staff (your own id: take it), or null to unassign",
    body=i.AssigneeChange,
    response=i.Thread,
    errors=(403, 404, 422),
)
async def set_assignee(call: Call) -> dict[str, Any]:
    cid, who = call.path["conversation_id"], call.body.user_id
    return await _change(call, lambda db, b, me, now: assignment.assign(db, b["id"], me, cid, who, now))


@api.route(
    "PUT",
    THREAD + "/labels",
    summary="Set a customer chat's labels (seen by the staff only)",
    body=i.Labels,
    response=i.Thread,
    errors=(403, 404, 422),
)
async def set_labels(call: Call) -> dict[str, Any]:
    cid, labels = call.path["conversation_id"], call.body.labels
    return await _change(call, lambda db, b, me, now: notes.set_labels(db, b["id"], me, cid, labels, now))


@api.route(
    "POST",
    THREAD + "/notes",
    summary="Add a private note to a customer chat: the staff see it, the customer never does",
    body=i.NewNote,
    response=i.Note,
    status=201,
    errors=(403, 404, 422),
)
async def add_note(call: Call) -> dict[str, Any]:
    runtime, me, cid, text = call.runtime, call.me["id"], call.path["conversation_id"], call.body.text
    business = accounts.by_handle(runtime.core.db, call.path["handle"])
    now = iso(runtime.settings.clock.now())
    note = await runtime.core.write(lambda db: notes.add_note(db, business["id"], me, cid, text, now))
    tell_staff(runtime, business["id"], inbox.thread_row(runtime.core.db, business["id"], cid), note=note)
    return note


@api.route(
    "GET",
    THREAD + "/quick-replies",
    summary="The business's quick replies with this chat's variables filled in ({order.number} stays)",
    response=i.FilledQuickReplies,
    errors=(403, 404),
)
async def filled_quick_replies(call: Call) -> dict[str, Any]:
    db, business = _read_staff(call)
    view = inbox.staff_view(db, inbox.thread_row(db, business["id"], call.path["conversation_id"]))
    values = quick_replies.variables(business, view["customer"]["first_name"])
    found = quick_replies.listing(db, business["id"])
    return {"quick_replies": [row | {"filled": quick_replies.fill(row["text"], values)} for row in found]}
