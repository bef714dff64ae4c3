"""Group threads with a business: a customer, the business and others (a courier, a friend).

The customer starts a group and names the business; its staff then serve the group from their
inbox as they serve a customer's own chat with it, without becoming its members: the business's
answers reach everyone in the group, and its staff stay out of the member list.  The customer
is the one who started the group (the thread's customer: who rates it, whose block counts), and
any of its people's messages opens the 24-hour reply window (souk/business/reply_window.py).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..chat import business_card
from . import accounts


def business_for(db: Database, handle: str | None, customer_id: str) -> dict[str, Any] | None:
    """The business a new group names (404 ``business_not_found``), unless the customer blocked it."""
    if handle is None:
        return None
    business = accounts.by_handle(db, handle)
    business_card.refuse_if_blocked(db, business["id"], customer_id)
    return business


def attach(db: Database, conversation_id: str, business: dict[str, Any]) -> None:
    db.execute("UPDATE conversations SET business_id = ? WHERE id = ?", [business["id"], conversation_id])
