"""Businesses as mini-apps see them: found by handle or id, staff by the mini-app's ids.

Shared by a handler's context (``ctx.business``, ``ctx.businesses``), the demo's
(``demo.business``) and the adoption of what mini-apps kept before businesses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from souk_sdk import BusinessInfo
from sqlite_utils import Database

from ..business import accounts, staff
from ..foundation.errors import CoreError
from ..people import users
from ..storage.store import select


def lookup(db: Database, handle_or_id: str) -> dict[str, Any] | None:
    """The business of its id (``b_...``) or of a typed handle (``@Loja``), or ``None``.

    An id is tried first, then a handle: ``b_shop`` is a handle someone may have too.
    """
    if handle_or_id.startswith("b_"):
        rows = select(db, "SELECT * FROM businesses WHERE id = ?", [handle_or_id])
        if rows:
            return rows[0]
    try:
        return accounts.by_handle(db, handle_or_id)
    except CoreError:
        return None


def as_seen(row: dict[str, Any], people: dict[str, Any]) -> BusinessInfo:
    """The :class:`BusinessInfo` of a row, with ``people`` already by the mini-app's ids."""
    return BusinessInfo(
        id=row["id"],
        handle=row["handle"],
        name=row["name"],
        country=row["country"],
        verified=bool(row["verified"]),
        logo=users.PHOTO_URL.format(id=row["logo"]) if row["logo"] else None,
        staff=people,
    )


async def seen_by(db: Database, row: dict[str, Any], expose: Callable[[str], Awaitable[str]]) -> BusinessInfo:
    people = {await expose(p["user_id"]): p["role"] for p in staff.listing(db, row["id"])}
    return as_seen(row, people)


def seen_by_sync(db: Database, row: dict[str, Any], expose: Callable[[str], str]) -> BusinessInfo:
    return as_seen(row, {expose(p["user_id"]): p["role"] for p in staff.listing(db, row["id"])})
