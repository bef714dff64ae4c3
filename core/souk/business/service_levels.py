"""Service levels: how long customers wait for a first answer and for their question to be
resolved, per agent and per day, and how satisfied they say they were.

A **contact** runs from a customer's message to a thread with none open to the thread's
resolution.  Its first response is the business's first agent reply in it (automated answers
do not count); its resolution time runs from its start to being resolved.  Each is kept as a
fact when it happens, with the agent (the replier; the assignee, else who resolved it), so the
figures are sums over facts, never recomputed from messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from ..storage.store import select

MAX_DAYS = 90


def _seconds(start: str, end: str) -> int:
    return max(0, int((dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)).total_seconds()))


def _fact(db: Database, thread: dict[str, Any], agent: str | None, kind: str, now: str) -> None:
    db.execute(
        "INSERT INTO inbox_service (business_id, conversation_id, agent_id, kind, seconds, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            thread["business_id"],
            thread["conversation_id"],
            agent,
            kind,
            _seconds(thread["opened_at"], now),
            now,
        ],
    )


def contact_started(db: Database, thread: dict[str, Any], now: str) -> None:
    """A customer's message (or a staff member reopening it): a contact starts unless one runs."""
    if thread["opened_at"] is None:
        db.execute(
            "UPDATE inbox_threads SET opened_at = ?, responded = 0 WHERE conversation_id = ?",
            [now, thread["conversation_id"]],
        )


def answered(db: Database, thread: dict[str, Any], agent: str, now: str) -> None:
    """An agent replied: the contact's first response, if it is the first."""
    if thread["opened_at"] is not None and not thread["responded"]:
        _fact(db, thread, agent, "first_response", now)
        db.execute(
            "UPDATE inbox_threads SET responded = 1 WHERE conversation_id = ?", [thread["conversation_id"]]
        )


def resolved(db: Database, thread: dict[str, Any], by: str, now: str) -> None:
    """The thread was resolved: the contact ends, ready to be rated by the customer."""
    if thread["opened_at"] is None:
        return
    agent = thread["assignee_id"] or by
    _fact(db, thread, agent, "resolution", now)
    db.execute(
        "UPDATE inbox_threads SET resolved_contact = opened_at, resolved_by = ?, opened_at = NULL "
        "WHERE conversation_id = ?",
        [agent, thread["conversation_id"]],
    )


def _blank() -> dict[str, Any]:
    return {
        "first_responses": 0,
        "first_response_seconds": None,
        "resolved": 0,
        "resolution_seconds": None,
        "ratings": 0,
        "csat": None,
        "_fr": 0,
        "_res": 0,
        "_happy": 0,
    }


def _add(entry: dict[str, Any], kind: str, seconds: int | None = None, stars: int | None = None) -> None:
    if kind == "first_response":
        entry["first_responses"] += 1
        entry["_fr"] += seconds
    elif kind == "resolution":
        entry["resolved"] += 1
        entry["_res"] += seconds
    else:
        entry["ratings"] += 1
        entry["_happy"] += stars >= 4


def _finish(entry: dict[str, Any]) -> dict[str, Any]:
    if entry["first_responses"]:
        entry["first_response_seconds"] = round(entry["_fr"] / entry["first_responses"])
    if entry["resolved"]:
        entry["resolution_seconds"] = round(entry["_res"] / entry["resolved"])
    if entry["ratings"]:
        entry["csat"] = round(100 * entry["_happy"] / entry["ratings"], 1)
    return {key: value for key, value in entry.items() if not key.startswith("_")}


def report(db: Database, business: dict[str, Any], moment: dt.datetime, days: int) -> dict[str, Any]:
    """The last ``days`` days (on the business's clock, today included): per day, per agent, overall.

    Averages are in seconds; ``csat`` is the share of ratings of 4 or 5 stars, in percent.
    """
    zone = ZoneInfo(business["time_zone"])
    today = moment.astimezone(zone).date()
    first = today - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first, dt.time(), zone).astimezone(dt.UTC).isoformat()
    by_day = {(first + dt.timedelta(days=n)).isoformat(): _blank() for n in range(days)}
    by_agent: dict[str | None, dict[str, Any]] = {}
    total = _blank()
    facts = select(
        db,
        "SELECT agent_id, kind, seconds, NULL AS stars, at FROM inbox_service "
        "WHERE business_id = ? AND at >= ? "
        "UNION ALL SELECT agent_id, 'rating', NULL, stars, created_at FROM inbox_ratings "
        "WHERE business_id = ? AND created_at >= ?",
        [business["id"], since, business["id"], since],
    )
    for fact in facts:
        day = dt.datetime.fromisoformat(fact["at"]).astimezone(zone).date().isoformat()
        for entry in (by_day.get(day), by_agent.setdefault(fact["agent_id"], _blank()), total):
            if entry is not None:
                _add(entry, fact["kind"], fact["seconds"], fact["stars"])
    known = [agent for agent in by_agent if agent is not None]
    marks = ", ".join("?" * len(known))
    names = {
        row["id"]: row["display_name"]
        for row in (
            select(db, f"SELECT id, display_name FROM users WHERE id IN ({marks})", known) if known else []
        )
    }
    return {
        "days": [{"day": day} | _finish(entry) for day, entry in by_day.items()],
        "agents": [
            {"user_id": agent, "display_name": names.get(agent or "", "")} | _finish(entry)
            for agent, entry in by_agent.items()
            if agent in names
        ],
        "total": _finish(total),
    }
