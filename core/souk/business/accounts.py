"""Business accounts: created by a person (their owner), found by handle, edited by admins.

Every function takes a :class:`sqlite_utils.Database`; the writing ones run in the store's
writer, one transaction each, which is what makes a handle's check and its claim one step.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Conflict, Invalid, NotFound
from ..foundation.ids import new_id
from ..people import users
from ..storage.store import select
from . import staff
from .hours import is_open
from .profile import checked_fields

LINK = "/b/{handle}"
MAX_OWNED = 20
"""Businesses one person may own: enough for a family of shops, not for squatting on handles."""


def by_id(db: Database, business_id: str) -> dict[str, Any]:
    rows = select(db, "SELECT * FROM businesses WHERE id = ?", [business_id])
    if not rows:
        raise NotFound("no such business", code="business_not_found")
    return rows[0]


def by_handle(db: Database, handle: str) -> dict[str, Any]:
    """The business a typed handle names (``@Loja`` as ``loja``); 404 ``business_not_found``."""
    wanted = users.normalise_handle(handle)
    rows = select(db, "SELECT * FROM businesses WHERE handle = ?", [wanted]) if wanted else []
    if not rows or not users.HANDLE.fullmatch(wanted):
        raise NotFound("no business has this handle", code="business_not_found")
    return rows[0]


def listing(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    """Every business, with its staff count, by handle (for operators: the CLI and the console)."""
    return select(
        db,
        "SELECT b.*, (SELECT COUNT(*) FROM business_staff s WHERE s.business_id = b.id) AS staff "
        "FROM businesses b ORDER BY b.handle LIMIT ?",
        [limit],
    )


def _claim_handle(db: Database, text: str, business_id: str | None = None) -> str:
    handle = users.check_handle(text)
    held = select(db, "SELECT id FROM businesses WHERE handle = ?", [handle])
    if (held and held[0]["id"] != business_id) or users.by_handle(db, handle) is not None:
        raise Conflict("this handle is taken", code="handle_taken")
    return handle


def create(db: Database, owner: dict[str, Any], fields: dict[str, Any], now: str) -> dict[str, Any]:
    """A new business owned by ``owner`` (its first admin), in their country and time zone unless given."""
    owned = db.execute(
        "SELECT COUNT(*) FROM business_staff WHERE user_id = ? AND role = 'owner'", [owner["id"]]
    )
    if owned.fetchone()[0] >= MAX_OWNED:
        raise Conflict(f"one person owns at most {MAX_OWNED} businesses", code="too_many_businesses")
    checked = checked_fields(fields)
    if "name" not in checked or "category" not in checked:
        raise Invalid("a business needs a name and a category", code="invalid_request")
    row = {
        "id": new_id("b"),
        "handle": _claim_handle(db, fields.get("handle") or ""),
        "description": "",
        "address": "",
        "website": None,
        "country": owner["country"],
        "time_zone": owner.get("time_zone") or "UTC",
        "hours": {},
        **checked,
        "logo": None,
        "verified": 0,
        "owner_id": owner["id"],
        "created_at": now,
        "updated_at": now,
    }
    db["businesses"].insert({**row, "hours": json.dumps(row["hours"], separators=(",", ":"))})
    db.execute(
        "INSERT INTO business_staff (business_id, user_id, role, added_by, added_at) "
        "VALUES (?, ?, 'owner', ?, ?)",
        [row["id"], owner["id"], owner["id"], now],
    )
    return by_id(db, row["id"])


def update(db: Database, business_id: str, by: str, changes: dict[str, Any], now: str) -> dict[str, Any]:
    """Change profile fields (an admin's doing); ``logo`` an upload of theirs, ``""`` to remove it."""
    staff.require_admin(db, business_id, by)
    values = checked_fields(changes)
    if "hours" in values:
        values["hours"] = json.dumps(values["hours"], separators=(",", ":"))
    if changes.get("handle") is not None:
        values["handle"] = _claim_handle(db, changes["handle"], business_id)
    if changes.get("logo") is not None:
        values["logo"] = _check_logo(db, by, changes["logo"]) if changes["logo"] else None
    if values:
        db["businesses"].update(business_id, {**values, "updated_at": now})
    return by_id(db, business_id)


def _check_logo(db: Database, by: str, media_id: str) -> str:
    """A picture the admin uploaded for a profile, as a person's photo is (422 ``invalid_logo``)."""
    try:
        return users.check_photo(db, by, media_id)
    except Invalid:
        raise Invalid(
            "logo: upload a picture with POST /api/v1/media?purpose=profile first, then name its id",
            code="invalid_logo",
        ) from None


def set_verified(db: Database, business_id: str, verified: bool, now: str) -> bool:
    """Mark a business verified or not (operators only, see souk/operators); False if it was already."""
    return bool(
        db.execute(
            "UPDATE businesses SET verified = ?, updated_at = ? WHERE id = ? AND verified != ?",
            [int(verified), now, business_id, int(verified)],
        ).rowcount
    )


def public(row: dict[str, Any], moment: dt.datetime, viewer_role: str | None = None) -> dict[str, Any]:
    """What anyone may see of a business: its profile, never who works there."""
    hours = json.loads(row["hours"])
    return {
        "id": row["id"],
        "handle": row["handle"],
        "name": row["name"],
        "description": row["description"],
        "category": row["category"],
        "address": row["address"],
        "website": row["website"],
        "country": row["country"],
        "time_zone": row["time_zone"],
        "hours": hours,
        "open_now": is_open(hours, row["time_zone"], moment),
        "logo": users.PHOTO_URL.format(id=row["logo"]) if row["logo"] else None,
        "verified": bool(row["verified"]),
        "link": LINK.format(handle=row["handle"]),
        "your_role": viewer_role,
    }
