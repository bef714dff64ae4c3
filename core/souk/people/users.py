"""Users: one per phone number, with a public display name and handle."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any
from zoneinfo import available_timezones

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

HANDLE_PATTERN = "[a-z][a-z0-9_]{2,23}"
HANDLE = re.compile(HANDLE_PATTERN)
"""A handle as it is stored and shown (always used as a full match).

ASCII only: a reader cannot tell a Cyrillic a (U+0430) from a Latin one, nor see a
zero-width space, so no handle may contain them.
"""

TIME_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}")
HANDLE_RULE = "a handle has 3 to 24 of a-z, 0-9 and _, starting with a letter"


def default_locale(country: str) -> str:
    return LOCALES.get(country, "en")


def normalise_handle(text: str) -> str:
    """The stored form of a typed handle: NFKC, case-folded, without a leading ``@``.

    ``Asha``, ``@ASHA`` and ``asha`` in full-width letters all become ``asha``: they name
    one person and nobody else can take them.  Whatever is still outside ASCII
    afterwards (a look-alike letter of another script, an invisible character)
    is refused by :func:`check_handle` and found by no lookup.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return folded.removeprefix("@")


def check_handle(text: str) -> str:
    """The normalised handle, or ``422 invalid_handle``."""
    handle = normalise_handle(text)
    if not HANDLE.fullmatch(handle):
        raise Invalid(HANDLE_RULE, code="invalid_handle")
    return handle


def check_time_zone(name: str) -> str:
    """An IANA time zone name the server knows (``Asia/Kolkata``), or 422."""
    if not TIME_ZONE.fullmatch(name) or name not in _time_zones():
        raise Invalid(
            f"{name[:40]!r} is not a time zone: use one like Asia/Kolkata", code="invalid_time_zone"
        )
    return name


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


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
    """What other users may see of a user: never the phone number; their photo, which everyone
    who sees them is shown."""
    return {
        "id": user["id"],
        "display_name": user["display_name"],
        "handle": user["handle"],
        "photo": photo_url(user),
    }


def by_id(db: Database, user_id: str) -> dict[str, Any]:
    rows = list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))
    if not rows:
        raise NotFound("no such user", code="user_not_found")
    return rows[0]


def by_phone(db: Database, phone: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM users WHERE phone = ?", [phone]))
    return rows[0] if rows else None


def by_handle(db: Database, handle: str) -> dict[str, Any] | None:
    """The user a typed handle names (normalised as when it was chosen), or ``None``."""
    wanted = normalise_handle(handle)
    if not HANDLE.fullmatch(wanted):
        return None
    rows = list(db.query("SELECT * FROM users WHERE handle = ?", [wanted]))
    return rows[0] if rows else None


def handle_taken(db: Database, handle: str, by_user: str | None = None) -> bool:
    """Whether someone other than ``by_user``, or a business, holds ``handle`` (normalised).

    People and businesses share one namespace (``@lojadabruna`` names one of them); the
    ``businesses`` table is kept by souk/business, read here as the media table is.
    """
    user = by_handle(db, handle)
    if user is not None and user["id"] != by_user:
        return True
    wanted = normalise_handle(handle)
    return db.execute("SELECT 1 FROM businesses WHERE handle = ?", [wanted]).fetchone() is not None


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
    base = check_handle(handle or handle_from_name(name))
    candidate, n = base, 1
    while handle_taken(db, candidate):
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
        "time_zone": phone.time_zone,
    }
    db["users"].insert(row)
    return row


PHOTO_URL = "/api/v1/media/{id}"


def check_photo(db: Database, user_id: str, media_id: str) -> str:
    """A picture the person uploaded for their profile (``purpose=profile``), or 422 invalid_photo.

    Read from the media store's table, which the chat part keeps (chat/media.py).
    """
    row = db.execute(
        "SELECT 1 FROM media WHERE id = ? AND owner_kind = 'user' AND owner_id = ? AND purpose = 'profile' "
        "AND kind = 'image'",
        [media_id, user_id],
    ).fetchone()
    if row is None:
        raise Invalid(
            "photo: upload a picture with POST /api/v1/media?purpose=profile first, then name its id",
            code="invalid_photo",
        )
    return media_id


def photo_url(user: dict[str, Any]) -> str | None:
    return PHOTO_URL.format(id=user["photo"]) if user.get("photo") else None


def update_profile(db: Database, user_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if changes.get("display_name") is not None:
        values["display_name"] = clean_display_name(changes["display_name"])
    if changes.get("handle") is not None:
        handle = check_handle(changes["handle"])
        if handle_taken(db, handle, by_user=user_id):
            raise Conflict("this handle is taken", code="handle_taken")
        values["handle"] = handle
    if changes.get("locale") is not None:
        values["locale"] = changes["locale"]
    if changes.get("time_zone") is not None:
        values["time_zone"] = check_time_zone(changes["time_zone"])
    if changes.get("photo") is not None:
        values["photo"] = check_photo(db, user_id, changes["photo"]) if changes["photo"] else None
    if values:
        db["users"].update(user_id, values)
    return by_id(db, user_id)
