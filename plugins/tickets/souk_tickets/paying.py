"""Paying for a booking, and what its payment's outcome does: tickets, or the seats back, or a refund.

``pay`` asks the provider for the booking's total, payee the organiser as
buyers know them, described in words ("2 tickets: Mumbai Live (Booking
B-7K2Q)"), and locks the booking's seats while it waits.  On
``payment.succeeded`` the seats are sold and the tickets issued and shown
where the buyer paid; a payment that comes after the hold ran out buys the
seats if they are still free, and is refunded otherwise, with the reason.
Handlers are idempotent: a redelivered outcome does nothing twice, but a late
payment whose refund failed is refunded on the next delivery.
"""

from __future__ import annotations

import logging
from typing import Any

from souk_sdk import Context, Event, PaymentError, PaymentResult, PaymentsUnavailable, SoukError, Transaction

from . import hold_times, holding, issuing, organisers, organising, screens, wording
from .holding import NotOnSale, booking
from .qr_images import with_qr_images
from .seatmap import Viewer, money

log = logging.getLogger(__name__)


class NotYours(SoukError):
    code, status = "not_found", 404


def description(event: dict[str, Any], row: dict[str, Any], count: int) -> str:
    return f"{wording.count(count, 'ticket')}: {event['title']} (Booking {row['ref']})"


async def pay(ctx: Context, ref: str) -> tuple[dict[str, Any], PaymentResult]:
    """Ask the buyer to pay for their booking; its seats wait for the outcome until the hold ends."""
    assert ctx.user is not None
    row = booking(ctx.db, ref)
    if row["buyer"] != ctx.user.id:
        raise NotYours(f"there is no booking {ref}")
    now = ctx.now()

    def lock(tx: Transaction) -> int:
        locked = tx.db.execute(
            "UPDATE bookings SET status = 'paying', updated_at = ? WHERE ref = ? "
            "AND status IN ('held', 'paying') AND hold_until > ?",
            [now.isoformat(), row["ref"], now.isoformat()],
        ).rowcount
        if not locked:
            raise NotOnSale(f"Booking {row['ref']} is no longer held: choose your seats again")
        return holding.held_count(tx.db, row)

    count = await ctx.transaction(lock)
    event = await organisers.named(ctx, organising.event(ctx.db, row["event"]))
    try:
        result = await ctx.request_payment(
            amount=row["total"],
            currency=row["currency"],
            description=description(event, row, count),
            reference=row["ref"],
            idempotency_key=f"booking:{row['ref']}",
            payee=event["organiser_name"],
        )
    except (PaymentsUnavailable, PaymentError):
        await ctx.transaction(
            lambda tx: tx.db.execute(
                "UPDATE bookings SET status = 'held' WHERE ref = ? AND status = 'paying'", [row["ref"]]
            )
        )
        raise
    return booking(ctx.db, row["ref"]), result


async def tell(ctx: Context, person: str, content: Any, where_they_acted: bool = True) -> None:
    """Where the person acted (the conversation the event came from), or their chat with Tickets."""
    try:
        here = where_they_acted and ctx.conversation is not None
        if here and ctx.user is not None and ctx.user.id == person:
            await ctx.show(content)
        else:
            await ctx.notify(person, content)
    except SoukError as exc:  # nobody to tell (a box-office sale), or they left: the state is right
        log.info("could not tell %s: %s", person, exc)


def _viewer(ctx: Context, buyer: str) -> Viewer:
    if ctx.user is not None and ctx.user.id == buyer:
        return Viewer.of(ctx)
    return Viewer(buyer, ctx.locale, ctx.time_zone, hold_times.operators_hold(ctx))


async def on_succeeded(ctx: Context, outcome: Event) -> None:
    ref, payment_id = outcome.data["reference"], outcome.data["payment_id"]
    now = ctx.now()

    def record(tx: Transaction) -> list[dict[str, Any]] | None:
        if not tx.first_time(outcome.id):
            return None
        if holding.sell(tx, ref, payment_id, now):
            return issuing.issue(tx.db, ref, now)
        return []

    issued = await ctx.transaction(record)
    row = booking(ctx.db, ref)
    if issued:
        event = organising.event(ctx.db, row["event"])
        title = f"Your tickets: {event['title']}"
        viewer = _viewer(ctx, row["buyer"])
        page = screens.on_page(ctx.db, issued, viewer, now)
        issued[page] = await with_qr_images(ctx, issued[page])
        await tell(ctx, row["buyer"], screens.tickets_screen(ctx.db, issued, viewer, now, title))
        return
    if row["status"] in ("paid", "refunded"):
        return  # a delivery seen before, and done
    await _refund_late(ctx, row, payment_id)


async def _refund_late(ctx: Context, row: dict[str, Any], payment_id: str) -> None:
    """The money came for seats that are not to be had: all of it goes back, and the buyer is told why."""
    event = organising.event(ctx.db, row["event"])
    if event["status"] == "cancelled":
        why = f"{event['title']} was cancelled"
    elif row["quantity"]:
        why = f"your hold ran out and {event['title']} sold out meanwhile"
    else:
        why = "your hold ran out and someone else took the seats meanwhile"
    await ctx.refund_payment(
        payment_id=payment_id, amount=row["total"], reason=why, idempotency_key=f"late:{row['ref']}"
    )
    await ctx.transaction(
        lambda tx: tx.db.execute(
            "UPDATE bookings SET status = 'refunded', payment_id = ?, updated_at = ? WHERE ref = ?",
            [payment_id, ctx.now().isoformat(), row["ref"]],
        )
    )
    total = money(event, row["total"], ctx.locale)
    await tell(
        ctx,
        row["buyer"],
        f"Your payment for Booking {row['ref']} came too late: {why}. {total} was refunded.",
    )


async def on_failed(ctx: Context, outcome: Event) -> None:
    ref = outcome.data["reference"]
    ended = await ctx.transaction(lambda tx: holding.release(tx, ref, "failed", ctx.now()))
    if not ended:
        return
    row = booking(ctx.db, ref)
    seats = holding.booking_seats(ctx.db, ref)
    what = f"seats {', '.join(seats)} are" if seats else "the tickets are"
    reason = outcome.data.get("failure") or "it was not completed"
    await tell(
        ctx, row["buyer"], f"The payment for Booking {ref} did not go through ({reason}); {what} free again."
    )


async def on_hold_expired(ctx: Context, timer: Event) -> None:
    ref = timer.data["booking"]
    if not await ctx.transaction(lambda tx: holding.expire(tx, ref, ctx.now())):
        return
    row = booking(ctx.db, ref)
    event = organising.event(ctx.db, row["event"])
    seats = holding.booking_seats(ctx.db, ref)
    what = f"seats {', '.join(seats)}" if seats else f"{row['quantity']} tickets"
    await tell(
        ctx,
        row["buyer"],
        f"Your hold on {what} for {event['title']} (Booking {ref}) ran out; they are free again. "
        "Choose again with /tickets.",
    )
