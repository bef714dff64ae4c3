"""Who serves a thread: assigned by hand (a staff member takes it or gives it to an agent), or
automatically, round-robin, to the agents who are online.

Automatic assignment gives a new thread to the online agent with the fewest unresolved threads,
the one assigned longest ago first among equals, and never to one who holds ``agent_cap`` of
them already: so the agents who can take threads stay within one of each other, and a thread
nobody can take waits unassigned in the inbox.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Invalid
from ..storage.store import select
from . import inbox, staff


def loads(db: Database, business_id: str) -> dict[str, int]:
    """How many unresolved threads each staff member holds."""
    rows = select(
        db,
        "SELECT assignee_id, COUNT(*) AS n FROM inbox_threads WHERE business_id = ? "
        "AND assignee_id IS NOT NULL AND state != 'resolved' GROUP BY assignee_id",
        [business_id],
    )
    return {row["assignee_id"]: row["n"] for row in rows}


def agents(db: Database, business_id: str) -> list[str]:
    return [row["user_id"] for row in staff.listing(db, business_id) if row["role"] == "agent"]


def pick(db: Database, business_id: str, online: Iterable[str], cap: int) -> str | None:
    """The agent a new thread goes to, or None when every online agent is at the cap."""
    held = loads(db, business_id)
    eligible = [
        agent for agent in agents(db, business_id) if agent in set(online) and held.get(agent, 0) < cap
    ]
    if not eligible:
        return None
    last = {
        row["assignee_id"]: row["at"]
        for row in select(
            db,
            "SELECT assignee_id, MAX(assigned_at) AS at FROM inbox_threads WHERE business_id = ? "
            "AND assignee_id IS NOT NULL GROUP BY assignee_id",
            [business_id],
        )
    }
    return min(eligible, key=lambda agent: (held.get(agent, 0), last.get(agent) or "", agent))


def auto_assign(
    db: Database, thread: dict[str, Any], online: Callable[[str], bool], cap: int, now: str
) -> dict[str, Any]:
    """Give a new thread to the next online agent (:func:`pick`); unchanged if nobody can take it."""
    business_id = thread["business_id"]
    present = [agent for agent in agents(db, business_id) if online(agent)]
    chosen = pick(db, business_id, present, cap)
    if chosen is None:
        return thread
    return inbox.update(db, thread["conversation_id"], now, assignee_id=chosen, assigned_at=now)


def assign(
    db: Database, business_id: str, by: str, conversation_id: str, assignee: str | None, now: str
) -> dict[str, Any]:
    """A staff member assigns a thread to one of the staff (themselves: they take it), or unassigns it.

    By hand, the cap does not apply: it limits what is handed out automatically.
    """
    staff.require_staff(db, business_id, by)
    inbox.thread_row(db, business_id, conversation_id)
    if assignee is not None and staff.role_of(db, business_id, assignee) is None:
        raise Invalid("assign the thread to someone on the business's staff", code="not_staff")
    return inbox.update(
        db, conversation_id, now, assignee_id=assignee, assigned_at=now if assignee is not None else None
    )
