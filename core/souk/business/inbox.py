"""The shared inbox: each customer's chat with a business is a thread its staff serve together.

A thread is ``open`` while the customer waits for the business (a customer's message opens it,
a resolved one too), ``pending`` once the business answered and waits for the customer, and
``resolved`` when the staff close it.  What the staff see here (the assignee, labels, notes,
which agent wrote what) never reaches the customer: their chat shows the business alone.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Literal

from sqlite_utils import Database

from ..chat.conversations import serialize_rows
from ..foundation.errors import Invalid, NotFound
from ..storage.store import select
from . import service_levels, staff

State = Literal["open", "pending", "resolved"]
STATES = ("open", "pending", "resolved")
PAGE = 50


def thread_row(db: Database, business_id: str, conversation_id: str) -> dict[str, Any]:
    """The thread of ``conversation_id`` in this business's inbox; 404 ``thread_not_found``."""
    rows = select(
        db,
        "SELECT * FROM inbox_threads WHERE conversation_id = ? AND business_id = ?",
        [conversation_id, business_id],
    )
    if not rows:
        raise NotFound("no such conversation in this business's inbox", code="thread_not_found")
    return rows[0]


def ensure(db: Database, conversation: dict[str, Any], now: str) -> tuple[dict[str, Any], bool]:
    """The thread of a customer's chat with a business, made on its first message; (row, created)."""
    rows = select(db, "SELECT * FROM inbox_threads WHERE conversation_id = ?", [conversation["id"]])
    if rows:
        return rows[0], False
    row = {
        "conversation_id": conversation["id"],
        "business_id": conversation["business_id"],
        "customer_id": conversation["created_by"],
        "state": "open",
        "assignee_id": None,
        "assigned_at": None,
        "labels": "[]",
        "away_period": None,
        "created_at": now,
        "updated_at": now,
    }
    db["inbox_threads"].insert(row)
    return select(db, "SELECT * FROM inbox_threads WHERE conversation_id = ?", [conversation["id"]])[0], True


def update(db: Database, conversation_id: str, now: str, **values: Any) -> dict[str, Any]:
    assignments = ", ".join(f"{column} = :{column}" for column in values)
    db.execute(
        f"UPDATE inbox_threads SET {assignments}, updated_at = :now WHERE conversation_id = :cid",
        {**values, "now": now, "cid": conversation_id},
    )
    return select(db, "SELECT * FROM inbox_threads WHERE conversation_id = ?", [conversation_id])[0]


def check_state(value: str) -> State:
    if value not in STATES:
        raise Invalid(f"state: one of {', '.join(STATES)}", code="invalid_state")
    return value  # type: ignore[return-value]


def set_state(db: Database, business_id: str, by: str, conversation_id: str, state: str, now: str) -> dict:
    """A staff member marks a thread open, pending or resolved."""
    staff.require_staff(db, business_id, by)
    before = thread_row(db, business_id, conversation_id)
    wanted = check_state(state)
    if wanted == "resolved" and before["state"] != "resolved":
        service_levels.resolved(db, before, by, now)
    elif wanted != "resolved":
        service_levels.contact_started(db, before, now)
    return update(db, conversation_id, now, state=wanted)


def _cursor(row: dict[str, Any]) -> str:
    """Where a page ended, safe in an address as it is."""
    return base64.urlsafe_b64encode(f"{row['updated_at']}|{row['conversation_id']}".encode()).decode()


def _after_cursor(cursor: str) -> tuple[str, str]:
    try:
        moment, _, conversation_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
    except (ValueError, UnicodeDecodeError):
        raise Invalid("before: the 'next' of the page before", code="invalid_cursor") from None
    return moment, conversation_id


def listing(
    db: Database, business_id: str, state: str, before: str | None, limit: int = PAGE
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of threads, most recently changed first; ``state`` one of :data:`STATES` or ``all``.

    ``before`` is the ``next`` cursor of the previous page.  Answers (rows, next cursor or None).
    """
    where, params = ["business_id = ?"], [business_id]
    if state != "all":
        where.append("state = ?")
        params.append(check_state(state))
    if before:
        moment, conversation_id = _after_cursor(before)
        where.append("(updated_at < ? OR (updated_at = ? AND conversation_id < ?))")
        params += [moment, moment, conversation_id]
    rows = select(
        db,
        f"SELECT * FROM inbox_threads WHERE {' AND '.join(where)} "
        "ORDER BY updated_at DESC, conversation_id DESC LIMIT ?",
        [*params, limit + 1],
    )
    more = len(rows) > limit
    return rows[:limit], (_cursor(rows[limit - 1]) if more else None)


def counts(db: Database, business_id: str) -> dict[str, int]:
    found = {state: 0 for state in STATES}
    for row in select(
        db,
        "SELECT state, COUNT(*) AS n FROM inbox_threads WHERE business_id = ? GROUP BY state",
        [business_id],
    ):
        found[row["state"]] = row["n"]
    return found | {"all": sum(found.values())}


def _person(db: Database, user_id: str | None) -> dict[str, Any] | None:
    if user_id is None:
        return None
    rows = select(db, "SELECT id, display_name FROM users WHERE id = ?", [user_id])
    return {"user_id": rows[0]["id"], "display_name": rows[0]["display_name"]} if rows else None


def first_name(display_name: str) -> str:
    parts = display_name.split()
    return parts[0] if parts else ""


def staff_view(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    """A thread as its business's staff see it (never shown to the customer)."""
    customer = _person(db, row["customer_id"]) or {"user_id": row["customer_id"], "display_name": ""}
    last = select(
        db,
        "SELECT seq, text, sender_kind, created_at FROM messages WHERE conversation_id = ? "
        "AND visible_to IS NULL ORDER BY seq DESC LIMIT 1",
        [row["conversation_id"]],
    )
    last_seq = db.execute("SELECT last_seq FROM conversations WHERE id = ?", [row["conversation_id"]])
    return {
        "conversation_id": row["conversation_id"],
        "state": row["state"],
        "customer": customer | {"first_name": first_name(customer["display_name"])},
        "assignee": _person(db, row["assignee_id"]),
        "labels": json.loads(row["labels"]),
        "last_message": (
            {
                "seq": last[0]["seq"],
                "text": last[0]["text"],
                "from_customer": last[0]["sender_kind"] == "user",
                "created_at": last[0]["created_at"],
            }
            if last
            else None
        ),
        "last_seq": last_seq.fetchone()[0],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def messages(
    db: Database, conversation_id: str, *, before: int | None, after: int | None, limit: int
) -> list[dict[str, Any]]:
    """The chat's messages the customer and the business share (never a customer's private
    command lines), oldest first, each business message with the agent who wrote it."""
    if after is not None:
        rows = select(
            db,
            "SELECT * FROM messages WHERE conversation_id = ? AND visible_to IS NULL AND changed_seq > ? "
            "ORDER BY changed_seq LIMIT ?",
            [conversation_id, after, limit],
        )
    else:
        rows = select(
            db,
            "SELECT * FROM messages WHERE conversation_id = ? AND visible_to IS NULL AND seq < ? "
            "ORDER BY seq DESC LIMIT ?",
            [conversation_id, before if before is not None else 2**62, limit],
        )[::-1]
    return [with_agent(db, message) for message in serialize_rows(db, rows)]


def with_agent(db: Database, message: dict[str, Any]) -> dict[str, Any]:
    """A message as the staff see it: which agent wrote it, when the business sent it."""
    rows = select(db, "SELECT agent_id FROM inbox_replies WHERE message_id = ?", [message["id"]])
    return message | {"agent": _person(db, rows[0]["agent_id"]) if rows else None}
