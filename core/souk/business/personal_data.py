"""What the business tables hold about a person: their places on staffs, and what they allow
businesses (subscriptions, blocks), exported and erased.

Erasing a business's owner hands it to its longest-serving admin; a business left without
any admin is deleted with its staff and its customers' subscriptions and blocks (nobody could
manage it again), which the receipt counts.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..storage.store import select
from . import subscriptions

CONTROLS = ("business_subscriptions", "business_blocks")


def export_staffing(db: Database, user_id: str) -> list[dict[str, Any]]:
    return select(
        db,
        "SELECT b.handle, b.name, s.role, s.added_at FROM business_staff s "
        "JOIN businesses b ON b.id = s.business_id WHERE s.user_id = ? ORDER BY s.added_at",
        [user_id],
    )


def export_controls(db: Database, user_id: str) -> dict[str, list[dict[str, Any]]]:
    """The kinds of message the person subscribed to, from which business, and whom they blocked."""
    return subscriptions.listing(db, user_id)


def _hand_over(db: Database, business_id: str) -> bool:
    """Make the longest-serving admin the owner; False when the business has none."""
    heirs = select(
        db,
        "SELECT user_id FROM business_staff WHERE business_id = ? AND role = 'admin' "
        "ORDER BY added_at, rowid LIMIT 1",
        [business_id],
    )
    if not heirs:
        return False
    heir = heirs[0]["user_id"]
    db.execute(
        "UPDATE business_staff SET role = 'owner' WHERE business_id = ? AND user_id = ?", [business_id, heir]
    )
    db.execute("UPDATE businesses SET owner_id = ? WHERE id = ?", [heir, business_id])
    return True


def erase_staffing(db: Database, user_id: str, replacement: str) -> dict[str, dict[str, int]]:
    """Take the person off every staff and drop their subscriptions and blocks (before their
    ``users`` row goes); counts by table."""
    deleted: dict[str, int] = {"business_staff": 0, "businesses": 0}
    for table in CONTROLS:
        deleted[table] = db.execute(f"DELETE FROM {table} WHERE user_id = ?", [user_id]).rowcount
    owned = select(db, "SELECT id FROM businesses WHERE owner_id = ?", [user_id])
    for business in owned:
        if not _hand_over(db, business["id"]):
            for table in CONTROLS:
                closed = db.execute(f"DELETE FROM {table} WHERE business_id = ?", [business["id"]])
                deleted[table] += closed.rowcount
            gone = db.execute("DELETE FROM business_staff WHERE business_id = ?", [business["id"]])
            deleted["business_staff"] += gone.rowcount
            for table, count in _close_inbox(db, business["id"]).items():
                deleted[table] = deleted.get(table, 0) + count
            db.execute("UPDATE conversations SET business_id = NULL WHERE business_id = ?", [business["id"]])
            deleted["businesses"] += db.execute(
                "DELETE FROM businesses WHERE id = ?", [business["id"]]
            ).rowcount
    deleted["business_staff"] += db.execute(
        "DELETE FROM business_staff WHERE user_id = ?", [user_id]
    ).rowcount
    added = db.execute("UPDATE business_staff SET added_by = ? WHERE added_by = ?", [replacement, user_id])
    # A logo among the person's uploads is gone with them (media released before this runs).
    db.execute(
        "UPDATE businesses SET logo = NULL WHERE logo IS NOT NULL AND logo NOT IN (SELECT id FROM media)"
    )
    return {
        "deleted": {table: count for table, count in deleted.items() if count},
        "pseudonymised": {"business_staff": added.rowcount} if added.rowcount else {},
    }


_THREAD_PARTS = ("inbox_notes", "inbox_replies", "inbox_threads")


def _close_inbox(db: Database, business_id: str) -> dict[str, int]:
    """A closed business's inbox goes with it: its threads, notes, settings, quick replies, rules."""
    threads = "SELECT conversation_id FROM inbox_threads WHERE business_id = ?"
    counts = {
        table: db.execute(f"DELETE FROM {table} WHERE conversation_id IN ({threads})", [business_id]).rowcount
        for table in _THREAD_PARTS
    }
    for table in ("inbox_settings", "quick_replies", "keyword_rules", "inbox_service", "inbox_ratings"):
        counts[table] = db.execute(f"DELETE FROM {table} WHERE business_id = ?", [business_id]).rowcount
    return {table: count for table, count in counts.items() if count}


def erase_inbox(db: Database, user_id: str, replacement: str) -> dict[str, dict[str, int]]:
    """A person's part of the inboxes, before their chats go (the chat part deletes those).

    As a customer: their threads and ratings, with the notes the staff kept about them.  As
    staff: their assignments end; the notes, replies and service figures stay under ``replacement``.
    """
    threads = "SELECT conversation_id FROM inbox_threads WHERE customer_id = ?"
    deleted = {
        table: db.execute(f"DELETE FROM {table} WHERE conversation_id IN ({threads})", [user_id]).rowcount
        for table in ("inbox_ratings", *_THREAD_PARTS)
    }
    pseudonymised = {
        "inbox_threads": db.execute(
            "UPDATE inbox_threads SET assignee_id = NULL, assigned_at = NULL WHERE assignee_id = ?", [user_id]
        ).rowcount,
        "inbox_notes": db.execute(
            "UPDATE inbox_notes SET author_id = ? WHERE author_id = ?", [replacement, user_id]
        ).rowcount,
        "inbox_replies": db.execute(
            "UPDATE inbox_replies SET agent_id = ? WHERE agent_id = ?", [replacement, user_id]
        ).rowcount,
        "inbox_service": db.execute(
            "UPDATE inbox_service SET agent_id = ? WHERE agent_id = ?", [replacement, user_id]
        ).rowcount,
        "inbox_ratings": db.execute(
            "UPDATE inbox_ratings SET agent_id = ? WHERE agent_id = ?", [replacement, user_id]
        ).rowcount,
        "keyword_rules": db.execute(
            "UPDATE keyword_rules SET assign_to = NULL WHERE assign_to = ?", [user_id]
        ).rowcount,
    }
    return {
        "deleted": {table: count for table, count in deleted.items() if count},
        "pseudonymised": {table: count for table, count in pseudonymised.items() if count},
    }
