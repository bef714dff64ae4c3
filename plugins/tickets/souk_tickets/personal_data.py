"""What tickets holds about a person: exported on request, erased on request.

Kept after an erasure (documented in docs/tickets.md), pseudonymised under the
erasure's random id: the tickets they bought and their paid bookings (seat,
price, dates, refunds and the check-in record: the organiser's accounts need
them), and the events they organised (their buyers still hold tickets), with
the title as the name buyers pay.  Their
unpaid bookings, door-staff roles and seat-map views are deleted; an open hold
ends at once, its seats free again; their name is blanked from the check-ins
they made at a door.
"""

from __future__ import annotations

from typing import Any

from souk_sdk import Erasure
from sqlite_utils import Database

PAID = "('paid', 'refunded')"


def export_user(db: Database, user_id: str) -> dict[str, Any]:
    """Their bookings (with seats), tickets (with check-ins), events organised, doors kept, and the
    seat maps shown to them that are kept up to date."""
    bookings = []
    for row in db.query(
        "SELECT b.ref, e.title AS event, b.status, b.quantity, b.total, b.currency, b.hold_until, "
        "b.created_at, "
        "b.paid_at FROM bookings b JOIN events e ON e.ref = b.event WHERE b.buyer = ? ORDER BY b.created_at",
        [user_id],
    ):
        seats = [r[0] for r in db.execute("SELECT seat FROM booking_seats WHERE booking = ?", [row["ref"]])]
        bookings.append(row | {"seats": seats})
    tickets = list(
        db.query(
            "SELECT t.ref, e.title AS event, t.booking, t.seat, t.price, e.currency, t.status, "
            "t.refund_reason, "
            "t.code, t.issued_at, t.returned_at, t.refunded_at, c.at AS checked_in_at FROM tickets t "
            "JOIN events e ON e.ref = t.event LEFT JOIN checkins c ON c.ticket = t.ref WHERE t.holder = ? "
            "ORDER BY t.issued_at",
            [user_id],
        )
    )
    organised = list(
        db.query(
            "SELECT ref, title, organiser_name, venue, city, country, starts_at, ends_at, status, sold "
            "FROM events WHERE organiser = ? ORDER BY starts_at",
            [user_id],
        )
    )
    doors = list(
        db.query(
            "SELECT e.title AS event, s.name AS shown_as, s.added_at FROM staff s "
            "JOIN events e ON e.ref = s.event "
            "WHERE s.user_id = ?",
            [user_id],
        )
    )
    checked = list(db.query("SELECT ticket, event, at FROM checkins WHERE by_id = ? ORDER BY at", [user_id]))
    maps = list(
        db.query(
            "SELECT e.title AS event, m.shown_at FROM map_views m JOIN events e ON e.ref = m.event "
            "WHERE m.viewer = ? ORDER BY m.shown_at",
            [user_id],
        )
    )
    return {
        "bookings": bookings,
        "tickets": tickets,
        "events_organised": organised,
        "door_staff_of": doors,
        "check_ins_made": checked,
        "seat_maps_kept_up_to_date": maps,
    }


def erase_user(db: Database, user_id: str, replacement: str) -> Erasure:
    """Delete what is only theirs; keep what the organisers' accounts need, without them (above)."""
    done = Erasure(
        kept=[
            "tickets you bought and your paid bookings: seat, price, dates, refunds and check-ins stay "
            "in the "
            "organiser's accounts, under an id linked to nobody",
            "events you organised, for the people holding their tickets, under an id linked to nobody",
        ]
    )
    for ref, event, quantity in db.execute(
        "SELECT ref, event, quantity FROM bookings WHERE buyer = ? AND status IN ('held', 'paying')",
        [user_id],
    ).fetchall():
        seats = db.execute("DELETE FROM claims WHERE booking = ? AND state = 'held'", [ref]).rowcount
        db.execute("UPDATE events SET held = held - ? WHERE ref = ?", [seats + quantity, event])
    unpaid = f"SELECT ref FROM bookings WHERE buyer = ? AND status NOT IN {PAID}"
    deletions = (
        ("booking_seats", f"DELETE FROM booking_seats WHERE booking IN ({unpaid})"),
        ("bookings", f"DELETE FROM bookings WHERE buyer = ? AND status NOT IN {PAID}"),
        ("staff", "DELETE FROM staff WHERE user_id = ?"),
        ("map_views", "DELETE FROM map_views WHERE viewer = ?"),
    )
    for table, sql in deletions:
        count = db.execute(sql, [user_id]).rowcount
        if count:
            done.deleted[table] = count
    updates = (
        ("bookings", "UPDATE bookings SET buyer = ? WHERE buyer = ?"),
        ("tickets", "UPDATE tickets SET holder = ? WHERE holder = ?"),
        (
            "events",
            "UPDATE events SET organiser = ?, organiser_name = "
            "CASE WHEN business_id IS NULL THEN title ELSE organiser_name END WHERE organiser = ?",
        ),
        ("checkins", "UPDATE checkins SET by_id = ?, by_name = 'door staff' WHERE by_id = ?"),
    )
    for table, sql in updates:
        count = db.execute(sql, [replacement, user_id]).rowcount
        if count:
            done.pseudonymised[table] = count
    return done
