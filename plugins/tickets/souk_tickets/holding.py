"""Holding seats for a buyer while they pay: one conditional write each, all or nothing.

A person has at most one open booking per event (a unique index): the seats
they are choosing or paying for, held until ``hold_until``.  A seat is held by
inserting its claim; the primary key of ``claims`` lets one insert win, and the
others find it taken.  General admission adds to the event's ``held`` count
under a CHECK that holds and sales stay within the capacity.  Each booking's
hold has a timer (``tickets.hold_expired``) that gives the seats back when it
runs out; each change asks for the event's seat maps to be drawn again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from souk_sdk import NotFound, SoukError, Transaction
from sqlite_utils import Database

from . import mapviews
from .organising import on_sale
from .refs import new_ref

HOLD_EVENT = "tickets.hold_expired"
OPEN = ("held", "paying")


class SeatTaken(SoukError):
    code, status = "seat_taken", 409


class SoldOut(SoukError):
    code, status = "sold_out", 409


class NoSuchSeat(SoukError):
    code, status = "no_such_seat", 422


class TooMany(SoukError):
    code, status = "too_many_seats", 422


class NotOnSale(SoukError):
    code, status = "not_on_sale", 409


class Locked(SoukError):
    """The booking's payment was asked for: its seats stay as they are until it ends."""

    code, status = "booking_locked", 409


def hold_key(booking: str) -> str:
    return f"hold:{booking}"


def booking(db: Database, ref: str) -> dict[str, Any]:
    row = next(iter(db.query("SELECT * FROM bookings WHERE ref = ?", [ref.strip().upper()])), None)
    if row is None:
        raise NotFound(f"there is no booking {ref}")
    return row


def open_booking(db: Database, event: str, buyer: str) -> dict[str, Any] | None:
    return next(
        iter(
            db.query(
                "SELECT * FROM bookings WHERE event = ? AND buyer = ? AND status IN ('held', 'paying')",
                [event, buyer],
            )
        ),
        None,
    )


def booking_seats(db: Database, ref: str) -> list[str]:
    return [
        r[0] for r in db.execute("SELECT seat FROM booking_seats WHERE booking = ? ORDER BY rowid", [ref])
    ]


def held_count(db: Database, booking_row: dict[str, Any]) -> int:
    if booking_row["quantity"]:
        return booking_row["quantity"]
    return db.execute(
        "SELECT COUNT(*) FROM booking_seats WHERE booking = ?", [booking_row["ref"]]
    ).fetchone()[0]


def _start(
    tx: Transaction, event: dict[str, Any], buyer: str, now: dt.datetime, minutes: int
) -> dict[str, Any]:
    """The buyer's open booking for the event, or a new one with a fresh hold (and its timer)."""
    why = on_sale(event, now)
    if why:
        raise NotOnSale(why)
    current = open_booking(tx.db, event["ref"], buyer)
    if current is not None and dt.datetime.fromisoformat(current["hold_until"]) > now:
        if current["status"] == "paying":
            raise Locked(
                f"you asked to pay for Booking {current['ref']}: pay or cancel it there, "
                "or wait for it to end"
            )
        return current
    if current is not None:  # ran out a moment ago, before its timer fired
        release(tx, current["ref"], "expired", now)
    ref = new_ref(tx.db, "B")
    until = now + dt.timedelta(minutes=minutes)
    tx.db.execute(  # plain SQL: a hold is the hottest write there is (bench scenario 5)
        "INSERT INTO bookings (ref, event, buyer, status, currency, hold_until, created_at, updated_at) "
        "VALUES (?, ?, ?, 'held', ?, ?, ?, ?)",
        [ref, event["ref"], buyer, event["currency"], until.isoformat(), now.isoformat(), now.isoformat()],
    )
    tx.schedule(HOLD_EVENT, {"booking": ref}, at=until, key=hold_key(ref), user=buyer)
    return booking(tx.db, ref)


