"""Users: one per phone number, with a public display name and handle."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Conflict, Invalid, NotFound
from ..foundation.ids import new_id
from .phones import Phone

LOCALES = {
    "IN": "en-IN",
    "BR": "pt-BR",
    "FR": "fr-FR",
    "US": "en-US",
    "GB": "en-GB",
    "DE": "de-DE",
    "ES": "es-ES",
    "MX": "es-MX",
    "NG": "en-NG",
    "KE": "en-KE",
}

HANDLE = re.compile(r"^[a-z][a-z0-9_]{2,23}$")


def default_locale(country: str) -> str:
    return LOCALES.get(country, "en")


def handle_from_name(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9_]+", "_", ascii_name.lower()).strip("_")
    if not base or not base[0].isalpha():
        base = "user" + base
    return base[:18].ljust(3, "x")


def clean_display_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 60:
        raise Invalid("a display name has 1 to 60 characters", code="invalid_name")
    return name


def public(user: dict[str, Any]) -> dict[str, Any]:
    """What other users may see of a user: never the phone number."""
    return {"id": user["id"], "display_name": user["display_name"], "handle": user["handle"]}


def by_id(db: Database, user_id: str) -> dict[str, Any]:
    rows = list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))
    if not rows:
        raise NotFound("no such user", code="user_not_found")
    return rows[0]


def by_phone(db: Database, phone: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM users WHERE phone = ?", [phone]))
    return rows[0] if rows else None


def by_handle(db: Database, handle: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM users WHERE handle = ?", [handle.lower().lstrip("@")]))
    return rows[0] if rows else None


def create(
    db: Database,
    phone: Phone,
    display_name: str,
    now: str,
    handle: str | None = None,
    is_operator: bool = False,
) -> dict[str, Any]:
    """Insert a user (run in a write transaction); the handle gets a number if taken."""
    name = clean_display_name(display_name)
    base = handle or handle_from_name(name)
    if not HANDLE.match(base):
        raise Invalid("a handle has 3-24 lower-case letters, digits or _", code="invalid_handle")
    candidate, n = base, 1
    while by_handle(db, candidate):
        n += 1
        candidate = f"{base[:20]}{n}"
    row = {
        "id": new_id("u"),
        "phone": phone.e164,
        "country": phone.country,
        "display_name": name,
        "handle": candidate,
        "locale": default_locale(phone.country),
        "is_operator": int(is_operator),
        "created_at": now,
    }
    db["users"].insert(row)
    return row


def update_profile(db: Database, user_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if changes.get("display_name") is not None:
        values["display_name"] = clean_display_name(changes["display_name"])
    if changes.get("handle") is not None:
        handle = changes["handle"].lower().lstrip("@")
        if not HANDLE.match(handle):
            raise Invalid("a handle has 3-24 lower-case letters, digits or _", code="invalid_handle")
        other = by_handle(db, handle)
        if other and other["id"] != user_id:
            raise Conflict("this handle is taken", code="handle_taken")
        values["handle"] = handle
    if changes.get("locale") is not None:
        values["locale"] = changes["locale"]
    if values:
        db["users"].update(user_id, values)
    return by_id(db, user_id)
