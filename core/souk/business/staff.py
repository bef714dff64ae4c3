"""Who works for a business: its owner, and the staff the admins add, each with a role.

``owner``: who created it, an admin who can never be removed or demoted, so a business
always has one.  ``admin``: edits the profile and manages the staff.  ``agent``: serves the
business's customers.  Staff are never shown to customers: the business speaks as itself.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlite_utils import Database

from ..foundation.errors import Conflict, Forbidden, NotFound
from ..storage.store import select

Role = Literal["owner", "admin", "agent"]
ADMINS = ("owner", "admin")
MAX_STAFF = 200


def role_of(db: Database, business_id: str, user_id: str) -> str | None:
    rows = select(
        db, "SELECT role FROM business_staff WHERE business_id = ? AND user_id = ?", [business_id, user_id]
    )
    return rows[0]["role"] if rows else None


def require_staff(db: Database, business_id: str, user_id: str) -> str:
    """The role of ``user_id`` in the business; 403 ``staff_only`` for anyone else."""
    role = role_of(db, business_id, user_id)
    if role is None:
        raise Forbidden("only the business's staff can do this", code="staff_only")
    return role


def require_admin(db: Database, business_id: str, user_id: str) -> str:
    """The role of ``user_id`` if they are an admin (or the owner); 403 ``business_admins_only``."""
    role = require_staff(db, business_id, user_id)
    if role not in ADMINS:
        raise Forbidden("only the business's admins can do this", code="business_admins_only")
    return role


def listing(db: Database, business_id: str) -> list[dict[str, Any]]:
    """The staff, owner first, then in the order they were added (for the staff's eyes only)."""
    return select(
        db,
        "SELECT u.id AS user_id, u.display_name, u.handle, s.role, s.added_at FROM business_staff s "
        "JOIN users u ON u.id = s.user_id WHERE s.business_id = ? "
        "ORDER BY s.role != 'owner', s.added_at, s.rowid",
        [business_id],
    )


def businesses_of(db: Database, user_id: str) -> list[dict[str, Any]]:
    """The businesses a person works for, in any role (``your_role``), by name."""
    return select(
        db,
        "SELECT b.*, s.role AS your_role FROM businesses b JOIN business_staff s ON s.business_id = b.id "
        "WHERE s.user_id = ? ORDER BY b.name, b.id",
        [user_id],
    )


def ids(db: Database, business_id: str) -> list[str]:
    return [row["user_id"] for row in listing(db, business_id)]


def put(db: Database, business_id: str, by: str, user_id: str, role: str, now: str) -> bool:
    """Add ``user_id`` with ``role`` (``admin`` or ``agent``), or change their role; an admin's doing.

    False when they had that role already.  The owner's role is not theirs to change (409).
    """
    require_admin(db, business_id, by)
    current = role_of(db, business_id, user_id)
    if current == "owner":
        raise Conflict("the owner stays the owner", code="owner_role_fixed")
    if current == role:
        return False
    if current is None:
        count = db.execute("SELECT COUNT(*) FROM business_staff WHERE business_id = ?", [business_id])
        if count.fetchone()[0] >= MAX_STAFF:
            raise Conflict(f"a business has at most {MAX_STAFF} staff", code="too_many_staff")
    db.execute(
        "INSERT INTO business_staff (business_id, user_id, role, added_by, added_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (business_id, user_id) DO UPDATE SET role = excluded.role",
        [business_id, user_id, role, by, now],
    )
    return True


def remove(db: Database, business_id: str, by: str, user_id: str) -> None:
    """An admin removes someone from the staff (never the owner); anyone may leave by removing themselves."""
    if by != user_id:
        require_admin(db, business_id, by)
    role = role_of(db, business_id, user_id)
    if role is None:
        raise NotFound("nobody by that id is on this business's staff", code="staff_not_found")
    if role == "owner":
        raise Conflict("the owner cannot be removed", code="owner_role_fixed")
    db.execute("DELETE FROM business_staff WHERE business_id = ? AND user_id = ?", [business_id, user_id])
