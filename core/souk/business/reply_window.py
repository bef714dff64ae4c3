"""When a business may write to a customer: the rule that keeps business messages from being spam.

A business may write to a customer

- freely within :data:`WINDOW` (24 hours) of the customer's last message in their chat with
  the business (the chat ``links.open_chat`` keeps, found by its key), and
- at any time with a message of a kind the customer subscribed to (``subscriptions.KINDS``),

and never at all once the customer blocked it.  Every path by which a business posts (an
agent in the inbox, an automated rule, a mini-app) asks :func:`refusal` first, in the same
write transaction as the post, and refuses with the code it answers (:func:`require_allowed`
raises it as a 403, or a 422 for a kind not in the list).  "The customer's last message" is
the newest message the customer sent in that chat, by the server's clock
(``messages.created_at``; never the client's ``written_at``): one seek of the
``messages_by_sender`` index.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from ..foundation.errors import Forbidden, Invalid
from . import links, subscriptions

WINDOW = dt.timedelta(hours=24)

REASONS: dict[str, str] = {
    "blocked_by_customer": "the customer blocked this business",
    "outside_reply_window": "the customer last wrote more than 24 hours ago (or never): "
    "only a message of a kind they subscribed to may be sent",
    "not_subscribed": "the customer last wrote more than 24 hours ago (or never) and did not "
    "subscribe to this kind of message",
    "invalid_message_kind": f"a kind of message is one of {', '.join(subscriptions.KINDS)}",
}
"""Each refusal code with what it tells the sender (stable codes, documented in docs/business.md)."""


LAST_MESSAGE = (
    "SELECT MAX(created_at) FROM messages WHERE conversation_id = "
    "(SELECT id FROM conversations WHERE unique_key = ?) AND sender_kind = 'user' AND sender_id = ?"
)
"""When the customer (twice: the chat's key, their id) last wrote in their chat with a business."""

LAST_IN_THREAD = "SELECT MAX(created_at) FROM messages WHERE conversation_id = ? AND sender_kind = 'user'"
"""When someone of a group thread with a business (the customer, a courier) last wrote in it."""


def last_customer_message(
    db: Database, business_id: str, customer_id: str, conversation_id: str | None = None
) -> dt.datetime | None:
    """When the customer last wrote to the business; None if they never did.

    In their own chat with it by default; in a group thread with it (``conversation_id``), the
    last message of any of its people, who are all the business's customers there."""
    if conversation_id is None:
        row = db.execute(LAST_MESSAGE, [links.chat_key(business_id, customer_id), customer_id]).fetchone()
    else:
        row = db.execute(LAST_IN_THREAD, [conversation_id]).fetchone()
    return dt.datetime.fromisoformat(row[0]) if row and row[0] else None


def inside_window(
    db: Database, business_id: str, customer_id: str, now: dt.datetime, conversation_id: str | None = None
) -> bool:
    """Whether ``now`` is less than 24 hours after the customer's last message to the business."""
    last = last_customer_message(db, business_id, customer_id, conversation_id)
    return last is not None and now - last < WINDOW


def refusal(
    db: Database,
    business_id: str,
    customer_id: str,
    kind: str | None,
    now: dt.datetime,
    conversation_id: str | None = None,
) -> str | None:
    """None when the business may send this message to the customer now, else the refusal's code.

    ``kind`` None is a free-form message: allowed inside the reply window only
    (``outside_reply_window``).  A kind (one of ``subscriptions.KINDS``, else
    ``invalid_message_kind``) is allowed inside the window too, and outside it if the customer
    holds a subscription of that kind with the business (``not_subscribed``).  A block refuses
    everything (``blocked_by_customer``).  ``now`` must know its time zone.  ``conversation_id``
    names a group thread with the business, whose window any of its people opens
    (:func:`last_customer_message`); the customer is then the one who started it.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if kind is not None and kind not in subscriptions.KINDS:
        return "invalid_message_kind"
    if subscriptions.is_blocked(db, customer_id, business_id):
        return "blocked_by_customer"
    if inside_window(db, business_id, customer_id, now, conversation_id):
        return None
    if kind is None:
        return "outside_reply_window"
    return None if subscriptions.has_subscription(db, customer_id, business_id, kind) else "not_subscribed"


def require_allowed(
    db: Database,
    business_id: str,
    customer_id: str,
    kind: str | None,
    now: dt.datetime,
    conversation_id: str | None = None,
) -> None:
    """:func:`refusal` as an error: 403 with its code and reason when the message is refused."""
    code = refusal(db, business_id, customer_id, kind, now, conversation_id)
    # Each code spelled out where it is raised: the documented-codes check reads them here.
    if code == "blocked_by_customer":
        raise Forbidden(REASONS[code], code="blocked_by_customer")
    if code == "outside_reply_window":
        raise Forbidden(REASONS[code], code="outside_reply_window")
    if code == "not_subscribed":
        raise Forbidden(REASONS[code], code="not_subscribed")
    if code == "invalid_message_kind":
        raise Invalid(REASONS[code], code="invalid_message_kind")