def hold_seats(
    tx: Transaction, event: dict[str, Any], buyer: str, seats: list[str], now: dt.datetime, minutes: int
) -> dict[str, Any]:
    """Add ``seats`` to the buyer's hold: every one, or none (:class:`SeatTaken` names the first taken)."""
    db = tx.db
    wanted = list(dict.fromkeys(s.strip().upper() for s in seats))
    if not wanted:
        raise NoSuchSeat("choose at least one seat")
    marks = ",".join("?" * len(wanted))
    rows = {
        r["seat"]: r
        for r in db.query(
            f"SELECT s.seat, s.blocked, s.category, c.price FROM seats s JOIN categories c "
            f"ON c.event = s.event AND c.code = s.category WHERE s.event = ? AND s.seat IN ({marks})",
            [event["ref"], *wanted],
        )
    }
    for seat in wanted:
        if seat not in rows:
            raise NoSuchSeat(f"there is no seat {seat} at {event['title']}")
        if rows[seat]["blocked"]:
            raise SeatTaken(f"seat {seat} is not for sale")
    current = _start(tx, event, buyer, now, minutes)
    have = set(booking_seats(db, current["ref"]))
    new = [s for s in wanted if s not in have]
    if len(have) + len(new) > event["max_per_order"]:
        raise TooMany(f"one booking holds at most {event['max_per_order']} tickets for {event['title']}")
    for seat in new:
        taken = db.execute(
            "INSERT INTO claims (event, seat, booking, state) VALUES (?, ?, ?, 'held') "
            "ON CONFLICT DO NOTHING",
            [event["ref"], seat, current["ref"]],
        ).rowcount
        if not taken:
            raise SeatTaken(f"seat {seat} is taken")
    db.conn.executemany(
        "INSERT INTO booking_seats (booking, seat, category, price) VALUES (?, ?, ?, ?)",
        [(current["ref"], s, rows[s]["category"], rows[s]["price"]) for s in new],
    )
    _count(tx, current["ref"], event["ref"], len(new), now)
    return booking(db, current["ref"])


def hold_places(
    tx: Transaction, event: dict[str, Any], buyer: str, quantity: int, now: dt.datetime, minutes: int
) -> dict[str, Any]:
    """General admission: hold ``quantity`` places (the buyer's open booking takes exactly that many)."""
    db = tx.db
    if not 1 <= quantity <= event["max_per_order"]:
        raise TooMany(f"one booking holds 1 to {event['max_per_order']} tickets for {event['title']}")
    current = _start(tx, event, buyer, now, minutes)
    change = quantity - current["quantity"]
    if change > 0:
        taken = db.execute(
            "UPDATE events SET held = held + ? WHERE ref = ? AND held + sold + ? <= capacity",
            [change, event["ref"], change],
        ).rowcount
        if not taken:
            left = db.execute(
                "SELECT capacity - held - sold FROM events WHERE ref = ?", [event["ref"]]
            ).fetchone()[0]
            raise SoldOut(
                f"{event['title']} is sold out"
                if left <= 0
                else f"only {left} tickets left for {event['title']}"
            )
    elif change < 0:
        db.execute("UPDATE events SET held = held + ? WHERE ref = ?", [change, event["ref"]])
    price = db.execute(
        "SELECT price FROM categories WHERE event = ? AND code = ?", [event["ref"], event["general_category"]]
    ).fetchone()[0]
    db.execute(
        "UPDATE bookings SET quantity = ?, total = ?, updated_at = ? WHERE ref = ?",
        [quantity, quantity * price, now.isoformat(), current["ref"]],
    )
    return booking(db, current["ref"])


def _count(tx: Transaction, ref: str, event: str, seats: int, now: dt.datetime) -> None:
    """Seats joined (or, negative, left) a booking: its total, the event's held count, the maps."""
    db = tx.db
    db.execute(
        "UPDATE bookings SET total = (SELECT COALESCE(SUM(price), 0) FROM booking_seats WHERE booking = ?), "
        "updated_at = ? WHERE ref = ?",
        [ref, now.isoformat(), ref],
    )
    db.execute("UPDATE events SET held = held + ? WHERE ref = ?", [seats, event])
    mapviews.stale(tx, event, now)


