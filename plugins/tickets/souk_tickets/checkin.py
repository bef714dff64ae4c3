"""At the door: a ticket's code checked by the organiser or their door staff, accepted once.

The code is verified exactly as a door scanner does offline (:func:`codes.verify`
with the public key), then against what the server knows: whether the
checker runs this event's door, whether the ticket was returned or its event
cancelled, and whether it was used already (one insert into ``checkins``:
the second says when and by whom).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlite_utils import Database

from . import codes, organising, signing, times

Outcome = Literal[
    "accepted", "already_used", "invalid", "other_event", "not_door_staff", "returned", "cancelled", "unknown"
]


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    message: str
    ticket: str | None = None
    event: str | None = None
    seat: str | None = None
    used_at: str | None = None
    used_by: str | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome == "accepted"


def checker_name(db: Database, event: dict[str, Any], user: str) -> str:
    if event["organiser"] == user:
        return f"the organiser ({event['organiser_name']})"
    row = db.execute(
        "SELECT name FROM staff WHERE event = ? AND user_id = ?", [event["ref"], user]
    ).fetchone()
    if row:
        return str(row[0])
    return f"staff of {event['organiser_name']}" if event["business_id"] else "someone"


def claimed_event(db: Database, code: str) -> str | None:
    """The event a genuine code is for (``None`` for any other), before checking it in."""
    try:
        return codes.verify(code, signing.public_key(db)).event
    except codes.BadCode:
        return None


def check_in(
    db: Database,
    code: str,
    checker: str,
    now: dt.datetime,
    at_event: str | None = None,
    business_door: str | None = None,
) -> Verdict:
    """Admit the ticket ``code`` names, once; ``at_event`` is the door being kept (the API names it;
    in chat, the ticket's own event, if the checker runs its door).  ``business_door`` is the event
    whose door the checker keeps as its business's staff (asked of the business just before)."""
    try:
        claim = codes.verify(code, signing.public_key(db))
    except codes.BadCode as exc:
        return Verdict("invalid", f"Refused: {exc.reason}.")
    found = {"ticket": claim.ticket, "event": claim.event, "seat": claim.seat}
    event = next(iter(db.query("SELECT * FROM events WHERE ref = ?", [claim.event])), None)
    if event is None:
        return Verdict("unknown", "Refused: this ticket's event is not known here.", **found)
    if at_event is not None and at_event.upper() != claim.event:
        door = next(iter(db.query("SELECT title FROM events WHERE ref = ?", [at_event.upper()])), None)
        here = door["title"] if door else at_event
        return Verdict("other_event", f"Refused: this ticket is for {event['title']}, not {here}.", **found)
    if claim.event != business_door and not organising.runs_door(db, claim.event, checker):
        return Verdict(
            "other_event" if _keeps_a_door(db, checker) else "not_door_staff",
            f"Refused: this ticket is for {event['title']}, whose door you do not keep.",
            **found,
        )
    ticket = next(iter(db.query("SELECT * FROM tickets WHERE ref = ?", [claim.ticket])), None)
    if ticket is None or ticket["code"] != code.strip():
        return Verdict("unknown", "Refused: no such ticket was issued.", **found)
    if ticket["status"] != "valid":
        if ticket["refund_reason"] == "cancelled":
            return Verdict(
                "cancelled", f"Refused: {event['title']} was cancelled; this ticket was refunded.", **found
            )
        day = times.on_clock(dt.datetime.fromisoformat(ticket["returned_at"]), event["time_zone"])
        return Verdict("returned", f"Refused: this ticket was returned on {day} and refunded.", **found)
    name = checker_name(db, event, checker)
    admitted = db.execute(
        "INSERT INTO checkins (ticket, event, at, by_id, by_name) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        [ticket["ref"], event["ref"], now.isoformat(), checker, name],
    ).rowcount
    if not admitted:
        at, by = db.execute("SELECT at, by_name FROM checkins WHERE ticket = ?", [ticket["ref"]]).fetchone()
        when = times.on_clock(dt.datetime.fromisoformat(at), event["time_zone"])
        return Verdict(
            "already_used",
            f"Refused: ticket {ticket['ref']} was already used, at {when} ({event['city']} time), "
            f"checked in by {by}.",
            **found,
            used_at=at,
            used_by=by,
        )
    place = f"seat {claim.seat}" if claim.seat else "general admission"
    return Verdict(
        "accepted",
        f"Welcome! Ticket {ticket['ref']}, {place}, {event['title']}.",
        **found,
        used_at=now.isoformat(),
        used_by=name,
    )


def _keeps_a_door(db: Database, user: str) -> bool:
    found = db.execute(
        "SELECT 1 FROM events WHERE organiser = ? UNION ALL SELECT 1 FROM staff WHERE user_id = ? LIMIT 1",
        [user, user],
    ).fetchone()
    return found is not None


def verify_only(db: Database, code: str) -> dict[str, Any]:
    """What the server reads in a code, without admitting anyone: the same check a scanner makes
    offline, and the ticket's state here."""
    try:
        claim = codes.verify(code, signing.public_key(db))
    except codes.BadCode as exc:
        return {
            "valid": False,
            "reason": exc.reason,
            "event": None,
            "ticket": None,
            "seat": None,
            "state": None,
        }
    ticket = db.execute("SELECT status, code FROM tickets WHERE ref = ?", [claim.ticket]).fetchone()
    used = db.execute("SELECT 1 FROM checkins WHERE ticket = ?", [claim.ticket]).fetchone()
    state = "unknown" if ticket is None or ticket[1] != code.strip() else "used" if used else ticket[0]
    return {
        "valid": True,
        "reason": None,
        "event": claim.event,
        "ticket": claim.ticket,
        "seat": claim.seat,
        "state": state,
    }
