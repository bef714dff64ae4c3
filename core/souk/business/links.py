"""Click-to-chat: a business's link (``/b/<handle>?text=...``), its QR code, and the chat it opens.

Like ``wa.me``, the link names the business, never a person: whoever opens it chats with the
business by its name and logo.  The customer's chat with a business is found by its key, so
the link opens the same chat every time; the business's staff serve it from the inbox (not
yet built: until then its messages are kept for them).
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote, urlencode

import segno
from sqlite_utils import Database

from ..chat import conversations

MAX_TEXT = 1000
"""The longest text a link may prefill (a QR code of more would be too dense to scan)."""


def path(handle: str, text: str | None = None) -> str:
    """The link's path: ``/b/lojadabruna?text=Ol%C3%A1``."""
    return f"/b/{quote(handle)}" + (f"?{urlencode({'text': text}, quote_via=quote)}" if text else "")


def client_address(handle: str, text: str | None) -> str:
    """Where the link takes a browser: the web client, at the business (the text in the fragment,
    which browsers never send to a server)."""
    return f"/#/b/{quote(handle, safe='')}" + (
        f"?{urlencode({'text': text[:MAX_TEXT]}, quote_via=quote)}" if text else ""
    )


def qr_png(url: str) -> bytes:
    """A QR code of ``url`` as a PNG (error correction M, a quiet zone of 4 modules)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def chat_key(business_id: str, user_id: str) -> str:
    """The key that finds a customer's chat with a business (``conversations.unique_key``)."""
    return f"business:{business_id}:{user_id}"


def open_chat(db: Database, business: dict[str, Any], user_id: str, now: str) -> tuple[dict[str, Any], bool]:
    """The user's chat with the business, created on first use; returns (row, created)."""
    key = chat_key(business["id"], user_id)
    row, created = conversations.open_own_chat(db, user_id, key, business["name"], None, now)
    if created:
        db.execute("UPDATE conversations SET business_id = ? WHERE id = ?", [business["id"], row["id"]])
        row = {**row, "business_id": business["id"]}
    return row, created