def let_go(
    tx: Transaction, event: dict[str, Any], buyer: str, seat: str, now: dt.datetime
) -> dict[str, Any] | None:
    """Take one seat out of the buyer's hold (a second press on a seat of theirs); the booking left,
    or None when it held nothing else (it is then released)."""
    db = tx.db
    current = open_booking(db, event["ref"], buyer)
    if current is None or seat not in booking_seats(db, current["ref"]):
        raise NoSuchSeat(f"seat {seat} is not one you are holding")
    if current["status"] == "paying":
        raise Locked(f"you asked to pay for Booking {current['ref']}: its seats stay as they are")
    db.execute(
        "DELETE FROM claims WHERE event = ? AND seat = ? AND booking = ?",
        [event["ref"], seat, current["ref"]],
    )
    db.execute("DELETE FROM booking_seats WHERE booking = ? AND seat = ?", [current["ref"], seat])
    _count(tx, current["ref"], event["ref"], -1, now)
    if not booking_seats(db, current["ref"]):
        release(tx, current["ref"], "released", now)
        return None
    return booking(db, current["ref"])


def release(tx: Transaction, ref: str, status: str, now: dt.datetime) -> bool:
    """End an open booking (``expired``, ``released``, ``failed``, ``cancelled``): its seats are free
    again at once.  False if it was not open (paid, or ended already)."""
    db = tx.db
    ended = db.execute(
        "UPDATE bookings SET status = ?, updated_at = ? WHERE ref = ? AND status IN ('held', 'paying')",
        [status, now.isoformat(), ref],
    ).rowcount
    if not ended:
        return False
    row = booking(db, ref)
    seats = db.execute("DELETE FROM claims WHERE booking = ? AND state = 'held'", [ref]).rowcount
    db.execute("UPDATE events SET held = held - ? WHERE ref = ?", [seats + row["quantity"], row["event"]])
    tx.cancel(hold_key(ref))
    if seats:
        mapviews.stale(tx, row["event"], now)
    return True


def expire(tx: Transaction, ref: str, now: dt.datetime) -> bool:
    """The hold's timer: a booking still open when its time is up ends, and its seats are free.

    (A booking erased with its buyer has nothing left to end.)
    """
    row = next(iter(tx.db.query("SELECT * FROM bookings WHERE ref = ?", [ref])), None)
    if row is None or row["status"] not in OPEN or dt.datetime.fromisoformat(row["hold_until"]) > now:
        return False
    return release(tx, ref, "expired", now)


def sell(tx: Transaction, ref: str, payment_id: str, now: dt.datetime) -> bool:
    """The payment arrived: the booking's seats (or places) are sold to it.

    A booking still open has them held already; one whose hold ran out gets them back only
    if each is still free (all, or none).  False when they are not to be had: the caller refunds.
    """
    db = tx.db
    row = booking(db, ref)
    event = db.execute("SELECT status FROM events WHERE ref = ?", [row["event"]]).fetchone()[0]
    if row["status"] == "paid" or event == "cancelled":
        return False
    count = held_count(db, row)
    if row["status"] in OPEN:
        db.execute("UPDATE claims SET state = 'sold' WHERE booking = ?", [ref])
        db.execute(
            "UPDATE events SET held = held - ?, sold = sold + ? WHERE ref = ?", [count, count, row["event"]]
        )
    elif not _take_again(tx, row, count):
        return False
    db.execute(
        "UPDATE bookings SET status = 'paid', payment_id = ?, paid_at = ?, updated_at = ? WHERE ref = ?",
        [payment_id, now.isoformat(), now.isoformat(), ref],
    )
    tx.cancel(hold_key(ref))
    if not row["quantity"]:
        mapviews.stale(tx, row["event"], now)
    return True


def _take_again(tx: Transaction, row: dict[str, Any], count: int) -> bool:
    """A late payment: claim the booking's seats again, sold, if every one is still free.

    Inside the one write transaction nothing moves between the look and the claims.
    """
    db = tx.db
    seats = booking_seats(db, row["ref"])
    if seats:
        marks = ",".join("?" * len(seats))
        if db.execute(
            f"SELECT 1 FROM claims WHERE event = ? AND seat IN ({marks})", [row["event"], *seats]
        ).fetchone():
            return False
    if not db.execute(
        "UPDATE events SET sold = sold + ? WHERE ref = ? AND held + sold + ? <= capacity",
        [count, row["event"], count],
    ).rowcount:
        return False
    db["claims"].insert_all(
        {"event": row["event"], "seat": s, "booking": row["ref"], "state": "sold"} for s in seats
    )
    return True
