"""The chat side of tickets: finding events, choosing seats, paying, tickets, the door, organising."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from souk_sdk import Context, FormErrors, NotDone, Press, PublicUser, SoukError, action, command, ui

from . import (
    agenda,
    checkin,
    eventform,
    eventspec,
    hold_times,
    holding,
    issuing,
    organisers,
    organising,
    paying,
    refunds,
    screens,
    wording,
)
from .qr_images import with_qr_images
from .seatmap import Viewer, show_in_place


def me(ctx: Context) -> str:
    assert ctx.user is not None
    return ctx.user.id


def _hold_minutes(ctx: Context, event: dict[str, Any]) -> int:
    return hold_times.for_handler(ctx, event["country"])


# -- finding -----------------------------------------------------------------------------------


class FindArgs(BaseModel):
    words: str = Field(default="", max_length=120, description="A city, a day (2026-12-12), or both")


def _search(ctx: Context, words: str) -> agenda.Search:
    days, city = [], []
    for word in words.split():
        try:
            days.append(dt.date.fromisoformat(word))
        except ValueError:
            city.append(word)
    start = min(days) if days else None
    return agenda.Search(ctx.country or "", " ".join(city), start, max(days) if days else None)


def _listing(ctx: Context, search: agenda.Search) -> ui.Screen:
    found, more = agenda.upcoming(ctx.db, search, ctx.now())
    return screens.event_list(ctx.db, found, more, search, Viewer.of(ctx))


@command("tickets", help="Upcoming events near you: /tickets [city] [day]", args=FindArgs)
async def tickets_command(ctx: Context, args: FindArgs) -> ui.Screen:
    return _listing(ctx, _search(ctx, args.words))


@action("list_events")
async def list_events(ctx: Context, press: Press) -> None:
    p = press.payload
    search = agenda.Search(
        ctx.country or "",
        p.get("city", ""),
        dt.date.fromisoformat(p["start"]) if p.get("start") else None,
        dt.date.fromisoformat(p["end"]) if p.get("end") else None,
        max(int(p.get("offset", 0)), 0),
    )
    await ctx.replace(press.message_id, _listing(ctx, search))


@action("find_events")
async def find_events(ctx: Context, press: Press) -> None:
    days = press.values.get("days")
    search = agenda.Search(
        ctx.country or "",
        press.values.get("city") or "",
        days.start if days else None,
        days.end if days else None,
    )
    await ctx.replace(press.message_id, _listing(ctx, search))


def _event_here(ctx: Context, ref: str) -> dict[str, Any]:
    return organising.visible_event(ctx.db, ref, ctx.country, me(ctx))


@action("open_event")
async def open_event(ctx: Context, press: Press) -> ui.Screen:
    event = await organisers.named(ctx, _event_here(ctx, press.payload["event"]))
    return await _event_page(ctx, event)


async def _event_page(ctx: Context, event: dict[str, Any]) -> ui.Screen:
    manages = await organisers.manages(ctx, event)
    return screens.event_page(ctx.db, event, Viewer.of(ctx), ctx.now(), manages)


# -- choosing, holding, paying -----------------------------------------------------------------


@action("choose_seats")
async def choose_seats(ctx: Context, press: Press) -> None:
    await show_in_place(ctx, press.message_id, _event_here(ctx, press.payload["event"]))


@action("pick_seat")
async def pick_seat(ctx: Context, press: Press) -> None:
    """A free seat joins the viewer's hold; one of theirs leaves it.  The map is drawn again either way."""
    event = _event_here(ctx, press.payload["event"])
    seat = press.values["seat"]
    current = holding.open_booking(ctx.db, event["ref"], me(ctx))
    mine = current is not None and seat in holding.booking_seats(ctx.db, current["ref"])
    minutes = _hold_minutes(ctx, event)
    notice = None
    try:
        if mine:
            await ctx.transaction(lambda tx: holding.let_go(tx, event, me(ctx), seat, ctx.now()))
        else:
            await ctx.transaction(
                lambda tx: holding.hold_seats(tx, event, me(ctx), [seat], ctx.now(), minutes)
            )
    except SoukError as exc:
        notice = wording.sentence(str(exc))
    await show_in_place(ctx, press.message_id, organising.event(ctx.db, event["ref"]), notice)


