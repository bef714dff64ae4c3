"""What a customer allows a business: the kinds of message they subscribed to, and blocks.

Only the customer changes these, through their own calls (a business never subscribes anyone):
from the chat with the business, its profile, or a mini-app's confirmation screen that offers
"send me updates about this order".  A subscription lasts until the customer revokes it; a
block refuses every message from the business and ends its subscriptions.  The reply window
(``reply_window.py``) reads both.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlite_utils import Database

from ..chat import business_card
from ..foundation.errors import Conflict, Invalid
from ..storage.store import select

KINDS: dict[str, tuple[str, str]] = {
    "order_updates": ("Order updates", "An order's confirmation, dispatch, delivery or problems"),
    "appointment_reminders": ("Appointment reminders", "A booked appointment coming up, moved or cancelled"),
    "booking_updates": ("Booking updates", "A trip, a rental or a ticket: changes, gates, check-in"),
    "account_alerts": ("Account alerts", "Payments, balances and security notices of an account held there"),
}
"""The kinds of message a customer may subscribe to, with their labels: a fixed list, so a
business cannot invent one (``docs/business.md`` lists them)."""

Source = Literal["chat", "profile", "confirmation", "settings"]
SOURCES: tuple[str, ...] = ("chat", "profile", "confirmation", "settings")
"""Where the customer subscribed: the chat with the business, its profile, a mini-app's
confirmation screen, or their settings."""


def require_kind(kind: str) -> str:
    """``kind`` if it is one of :data:`KINDS`; 422 ``invalid_message_kind`` otherwise."""
    if kind not in KINDS:
        raise Invalid(
            f"a kind of message is one of {', '.join(KINDS)}",
            code="invalid_message_kind",
            details={"kind": kind},
        )
    return kind


def kinds() -> list[dict[str, str]]:
    return [{"kind": kind, "label": label, "description": about} for kind, (label, about) in KINDS.items()]


def is_blocked(db: Database, user_id: str, business_id: str) -> bool:
    return business_card.blocked(db, business_id, user_id)


def has_subscription(db: Database, user_id: str, business_id: str, kind: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM business_subscriptions WHERE user_id = ? AND business_id = ? AND kind = ?",
        [user_id, business_id, kind],
    ).fetchone()
    return row is not None


def subscribed_kinds(db: Database, user_id: str, business_id: str) -> list[str]:
    """The kinds the user subscribed to with the business, in the order of :data:`KINDS`."""
    rows = db.execute(
        "SELECT kind FROM business_subscriptions WHERE user_id = ? AND business_id = ?",
        [user_id, business_id],
    ).fetchall()
    held = {row[0] for row in rows}
    return [kind for kind in KINDS if kind in held]


def subscribe(db: Database, user_id: str, business_id: str, kind: str, source: str, now: str) -> bool:
    """The user subscribes to ``kind`` from the business; False if they had already.

    A blocked business takes no subscription (409 ``business_blocked``): unblock it first.
    """
    require_kind(kind)
    if source not in SOURCES:
        raise Invalid(f"a source is one of {', '.join(SOURCES)}", code="invalid_request")
    if is_blocked(db, user_id, business_id):
        raise Conflict("you blocked this business: unblock it to subscribe", code="business_blocked")
    added = db.execute(
        "INSERT INTO business_subscriptions (user_id, business_id, kind, source, subscribed_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [user_id, business_id, kind, source, now],
    )
    return added.rowcount == 1


def revoke(db: Database, user_id: str, business_id: str, kind: str) -> bool:
    """The user ends a subscription; False if they had none of this kind (nothing to do)."""
    require_kind(kind)
    gone = db.execute(
        "DELETE FROM business_subscriptions WHERE user_id = ? AND business_id = ? AND kind = ?",
        [user_id, business_id, kind],
    )
    return gone.rowcount == 1


def block(db: Database, user_id: str, business_id: str, now: str) -> bool:
    """The user blocks the business, which ends their subscriptions with it; False if it was blocked."""
    db.execute(
        "DELETE FROM business_subscriptions WHERE user_id = ? AND business_id = ?", [user_id, business_id]
    )
    added = db.execute(
        "INSERT INTO business_blocks (user_id, business_id, blocked_at) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        [user_id, business_id, now],
    )
    return added.rowcount == 1


def unblock(db: Database, user_id: str, business_id: str) -> bool:
    gone = db.execute(
        "DELETE FROM business_blocks WHERE user_id = ? AND business_id = ?", [user_id, business_id]
    )
    return gone.rowcount == 1


def with_business(db: Database, user_id: str, business_id: str) -> dict[str, Any]:
    """The user's choices for one business: ``{"subscriptions": [...kinds], "blocked": bool}``."""
    return {
        "subscriptions": subscribed_kinds(db, user_id, business_id),
        "blocked": is_blocked(db, user_id, business_id),
    }


def listing(db: Database, user_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every subscription the user holds and every business they blocked, newest first."""
    subscriptions = select(
        db,
        "SELECT b.handle, b.name, s.kind, s.source, s.subscribed_at FROM business_subscriptions s "
        "JOIN businesses b ON b.id = s.business_id WHERE s.user_id = ? "
        "ORDER BY s.subscribed_at DESC, b.handle, s.kind",
        [user_id],
    )
    for row in subscriptions:
        row["label"] = KINDS.get(row["kind"], (row["kind"], ""))[0]
    blocked = select(
        db,
        "SELECT b.handle, b.name, k.blocked_at FROM business_blocks k "
        "JOIN businesses b ON b.id = k.business_id WHERE k.user_id = ? ORDER BY k.blocked_at DESC, b.handle",
        [user_id],
    )
    return {"subscriptions": subscriptions, "blocked": blocked}
