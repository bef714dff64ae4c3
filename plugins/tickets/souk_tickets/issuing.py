"""Tickets: issued for a paid booking, one per seat (or place), each with its signed code."""

from __future__ import annotations

import datetime as dt
from typing import Any

from souk_sdk import NotFound
from sqlite_utils import Database

from . import codes, signing
from .holding import booking
from .refs import new_ref


def qr_path(ref: str) -> str:
    """Where the ticket's QR code is served (to its holder and the event's door)."""
    return f"/api/v1/apps/tickets/tickets/{ref}/qr"


def issue(db: Database, booking_ref: str, now: dt.datetime) -> list[dict[str, Any]]:
    """The tickets of a booking just sold, signed with the server's key."""
    row = booking(db, booking_ref)
    if row["quantity"]:
        general, price = db.execute(
            "SELECT c.code, c.price FROM events e JOIN categories c "
            "ON c.event = e.ref AND c.code = e.general_category "
            "WHERE e.ref = ?",
            [row["event"]],
        ).fetchone()
        places: list[tuple[str | None, str, int]] = [(None, general, price)] * row["quantity"]
    else:
        places = [
            (r["seat"], r["category"], r["price"])
            for r in db.query(
                "SELECT seat, category, price FROM booking_seats WHERE booking = ? ORDER BY rowid",
                [booking_ref],
            )
        ]
    key = signing.private_key(db)
    issued = []
    for seat, category, price in places:
        ref = new_ref(db, "T")
        ticket = {
            "ref": ref,
            "event": row["event"],
            "booking": booking_ref,
            "holder": row["buyer"],
            "seat": seat,
            "category": category,
            "price": price,
            "code": codes.sign(codes.TicketClaim(row["event"], ref, seat), key),
            "status": "valid",
            "issued_at": now.isoformat(),
        }
        db["tickets"].insert(ticket)
        issued.append(ticket)
    return issued


def ticket(db: Database, ref: str) -> dict[str, Any]:
    row = next(iter(db.query("SELECT * FROM tickets WHERE ref = ?", [ref.strip().upper()])), None)
    if row is None:
        raise NotFound(f"there is no ticket {ref}")
    return row


def of_booking(db: Database, booking_ref: str) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM tickets WHERE booking = ? ORDER BY rowid", [booking_ref]))


def of_holder(db: Database, holder: str) -> list[dict[str, Any]]:
    """The holder's tickets, soonest event first: valid ones, then the ones given back."""
    return list(
        db.query(
            "SELECT t.* FROM tickets t JOIN events e ON e.ref = t.event WHERE t.holder = ? "
            "ORDER BY t.status != 'valid', e.starts_at, t.rowid",
            [holder],
        )
    )


def returnable(ticket_row: dict[str, Any], event: dict[str, Any], now: dt.datetime) -> str | None:
    """Why the ticket cannot be returned now, or None when it can."""
    if ticket_row["status"] != "valid":
        return f"ticket {ticket_row['ref']} was already given back"
    if event["status"] == "cancelled":
        return f"{event['title']} was cancelled: every ticket is refunded"
    cutoff = dt.datetime.fromisoformat(event["starts_at"]) - dt.timedelta(hours=event["return_cutoff_hours"])
    if now >= cutoff:
        hours = event["return_cutoff_hours"]
        return f"tickets for {event['title']} could be returned until {hours} hours before it starts"
    return None