@action("hold_places")
async def hold_places(ctx: Context, press: Press) -> None:
    event = _event_here(ctx, press.payload["event"])
    minutes = _hold_minutes(ctx, event)
    try:
        await ctx.transaction(
            lambda tx: holding.hold_places(tx, event, me(ctx), press.values["quantity"], ctx.now(), minutes)
        )
    except (holding.SoldOut, holding.TooMany) as exc:
        raise NotDone(f"Sorry: {exc}.") from None
    fresh = organising.event(ctx.db, event["ref"])
    await ctx.replace(press.message_id, await _event_page(ctx, fresh))


async def _redraw(ctx: Context, message_id: str, event_ref: str) -> None:
    event = organising.event(ctx.db, event_ref)
    if event["seating"] == "seated":
        await show_in_place(ctx, message_id, event)
    else:
        await ctx.replace(message_id, await _event_page(ctx, event))


@action("pay", once=True)
async def pay(ctx: Context, press: Press) -> None:
    row = holding.booking(ctx.db, press.payload["booking"])
    try:
        await paying.pay(ctx, row["ref"])
    except SoukError as exc:
        await _redraw(ctx, press.message_id, row["event"])
        raise NotDone(f"Not paid: {exc}.") from None
    await _redraw(ctx, press.message_id, row["event"])


@action("release")
async def release(ctx: Context, press: Press) -> None:
    row = holding.booking(ctx.db, press.payload["booking"])
    if row["buyer"] != me(ctx):
        raise SoukError("this is not your booking")
    ended = await ctx.transaction(lambda tx: holding.release(tx, row["ref"], "released", ctx.now()))
    if not ended and row["status"] == "paying":
        raise NotDone("This booking's payment was asked for: cancel it on the payment card.")
    await _redraw(ctx, press.message_id, row["event"])


# -- tickets -----------------------------------------------------------------------------------


async def _my_tickets(ctx: Context, offset: int = 0) -> ui.Screen:
    tickets, viewer, now = issuing.of_holder(ctx.db, me(ctx)), Viewer.of(ctx), ctx.now()
    page = screens.on_page(ctx.db, tickets, viewer, now, offset)
    tickets[page] = await with_qr_images(ctx, tickets[page])
    return screens.tickets_screen(ctx.db, tickets, viewer, now, "Your tickets", offset, paged=True)


@command("mytickets", help="Your tickets, with their QR codes for the door")
async def mytickets(ctx: Context, args: BaseModel) -> ui.Screen:
    return await _my_tickets(ctx)


@action("more_tickets")
async def more_tickets(ctx: Context, press: Press) -> None:
    await ctx.replace(press.message_id, await _my_tickets(ctx, max(int(press.payload.get("offset", 0)), 0)))


@action("return_ticket", once=True)
async def return_ticket(ctx: Context, press: Press) -> None:
    try:
        ticket = await ctx.transaction(
            lambda tx: refunds.give_back(tx, press.payload["ticket"], me(ctx), ctx.now())
        )
    except SoukError as exc:
        raise NotDone(f"Not returned: {exc}.") from None
    await ctx.replace(press.message_id, await _my_tickets(ctx))
    event = organising.event(ctx.db, ticket["event"])
    amount = screens.money(event, ticket["price"], ctx.locale)
    await ctx.show(f"Ticket {ticket['ref']} is returned; your refund of {amount} is on its way.")


# -- at the door -------------------------------------------------------------------------------


class CodeArgs(BaseModel):
    code: str = Field(min_length=1, max_length=400, description="The code under the ticket's QR")


@command("checkin", help="Check a ticket in at the door (organisers and door staff)", args=CodeArgs)
async def checkin_command(ctx: Context, args: CodeArgs) -> str:
    ref = checkin.claimed_event(ctx.db, args.code)
    door = ref if ref and await organisers.business_door(ctx, ref) else None
    verdict = await ctx.transaction(
        lambda tx: checkin.check_in(tx.db, args.code, me(ctx), ctx.now(), business_door=door)
    )
    return verdict.message


