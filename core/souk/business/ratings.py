"""Satisfaction ratings: once the business resolved their question, the customer may rate it,
1 to 5 stars and a comment, once per resolved contact.  The rating counts for the agent who
served the contact (its assignee when resolved), which the customer is never told."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Conflict, Invalid, NotFound
from ..storage.store import select

MAX_COMMENT = 500


def _thread(db: Database, conversation_id: str, customer_id: str) -> dict[str, Any]:
    rows = select(
        db,
        "SELECT * FROM inbox_threads WHERE conversation_id = ? AND customer_id = ?",
        [conversation_id, customer_id],
    )
    if not rows:
        raise NotFound("this is no chat of yours with a business", code="thread_not_found")
    return rows[0]


def _given(db: Database, thread: dict[str, Any]) -> dict[str, Any] | None:
    rows = select(
        db,
        "SELECT stars, comment, created_at FROM inbox_ratings WHERE conversation_id = ? AND contact = ?",
        [thread["conversation_id"], thread["resolved_contact"]],
    )
    return rows[0] if rows else None


def state(db: Database, conversation_id: str, customer_id: str) -> dict[str, Any]:
    """Whether the customer may rate now, and the rating they gave the last resolved contact."""
    thread = _thread(db, conversation_id, customer_id)
    resolved = thread["state"] == "resolved" and thread["resolved_contact"] is not None
    given = _given(db, thread) if thread["resolved_contact"] else None
    return {"can_rate": resolved and given is None, "rating": given}


def rate(
    db: Database, conversation_id: str, customer_id: str, stars: int, comment: str, now: str
) -> dict[str, Any]:
    """Keep the customer's rating of the contact just resolved (409 ``not_resolved``, ``already_rated``)."""
    thread = _thread(db, conversation_id, customer_id)
    if thread["state"] != "resolved" or thread["resolved_contact"] is None:
        raise Conflict("a conversation is rated once the business resolved it", code="not_resolved")
    if _given(db, thread) is not None:
        raise Conflict("you rated this conversation already", code="already_rated")
    comment = comment.strip()
    if not 1 <= stars <= 5 or len(comment) > MAX_COMMENT:
        raise Invalid(f"1 to 5 stars and at most {MAX_COMMENT} characters of comment", code="invalid_rating")
    db["inbox_ratings"].insert(
        {
            "conversation_id": conversation_id,
            "contact": thread["resolved_contact"],
            "business_id": thread["business_id"],
            "agent_id": thread["resolved_by"],
            "stars": stars,
            "comment": comment,
            "created_at": now,
        }
    )
    return state(db, conversation_id, customer_id)
