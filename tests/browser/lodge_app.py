"""Lodge: a mini-app of the browser tests with a date-range form (loaded by launch_server.py).

``/stay`` shows a booking form: the nights of a stay (from the user's today on, a week at
most) and, if wanted, a day for the city tour (from today on).  A booking answers with its
nights; a refused one gets the form's errors, checked by the core against the user's own day.
"""

from __future__ import annotations

import datetime as dt

from souk_sdk import Context, Manifest, MiniApp, Press, ui

MAX_NIGHTS = 7

STAY = ui.DateRangeField(
    name="stay", label="Your stay", min="today", max_days=MAX_NIGHTS, help="Up to a week, from today on"
)
TOUR = ui.DateField(name="tour", label="City tour", required=False, min="today")

app = MiniApp(
    Manifest(name="lodge", title="Lodge", version="1.0.0", description="Rooms by the night", sdk=">=1.1,<2")
)


@app.command("stay", help="Book a room at the lodge")
async def stay(ctx: Context, args: object) -> ui.Screen:
    return ui.Screen(
        title="Book a room", body=[ui.Form(action="book", submit_label="Book", fields=[STAY, TOUR])]
    )


@app.action("book")
async def book(ctx: Context, press: Press) -> str:
    return booked(press.values["stay"], press.values["tour"])


def booked(nights: ui.DateRange, tour: dt.date | None) -> str:
    """The answer to a booking, as the test expects it too."""
    plural = "night" if nights.days == 1 else "nights"
    answer = f"Booked {nights.days} {plural}, {nights.start.isoformat()} to {nights.end.isoformat()}."
    return f"{answer} City tour on {tour.isoformat()}." if tour else answer
