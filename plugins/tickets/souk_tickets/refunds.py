"""Tickets given back: a return before the cut-off, or every ticket of a cancelled event.

Giving a ticket back is one transaction that marks it ``refund_due``, frees
its seat, and sets a refund job for its booking (a timer due at once, keyed
by the booking, about the holder).  The job refunds each due ticket of the
booking with an idempotency key of its own (``ticket:T-...``), marks it
refunded, then tells the holder once.  Timers survive a crash and are
delivered at least once, and the provider answers a repeated key with the
first refund, so a cancel repeated, or cut by ``kill -9`` half-way, refunds
every ticket exactly once and resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from souk_sdk import Context, Event, SoukError, Transaction

from . import holding, issuing, mapviews, organising, wording
from .paying import tell
from .seatmap import money

REFUND_EVENT = "tickets.refund"
NO_WAIT = dt.timedelta(0)


class NotReturnable(SoukError):
    code, status = "not_returnable", 409


def _job(tx: Transaction, booking_ref: str, buyer: str | None) -> None:
    tx.schedule(
        REFUND_EVENT, {"booking": booking_ref}, after=NO_WAIT, key=f"refund:{booking_ref}", user=buyer
    )


def _buyer(tx: Transaction, booking_ref: str) -> str | None:
    """The booking's buyer, if a person (a box-office sale of the demo has none to tell)."""
    buyer = tx.db.execute("SELECT buyer FROM bookings WHERE ref = ?", [booking_ref]).fetchone()[0]
    paid = tx.db.execute("SELECT payment_id FROM bookings WHERE ref = ?", [booking_ref]).fetchone()[0]
    return buyer if paid is not None else None


def give_back(tx: Transaction, ticket_ref: str, holder: str, now: dt.datetime) -> dict[str, Any]:
    """The holder returns a ticket before the cut-off: its seat is free again at once, the refund follows."""
    ticket = issuing.ticket(tx.db, ticket_ref)
    if ticket["holder"] != holder:
        raise NotReturnable(f"there is no ticket {ticket_ref} of yours")
    event = organising.event(tx.db, ticket["event"])
    if tx.db.execute("SELECT 1 FROM checkins WHERE ticket = ?", [ticket["ref"]]).fetchone():
        raise NotReturnable(f"ticket {ticket['ref']} was used at the door")
    why = issuing.returnable(ticket, event, now)
    if why:
        raise NotReturnable(why)
    tx.db.execute(
        "UPDATE tickets SET status = 'refund_due', refund_reason = 'returned', returned_at = ? WHERE ref = ?",
        [now.isoformat(), ticket["ref"]],
    )
    if ticket["seat"]:
        tx.db.execute("DELETE FROM claims WHERE event = ? AND seat = ?", [event["ref"], ticket["seat"]])
        mapviews.stale(tx, event["ref"], now)
    tx.db.execute("UPDATE events SET sold = sold - 1 WHERE ref = ?", [event["ref"]])
    _job(tx, ticket["booking"], _buyer(tx, ticket["booking"]))
    return issuing.ticket(tx.db, ticket["ref"])


def cancel(tx: Transaction, event_ref: str, now: dt.datetime) -> tuple[bool, int]:
    """Cancel the event: holds end, every valid ticket is due its refund.  ``(cancelled now, tickets)``:
    a repeated cancel changes nothing and says how many tickets the first one gave back.  The caller
    has checked that the user may (:func:`.organisers.require_organiser`)."""
    event = organising.event(tx.db, event_ref)
    first = tx.db.execute(
        "UPDATE events SET status = 'cancelled', cancelled_at = ? WHERE ref = ? AND status = 'on_sale'",
        [now.isoformat(), event["ref"]],
    ).rowcount
    if first:
        for (ref,) in tx.db.execute(
            "SELECT ref FROM bookings WHERE event = ? AND status IN ('held', 'paying')", [event["ref"]]
        ).fetchall():
            holding.release(tx, ref, "cancelled", now)
        tx.db.execute(
            "UPDATE tickets SET status = 'refund_due', refund_reason = 'cancelled' "
            "WHERE event = ? AND status = 'valid'",
            [event["ref"]],
        )
        for (booking_ref,) in tx.db.execute(
            "SELECT DISTINCT booking FROM tickets WHERE event = ? AND refund_reason = 'cancelled'",
            [event["ref"]],
        ).fetchall():
            _job(tx, booking_ref, _buyer(tx, booking_ref))
        mapviews.stale(tx, event["ref"], now)
    given_back = tx.db.execute(
        "SELECT COUNT(*) FROM tickets WHERE event = ? AND refund_reason = 'cancelled'", [event["ref"]]
    ).fetchone()[0]
    return bool(first), given_back


def _reason(event: dict[str, Any], ticket: dict[str, Any]) -> str:
    if ticket["refund_reason"] == "cancelled":
        return f"{event['title']} was cancelled by its organiser"
    return f"ticket {ticket['ref']} was returned"


async def on_refund(ctx: Context, timer: Event) -> None:
    """The refund job of one booking: each due ticket refunded once, then the holder told."""
    ref = timer.data["booking"]
    row = holding.booking(ctx.db, ref)
    event = organising.event(ctx.db, row["event"])
    due = list(
        ctx.db.query(
            "SELECT * FROM tickets WHERE booking = ? AND status = 'refund_due' ORDER BY rowid", [ref]
        )
    )
    for ticket in due:
        if row["payment_id"] is not None:
            await ctx.refund_payment(
                payment_id=row["payment_id"],
                amount=ticket["price"],
                reason=_reason(event, ticket),
                idempotency_key=f"ticket:{ticket['ref']}",
            )
        await ctx.transaction(
            lambda tx, t=ticket: tx.db.execute(
                "UPDATE tickets SET status = 'refunded', refunded_at = ?, told = 0 "
                "WHERE ref = ? AND status = 'refund_due'",
                [ctx.now().isoformat(), t["ref"]],
            )
        )
    untold = list(ctx.db.query("SELECT * FROM tickets WHERE booking = ? AND told = 0 ORDER BY rowid", [ref]))
    if not untold or row["payment_id"] is None:
        return
    total = money(event, sum(t["price"] for t in untold), ctx.locale)
    places = ", ".join(f"seat {t['seat']}" if t["seat"] else t["ref"] for t in untold)
    count = wording.count(len(untold), "ticket")
    returned = (
        untold[0]["refund_reason"] == "returned"
    )  # else the organiser cancelled: their chat with Tickets
    text = wording.sentence(f"{_reason(event, untold[0])}: {count} ({places}) refunded, {total}")
    await tell(ctx, row["buyer"], text, where_they_acted=returned)
    marks = ",".join("?" * len(untold))
    await ctx.transaction(
        lambda tx: tx.db.execute(
            f"UPDATE tickets SET told = 1 WHERE ref IN ({marks})", [t["ref"] for t in untold]
        )
    )