# -- organising --------------------------------------------------------------------------------


@command("organise", help="Your events, and a form to create one")
async def organise(ctx: Context, args: BaseModel) -> ui.Screen:
    mine = organising.events_of(ctx.db, me(ctx), await organisers.managed_businesses(ctx))
    form = eventform.form(ctx.country or "", ctx.time_zone)
    body: list[Any] = screens.my_events(
        ctx.db, mine, Viewer.of(ctx), screens.TEXT_BUDGET - len(form.to_text())
    )
    body.append(form)
    return ui.Screen(title="Your events" if mine else "Create an event", body=body)


@action("create_event")
async def create_event(ctx: Context, press: Press) -> None:
    data = eventform.read(press.values, ctx.country or "")
    try:
        plan = eventspec.plan(data, ctx.now(), ctx.live_in(data.country))
        business = await organisers.organising_for(ctx, data.business)
    except eventspec.Refused as exc:
        raise eventform.refused(exc) from None
    except organisers.NotBusinessAdmin as exc:
        raise FormErrors({"business": f"{exc}: ask one of them, or leave this empty"}) from None
    ref = await ctx.transaction(lambda tx: organising.create_event(tx.db, me(ctx), plan, ctx.now(), business))
    event = organising.event(ctx.db, ref)
    await ctx.replace(press.message_id, screens.organiser_page(ctx.db, event, Viewer.of(ctx)))


@action("organiser_view")
async def organiser_view(ctx: Context, press: Press) -> ui.Screen:
    event = await organisers.require_organiser(ctx, press.payload["event"])
    return screens.organiser_page(ctx.db, event, Viewer.of(ctx))


@action("cancel_event")
async def cancel_event(ctx: Context, press: Press) -> None:
    event = await organisers.require_organiser(ctx, press.payload["event"])
    payload = {"event": event["ref"]}
    await ctx.replace(
        press.message_id,
        ui.Screen(
            title=f"Cancel {event['title']}?",
            body=[
                ui.Text(text=f"Every one of its {event['sold']} tickets is refunded, and each holder told."),
                ui.Button(label="Yes, cancel it", action="confirm_cancel", payload=payload, style="danger"),
                ui.Button(label="Keep it", action="organiser_view_here", payload=payload),
            ],
        ),
    )


@action("organiser_view_here")
async def organiser_view_here(ctx: Context, press: Press) -> None:
    event = await organisers.require_organiser(ctx, press.payload["event"])
    await ctx.replace(press.message_id, screens.organiser_page(ctx.db, event, Viewer.of(ctx)))


@action("confirm_cancel", once=True)
async def confirm_cancel(ctx: Context, press: Press) -> None:
    ref = (await organisers.require_organiser(ctx, press.payload["event"]))["ref"]
    first, count = await ctx.transaction(lambda tx: refunds.cancel(tx, ref, ctx.now()))
    event = organising.event(ctx.db, ref)
    await ctx.replace(press.message_id, screens.organiser_page(ctx.db, event, Viewer.of(ctx)))
    if first:
        await ctx.show(
            f"{event['title']} is cancelled: {count} tickets are being refunded, and their holders told."
        )


class StaffArgs(BaseModel):
    event: str = Field(max_length=12, description="The event's reference, such as E-4F9KQ")
    person: PublicUser


@command("doorstaff", help="Let someone in this chat check tickets in at your event's door", args=StaffArgs)
async def doorstaff(ctx: Context, args: StaffArgs) -> str:
    event = await organisers.require_organiser(ctx, args.event)
    name = args.person.display_name
    added = await ctx.transaction(
        lambda tx: organising.add_staff(tx.db, event["ref"], args.person.id, name, ctx.now())
    )
    return f"{name} {'now keeps' if added else 'already keeps'} the door of {event['title']}: /checkin CODE."


COMMANDS = [tickets_command, mytickets, checkin_command, organise, doorstaff]
ACTIONS = [
    list_events,
    find_events,
    open_event,
    choose_seats,
    pick_seat,
    hold_places,
    pay,
    release,
    more_tickets,
    return_ticket,
    create_event,
    organiser_view,
    organiser_view_here,
    cancel_event,
    confirm_cancel,
]
