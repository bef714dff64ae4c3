"""A business as a customer sees it in their chat with it (souk/business keeps those tables)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Forbidden
from ..storage.store import select
from . import media


def business_card(db: Database, business_id: str, viewer: str) -> dict[str, Any] | None:
    """Its id, name, handle, logo and verified mark, never its staff, and whether ``viewer`` blocked it.

    A customer's chat with a business is stored as kind ``app`` with ``business_id``."""
    found = select(db, "SELECT id, handle, name, logo, verified FROM businesses WHERE id = ?", [business_id])
    if not found:
        return None
    logo = found[0]["logo"]
    return found[0] | {
        "verified": bool(found[0]["verified"]),
        "logo": logo and media.URL.format(id=logo),
        "blocked": blocked(db, business_id, viewer),
    }


def blocked(db: Database, business_id: str, customer: str) -> bool:
    found = db.execute(
        "SELECT 1 FROM business_blocks WHERE user_id = ? AND business_id = ?", [customer, business_id]
    ).fetchone()
    return found is not None


def refuse_if_blocked(db: Database, business_id: str, customer: str) -> None:
    """403 ``business_blocked`` for a customer writing to a business they blocked: a block
    stops the chat both ways, as it does between people."""
    if blocked(db, business_id, customer):
        raise Forbidden("you blocked this business: unblock it to write to it", code="business_blocked")


def check_not_blocked(db: Database, conversation: dict[str, Any], sender: str) -> None:
    """:func:`refuse_if_blocked` for a message to a conversation with a business."""
    if conversation.get("business_id"):
        refuse_if_blocked(db, conversation["business_id"], sender)
