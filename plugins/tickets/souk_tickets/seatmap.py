"""The seat-map screen, drawn for one viewer, and kept up to date while holds and sales change.

A map shows each seat as its viewer sees it (free, held by someone, sold,
blocked, or chosen by them), the price categories, and the viewer's own hold
with its Pay and Let go buttons.  :func:`on_refresh` is the debounced timer of
:mod:`.mapviews`: every map of the event on show is drawn again and replaced
if it reads differently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from souk_sdk import Context, Event, NotFound, ui
from souk_sdk.money import format_money
from sqlite_utils import Database

from . import hold_times, holding, mapviews, organising, seatrows, times, wording


@dataclass(frozen=True)
class Viewer:
    id: str
    locale: str
    time_zone: str
    operators_hold: hold_times.OperatorsHold = hold_times.none_set

    @classmethod
    def of(cls, ctx: Context) -> Viewer:
        assert ctx.user is not None
        return cls(ctx.user.id, ctx.locale, ctx.time_zone, hold_times.operators_hold(ctx))

    def hold_minutes(self, db: Database, country: str) -> int:
        """How long a hold lasts in ``country``, as the screens drawn for this viewer say it."""
        return hold_times.hold_minutes(db, country, self.operators_hold(country))


def states(db: Database, event: str, viewer: str) -> list[dict[str, Any]]:
    """Every seat in map order with its state as ``viewer`` sees it."""
    rows = db.query(
        "SELECT s.seat, s.section, s.row, s.number, s.category, s.blocked, c.state, b.buyer FROM seats s "
        "LEFT JOIN claims c ON c.event = s.event AND c.seat = s.seat "
        "LEFT JOIN bookings b ON b.ref = c.booking "
        "WHERE s.event = ? ORDER BY s.position",
        [event],
    )
    seats = []
    for row in rows:
        if row["blocked"]:
            state = "blocked"
        elif row["state"] is None:
            state = "free"
        elif row["state"] == "held":
            state = "mine" if row["buyer"] == viewer else "held"
        else:
            state = "sold"
        seats.append({k: row[k] for k in ("seat", "section", "row", "number", "category")} | {"state": state})
    return seats


def money(event: dict[str, Any], amount: int, locale: str) -> str:
    return format_money(amount, event["currency"], locale)


def hold_lines(db: Database, event: dict[str, Any], viewer: Viewer, now: dt.datetime) -> list[Any]:
    """What the viewer holds, with Pay and Let go; or how to begin."""
    booking = holding.open_booking(db, event["ref"], viewer.id)
    if booking is None:
        mine = db.execute(
            "SELECT seat FROM tickets WHERE event = ? AND holder = ? AND status = 'valid' ORDER BY rowid",
            [event["ref"], viewer.id],
        ).fetchall()
        seats = [s for (s,) in mine]
        listed = ", ".join(seats[:20]) + (f" and {len(seats) - 20} more" if len(seats) > 20 else "")
        owned = [ui.Text(text=f"Your tickets: seats {listed} (see /mytickets).")] if seats else []
        why = organising.on_sale(event, now)
        minutes = viewer.hold_minutes(db, event["country"])
        most = event["max_per_order"]
        hint = f"Tap a free seat to hold it for {minutes} minutes, up to {most} in one booking."
        return [*owned, ui.Text(text=wording.sentence(why) if why else hint, style="muted")]
    seats = holding.booking_seats(db, booking["ref"])
    what = (
        f"seat{'s' if len(seats) != 1 else ''} {', '.join(seats)}"
        if seats
        else f"{booking['quantity']} tickets"
    )
    total = money(event, booking["total"], viewer.locale)
    until = times.clock_time(dt.datetime.fromisoformat(booking["hold_until"]), viewer.time_zone)
    lines: list[Any] = [
        ui.Text(text=f"Booking {booking['ref']}: {what}, {total}. Held for you until {until}.")
    ]
    if booking["status"] == "paying":
        lines.append(
            ui.Text(text=f"Confirm the payment of {total} to {event['organiser_name']} to get your tickets.")
        )
        return lines
    payload = {"booking": booking["ref"]}
    lines.append(ui.Button(label=f"Pay {total}", action="pay", payload=payload, style="primary"))
    lines.append(ui.Button(label="Let them go", action="release", payload=payload))
    return lines


def map_screen(
    db: Database, event: dict[str, Any], viewer: Viewer, now: dt.datetime, notice: str | None = None
) -> ui.Screen:
    categories = [
        ui.SeatCategory(code=c["code"], label=f"{c['name']} {money(event, c['price'], viewer.locale)}")
        for c in organising.categories(db, event["ref"])
    ]
    when = times.shown(
        dt.datetime.fromisoformat(event["starts_at"]),
        event["time_zone"],
        event["city"],
        viewer.time_zone,
        viewer.locale,
    )
    body: list[Any] = [ui.Text(text=f"{when} · {event['venue']}", style="muted")]
    if notice:
        body.append(ui.Text(text=notice))
    body.append(
        ui.SeatMap(
            action="pick_seat",
            sections=seatrows.sections(states(db, event["ref"], viewer.id)),
            categories=categories,
            payload={"event": event["ref"]},
        )
    )
    body.extend(hold_lines(db, event, viewer, now))
    return ui.Screen(title=f"{event['title']}: choose your seats", body=body)


async def show_in_place(
    ctx: Context, message_id: str, event: dict[str, Any], notice: str | None = None
) -> None:
    """Draw the viewer's map into ``message_id`` (the screen they pressed) and follow it from now on."""
    viewer = Viewer.of(ctx)
    screen = map_screen(ctx.db, event, viewer, ctx.now(), notice)
    await ctx.replace(message_id, screen)
    await ctx.transaction(
        lambda tx: mapviews.shown(
            tx.db, message_id, event["ref"], viewer.id, viewer.locale, viewer.time_zone, screen, ctx.now()
        )
    )


async def on_refresh(ctx: Context, timer: Event) -> None:
    """The debounced refresh: every map of the event on show, drawn again where it changed."""
    ref = timer.data["event"]
    views = await ctx.transaction(lambda tx: mapviews.claim_refresh(tx.db, ref, ctx.now()))
    event = organising.event(ctx.db, ref)
    changed: list[tuple[str, ui.Screen | None]] = []
    for view in views:
        viewer = Viewer(view["viewer"], view["locale"], view["time_zone"], hold_times.operators_hold(ctx))
        screen = map_screen(ctx.db, event, viewer, ctx.now())
        if mapviews.fingerprint(screen) == view["shown"]:
            continue
        try:
            await ctx.replace(view["message_id"], screen)
        except NotFound:  # the message is gone (its chat was erased): stop following it
            changed.append((view["message_id"], None))
            continue
        changed.append((view["message_id"], screen))

    def record(tx: Any) -> None:
        for message_id, screen in changed:
            if screen is None:
                mapviews.forget(tx.db, message_id)
            else:
                mapviews.redrawn(tx.db, message_id, screen)

    if changed:
        await ctx.transaction(record)
