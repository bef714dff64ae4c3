"""The screens buyers and organisers see, apart from the seat map (:mod:`.seatmap`).

Events, bookings and tickets are named by their references (``E-4F9KQ``,
``Booking B-7K2Q``, ``Ticket T-8F3K2MQ9``) and times are shown on the event's
clock and, when it reads differently, on the viewer's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from souk_sdk import ui
from sqlite_utils import Database

from . import agenda, holding, issuing, organising, times, wording
from .seatmap import Viewer, hold_lines, money

SEATING = {"seated": "Reserved seating", "general": "General admission"}
TEXT_BUDGET = 3_000
PAGE = 50
"""The most tickets drawn as cards for one screen (as many of them as fit are shown)."""
"""What the cards of one screen may take of a message's 4,000 characters, as plain text; the
rest is for the title, the buttons and the form around them."""


def fitting(components: list[Any], budget: int = TEXT_BUDGET) -> int:
    """How many of ``components``, from the first, fit in ``budget`` characters of plain text."""
    used = 0
    for count, component in enumerate(components):
        used += len(component.to_text()) + 1
        if used > budget:
            return count
    return len(components)


def when(event: dict[str, Any], viewer: Viewer, key: str = "starts_at") -> str:
    moment = dt.datetime.fromisoformat(event[key])
    return times.shown(moment, event["time_zone"], event["city"], viewer.time_zone, viewer.locale)


def event_card(db: Database, event: dict[str, Any], viewer: Viewer) -> ui.Card:
    left = agenda.left(event)
    price = money(event, agenda.lowest_price(db, event["ref"]), viewer.locale)
    availability = "sold out" if left <= 0 else f"from {price}, {left} left"
    return ui.Card(
        title=event["title"],
        subtitle=f"{when(event, viewer)} · {event['venue']}",
        body=f"{SEATING[event['seating']]}, {availability}",
        buttons=[
            ui.Button(label="Open", action="open_event", payload={"event": event["ref"]}, style="primary")
        ],
    )


def event_list(
    db: Database, events: list[dict[str, Any]], more: bool, search: agenda.Search, viewer: Viewer
) -> ui.Screen:
    where = f" in {search.city}" if search.city else ""
    cards = [event_card(db, e, viewer) for e in events]
    shown = fitting(cards)
    more = more or shown < len(cards)
    body: list[Any] = cards[:shown] or [ui.Text(text=f"No upcoming events{where} match.", style="muted")]
    query = {"city": search.city, "start": str(search.start or ""), "end": str(search.end or "")}
    if search.offset:
        body.append(
            ui.Button(
                label="Earlier ones",
                action="list_events",
                payload=query | {"offset": max(search.offset - agenda.PAGE, 0)},
            )
        )
    if more:
        body.append(
            ui.Button(label="More", action="list_events", payload=query | {"offset": search.offset + shown})
        )
    body.append(
        ui.Form(
            action="find_events",
            submit_label="Find",
            fields=[
                ui.TextField(
                    name="city", label="City", required=False, max_length=80, value=search.city or None
                ),
                ui.DateRangeField(
                    name="days", label="Between", required=False, min="today", max_days=366, same_day=True
                ),
            ],
        )
    )
    return ui.Screen(title=f"Events{where}", body=body)


def event_page(
    db: Database, event: dict[str, Any], viewer: Viewer, now: dt.datetime, manages: bool | None = None
) -> ui.Screen:
    """The event as a buyer sees it; with the organiser's view for who ``manages`` it (by default
    its organiser, when it is not a business's)."""
    if manages is None:
        manages = event["organiser"] == viewer.id and not event["business_id"]
    prices = ", ".join(
        f"{c['name']} {money(event, c['price'], viewer.locale)}"
        for c in organising.categories(db, event["ref"])
    )
    lines = [
        ui.Text(text=f"Starts {when(event, viewer)}"),
        ui.Text(text=f"Ends {when(event, viewer, 'ends_at')}", style="muted"),
        ui.Text(text=f"{event['venue']}, {event['city']} · {SEATING[event['seating']]} · {prices}"),
    ]
    if event["description"]:
        lines.append(ui.Text(text=event["description"], style="muted"))
    lines.append(
        ui.Text(text=f"Organised by {event['organiser_name']} · event {event['ref']}", style="muted")
    )
    body: list[Any] = list(lines)
    why = organising.on_sale(event, now)
    if why:
        body.append(ui.Text(text=wording.sentence(why)))
    elif event["seating"] == "seated":
        body.append(
            ui.Button(
                label="Choose seats", action="choose_seats", payload={"event": event["ref"]}, style="primary"
            )
        )
    else:
        body.extend(general_lines(db, event, viewer, now))
    if manages:
        body.append(
            ui.Button(label="Organiser's view", action="organiser_view", payload={"event": event["ref"]})
        )
    return ui.Screen(title=event["title"], body=body)


