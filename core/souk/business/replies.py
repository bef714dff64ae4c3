"""The business's side of a customer's chat: every message the business sends goes through here.

The message is stored in the customer's chat with the business as its sender (kind ``app``, the
business's id, its name; with the agent's first name after it only if the business chose so).
Which agent wrote it is kept apart, in ``inbox_replies``, for the staff's eyes.  A thread the
business answered waits for the customer (``pending``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlite_utils import Database

from ..chat.conversations import Appended, Sender, append
from ..foundation.clock import iso
from ..foundation.errors import Invalid
from ..storage.store import select
from . import inbox, inbox_settings, reply_window, service_levels, staff

SEPARATOR = " · "


def sender_for(db: Database, business: dict[str, Any], agent_id: str | None) -> Sender:
    """Who the customer sees: the business, and its agent's first name if the business opted in."""
    name = business["name"]
    if agent_id is not None and inbox_settings.of(db, business["id"])["show_agent_name"]:
        rows = select(db, "SELECT display_name FROM users WHERE id = ?", [agent_id])
        first = inbox.first_name(rows[0]["display_name"]) if rows else ""
        name = f"{name}{SEPARATOR}{first}" if first else name
    return Sender("app", business["id"], name)


def send_as_business(
    db: Database,
    business: dict[str, Any],
    thread: dict[str, Any],
    text: str,
    now: dt.datetime,
    *,
    agent_id: str | None = None,
    kind: str | None = None,
    client_id: str | None = None,
) -> Appended:
    """Store a message of the business in the customer's chat (an agent's, or automated with no agent).

    Refused (403) when the customer's controls refuse it: a block, outside the 24-hour reply
    window, or a kind they hold no subscription for (:mod:`souk.business.reply_window`).
    """
    # The thread's own messages open its window: the customer's chat, or a group thread's people.
    reply_window.require_allowed(
        db, business["id"], thread["customer_id"], kind, now, thread["conversation_id"]
    )
    if not text.strip():
        raise Invalid("a reply needs some text", code="empty_message")
    appended = append(
        db, thread["conversation_id"], sender_for(db, business, agent_id), text, iso(now), client_id=client_id
    )
    if not appended.replayed:
        db.execute(
            "INSERT INTO inbox_replies (message_id, conversation_id, agent_id) VALUES (?, ?, ?)",
            [appended.message["id"], thread["conversation_id"], agent_id],
        )
    return appended


def reply(
    db: Database,
    business: dict[str, Any],
    agent_id: str,
    conversation_id: str,
    text: str,
    now: dt.datetime,
    client_id: str | None = None,
) -> tuple[Appended, dict[str, Any]]:
    """An agent answers a customer as the business; the thread then waits for the customer.

    An unassigned thread becomes the replying agent's.  Answers (the message, the thread).
    """
    staff.require_staff(db, business["id"], agent_id)
    thread = inbox.thread_row(db, business["id"], conversation_id)
    appended = send_as_business(db, business, thread, text, now, agent_id=agent_id, client_id=client_id)
    if appended.replayed:
        return appended, thread
    service_levels.answered(db, thread, agent_id, iso(now))
    taken = {"assignee_id": agent_id, "assigned_at": iso(now)} if thread["assignee_id"] is None else {}
    return appended, inbox.update(db, conversation_id, iso(now), state="pending", **taken)