def general_lines(db: Database, event: dict[str, Any], viewer: Viewer, now: dt.datetime) -> list[Any]:
    """General admission: how many to hold, or the hold the viewer has with Pay."""
    if holding.open_booking(db, event["ref"], viewer.id) is not None:
        return hold_lines(db, event, viewer, now)
    minutes = viewer.hold_minutes(db, event["country"])
    left = agenda.left(event)
    if left <= 0:
        return [ui.Text(text="Sold out for now: held tickets come back if their holds run out.")]
    most = min(event["max_per_order"], left)
    return [
        ui.Form(
            action="hold_places",
            submit_label="Hold tickets",
            payload={"event": event["ref"]},
            fields=[
                ui.NumberField(
                    name="quantity",
                    label="How many",
                    integer=True,
                    min=1,
                    max=most,
                    value="1",
                    help=f"Held for you for {minutes} minutes while you pay",
                )
            ],
        )
    ]


def ticket_card(ticket: dict[str, Any], event: dict[str, Any], viewer: Viewer, now: dt.datetime) -> ui.Card:
    place = f"Seat {ticket['seat']}" if ticket["seat"] else "General admission"
    if ticket["status"] != "valid":
        done = "returned" if ticket["refund_reason"] == "returned" else "cancelled with the event"
        refund = "refunded" if ticket["status"] == "refunded" else "refund on its way"
        return ui.Card(
            title=f"{event['title']}: {place}", subtitle=f"Ticket {ticket['ref']}, {done}; {refund}"
        )
    buttons = []
    if issuing.returnable(ticket, event, now) is None:
        buttons.append(
            ui.Button(
                label="Return", action="return_ticket", payload={"ticket": ticket["ref"]}, style="danger"
            )
        )
    return ui.Card(
        title=f"{event['title']}: {place}",
        subtitle=f"{when(event, viewer)} · {event['venue']}",
        body=f"Ticket {ticket['ref']} · Booking {ticket['booking']}\n"
        f"Show the QR code at the door, or this code:\n{ticket['code']}",
        image_url=ticket.get("qr_image"),
        buttons=buttons,
    )


def _cards(db: Database, tickets: list[dict[str, Any]], viewer: Viewer, now: dt.datetime) -> list[ui.Card]:
    events: dict[str, dict[str, Any]] = {}
    cards = []
    for ticket in tickets:
        event = events.setdefault(ticket["event"], organising.event(db, ticket["event"]))
        cards.append(ticket_card(ticket, event, viewer, now))
    return cards


def on_page(
    db: Database, tickets: list[dict[str, Any]], viewer: Viewer, now: dt.datetime, offset: int = 0
) -> slice:
    """Which of ``tickets`` get a card on the page from ``offset``: as many as fit in a message
    (a card's picture takes none of its text)."""
    return slice(offset, offset + fitting(_cards(db, tickets[offset : offset + PAGE], viewer, now)))


def tickets_screen(
    db: Database,
    tickets: list[dict[str, Any]],
    viewer: Viewer,
    now: dt.datetime,
    title: str,
    offset: int = 0,
    paged: bool = False,
) -> ui.Screen:
    """One card per ticket from ``offset``, as many as fit in a message; with ``paged``, a More
    button for the rest (``/mytickets``), otherwise a pointer to ``/mytickets``."""
    cards = _cards(db, tickets[offset : offset + PAGE], viewer, now)
    shown = fitting(cards)
    body: list[Any] = cards[:shown] or [ui.Text(text="No tickets yet: find events with /tickets.")]
    rest = len(tickets) - offset - shown
    if rest > 0 and paged:
        body.append(ui.Text(text=f"{wording.count(rest, 'more ticket')}.", style="muted"))
        body.append(ui.Button(label="More", action="more_tickets", payload={"offset": offset + shown}))
    elif rest > 0:
        body.append(ui.Text(text=f"And {wording.count(rest, 'more ticket')}: see them all with /mytickets."))
    return ui.Screen(title=title, body=body)


def organiser_page(db: Database, event: dict[str, Any], viewer: Viewer) -> ui.Screen:
    checked = db.execute("SELECT COUNT(*) FROM checkins WHERE event = ?", [event["ref"]]).fetchone()[0]
    staff = ", ".join(organising.staff_names(db, event["ref"])) or "none yet (name them with /doorstaff)"
    body: list[Any] = [
        ui.Text(text=f"{when(event, viewer)} · {event['venue']} · event {event['ref']}", style="muted"),
        ui.Text(
            text=f"{event['sold']} sold, {event['held']} held, "
            f"{agenda.left(event)} left of {event['capacity']}"
        ),
        ui.Text(text=f"{checked} checked in · door staff: {staff}"),
    ]
    if event["status"] == "cancelled":
        body.append(ui.Text(text="Cancelled: every ticket is refunded and its holder told."))
    else:
        body.append(
            ui.Button(
                label="Cancel the event",
                action="cancel_event",
                payload={"event": event["ref"]},
                style="danger",
            )
        )
    return ui.Screen(title=f"{event['title']}: organiser", body=body)


def my_events(db: Database, events: list[dict[str, Any]], viewer: Viewer, budget: int) -> list[Any]:
    """The organiser's events, the latest first, as many as fit in ``budget`` characters."""
    cards = [
        ui.Card(
            title=e["title"],
            subtitle=f"{when(e, viewer)} · {e['sold']} sold"
            + (" · cancelled" if e["status"] == "cancelled" else ""),
            buttons=[ui.Button(label="Manage", action="organiser_view", payload={"event": e["ref"]})],
        )
        for e in reversed(events[-50:])
    ]
    return cards[: fitting(cards, budget)]
