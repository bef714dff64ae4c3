"""HTTP endpoints: events, seats, holds, payment, tickets and their QR codes, the door, the public key."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from pydantic import BaseModel, Field, model_validator
from souk_sdk import (
    ApiError,
    ApiRequest,
    Context,
    NotFound,
    PaymentError,
    PaymentsUnavailable,
    PublicUser,
    SoukError,
    api_route,
)

from . import (
    agenda,
    checkin,
    eventspec,
    hold_times,
    holding,
    issuing,
    organisers,
    organising,
    paying,
    qr,
    refunds,
    seatmap,
    signing,
    times,
)
from . import responses as r
from .chat import me

Handler = Callable[[Context, ApiRequest], Awaitable[Any]]


def refusal(exc: SoukError) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, NotFound):
        return ApiError(404, "not_found", str(exc))
    if isinstance(exc, eventspec.Refused):
        return ApiError(422, exc.code, str(exc), details={"field": exc.field})
    if isinstance(exc, PaymentsUnavailable):
        return ApiError(409, "payments_unavailable", str(exc))
    if isinstance(exc, PaymentError):
        return ApiError(409, "payment_refused", str(exc))
    return ApiError(getattr(exc, "status", 422), getattr(exc, "code", "refused"), str(exc))


def refusing(handler: Handler) -> Handler:
    """The handler, with every :class:`SoukError` it raises answered as a clear 4xx (:func:`refusal`)."""

    @functools.wraps(handler)
    async def answer(ctx: Context, request: ApiRequest) -> Any:
        try:
            return await handler(ctx, request)
        except SoukError as exc:
            raise refusal(exc) from None

    return answer


def _event_here(ctx: Context, ref: str) -> dict[str, Any]:
    return organising.visible_event(ctx.db, ref, ctx.country, me(ctx))


def event_out(ctx: Context, event: dict[str, Any]) -> dict[str, Any]:
    starts = dt.datetime.fromisoformat(event["starts_at"])
    return {k: event[k] for k in r.Event.model_fields if k in event} | {
        "starts_local": times.on_clock(starts, event["time_zone"]),
        "starts_yours": times.on_clock(starts, ctx.time_zone),
        "left": agenda.left(event),
        "categories": organising.categories(ctx.db, event["ref"]),
    }


def booking_out(ctx: Context, row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("ref", "event", "status", "quantity", "total", "currency", "hold_until")} | {
        "seats": holding.booking_seats(ctx.db, row["ref"])
    }


def ticket_out(ctx: Context, ticket: dict[str, Any]) -> dict[str, Any]:
    used = ctx.db.execute("SELECT at FROM checkins WHERE ticket = ?", [ticket["ref"]]).fetchone()
    title = ctx.db.execute("SELECT title FROM events WHERE ref = ?", [ticket["event"]]).fetchone()[0]
    fields = ("ref", "event", "booking", "seat", "category", "price", "status", "refund_reason", "code")
    return {k: ticket[k] for k in fields} | {
        "event_title": title,
        "qr_url": issuing.qr_path(ticket["ref"]),
        "checked_in_at": used[0] if used else None,
    }


# -- finding and creating ------------------------------------------------------------------------


def _day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid_request", f"{name} is a day like 2026-12-12") from None


@api_route(
    "GET", "/events", summary="Upcoming events of your country (?city=&from=&to=&offset=)", response=r.Events
)
async def list_events(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    q = request.query
    try:
        offset = int(q.get("offset", "0"))
    except ValueError:
        raise ApiError(422, "invalid_request", "offset is a whole number") from None
    if not 0 <= offset <= 10_000 or len(q.get("city", "")) > 80:
        raise ApiError(422, "invalid_request", "offset is 0 to 10000, city at most 80 characters")
    search = agenda.Search(
        ctx.country or "", q.get("city", ""), _day(q.get("from"), "from"), _day(q.get("to"), "to"), offset
    )
    found, more = agenda.upcoming(ctx.db, search, ctx.now())
    return {"events": [event_out(ctx, e) for e in found], "more": more}


@api_route(
    "POST",
    "/events",
    summary="Create an event (you organise it, or a business you are an admin of: 403 not_business_admin)",
    body=eventspec.EventIn,
    response=r.Event,
    status=201,
)
@refusing
async def create_event(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    data: eventspec.EventIn = request.body
    plan = eventspec.plan(data, ctx.now(), ctx.live_in(data.country))
    business = await organisers.organising_for(ctx, data.business)
    ref = await ctx.transaction(lambda tx: organising.create_event(tx.db, me(ctx), plan, ctx.now(), business))
    return event_out(ctx, organising.event(ctx.db, ref))


@api_route("GET", "/events/{event}", summary="One event, its times on its clock and yours", response=r.Event)
@refusing
async def one_event(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    return event_out(ctx, await organisers.named(ctx, _event_here(ctx, request.path["event"])))


@api_route(
    "GET", "/events/{event}/seats", summary="Every seat of a seat map, as you see it", response=r.Seats
)
@refusing
async def seats(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    event = _event_here(ctx, request.path["event"])
    return {"event": event["ref"], "seats": seatmap.states(ctx.db, event["ref"], me(ctx))}


# -- holding and paying --------------------------------------------------------------------------


class HoldIn(BaseModel):
    """Seats of a seat map, or a quantity for general admission: exactly one of them."""

    seats: list[Annotated[str, Field(max_length=16)]] | None = Field(
        default=None, min_length=1, max_length=20
    )
    quantity: int | None = Field(default=None, ge=1, le=20)

    @model_validator(mode="after")
    def _one(self) -> HoldIn:
        if (self.seats is None) == (self.quantity is None):
            raise ValueError("give exactly one of seats, quantity")
        return self


@api_route(
    "POST",
    "/events/{event}/holds",
    summary="Hold seats (or places) for you while you pay: all of them, or 409 seat_taken",
    body=HoldIn,
    response=r.Booking,
    status=201,
)
@refusing
async def hold(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    body: HoldIn = request.body
    event = _event_here(ctx, request.path["event"])
    minutes = hold_times.for_handler(ctx, event["country"])
    if (body.seats is not None) != (event["seating"] == "seated"):
        kind = "seats" if event["seating"] == "seated" else "a quantity"
        raise ApiError(422, "invalid_request", f"{event['title']} is booked by {kind}")
    wanted, quantity = body.seats, body.quantity or 0
    if wanted is not None:
        row = await ctx.transaction(
            lambda tx: holding.hold_seats(tx, event, me(ctx), wanted, ctx.now(), minutes)
        )
    else:
        row = await ctx.transaction(
            lambda tx: holding.hold_places(tx, event, me(ctx), quantity, ctx.now(), minutes)
        )
    return booking_out(ctx, row)


def _my_booking(ctx: Context, ref: str) -> dict[str, Any]:
    row = holding.booking(ctx.db, ref)
    if row["buyer"] != me(ctx):
        raise NotFound(f"there is no booking {ref}")
    return row


@api_route("GET", "/bookings", summary="Your bookings, newest first", response=r.Bookings)
async def my_bookings(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    rows = ctx.db.query(
        "SELECT * FROM bookings WHERE buyer = ? ORDER BY created_at DESC LIMIT 100", [me(ctx)]
    )
    return {"bookings": [booking_out(ctx, row) for row in rows]}


@api_route(
    "DELETE", "/bookings/{booking}", summary="Let the seats of an unpaid booking go", response=r.Booking
)
@refusing
async def release(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    row = _my_booking(ctx, request.path["booking"])
    if row["status"] == "paying":
        raise ApiError(409, "booking_locked", "its payment was asked for: cancel it on the payment card")
    await ctx.transaction(lambda tx: holding.release(tx, row["ref"], "released", ctx.now()))
    return booking_out(ctx, holding.booking(ctx.db, row["ref"]))


@api_route(
    "POST",
    "/bookings/{booking}/payment",
    summary="Ask to pay for a held booking",
    response=r.Payment,
    status=201,
)
@refusing
async def pay(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    row, result = await paying.pay(ctx, _my_booking(ctx, request.path["booking"])["ref"])
    return {
        "booking": booking_out(ctx, row),
        "payment_id": result.payment_id,
        "payment_status": result.status,
    }


# -- tickets ---------------------------------------------------------------------------------------


@api_route("GET", "/tickets", summary="Your tickets, with their codes and QR images", response=r.Tickets)
async def my_tickets(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    return {"tickets": [ticket_out(ctx, t) for t in issuing.of_holder(ctx.db, me(ctx))]}


@api_route(
    "GET",
    "/tickets/{ticket}/qr",
    summary="A ticket's QR code (its holder, its event's door)",
    media_type="image/png",
)
@refusing
async def ticket_qr(ctx: Context, request: ApiRequest) -> bytes:
    ticket = issuing.ticket(ctx.db, request.path["ticket"])
    if ticket["holder"] != me(ctx) and not await organisers.runs_door(ctx, ticket["event"]):
        raise ApiError(404, "not_found", f"there is no ticket {request.path['ticket']}")
    return qr.png(ticket["code"])


@api_route(
    "POST",
    "/tickets/{ticket}/return",
    summary="Return a ticket before the cut-off: refunded",
    response=r.Ticket,
)
@refusing
async def return_ticket(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    ticket = await ctx.transaction(
        lambda tx: refunds.give_back(tx, request.path["ticket"], me(ctx), ctx.now())
    )
    return ticket_out(ctx, ticket)


# -- the door ---------------------------------------------------------------------------------------


class CodeIn(BaseModel):
    code: str = Field(min_length=1, max_length=400, description="A ticket's code (what its QR holds)")


@api_route(
    "POST",
    "/events/{event}/checkins",
    summary="Check a ticket in at this event's door (its organiser and door staff): once",
    body=CodeIn,
    response=r.Verdict,
)
@refusing
async def check_in(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    code, door = request.body.code, request.path["event"]
    event = organising.event(ctx.db, door)
    by_business = await organisers.business_door(ctx, event["ref"])
    if not by_business and not organising.runs_door(ctx.db, event["ref"], me(ctx)):
        raise ApiError(403, "not_door_staff", f"you do not keep the door of {event['title']}")
    door = event["ref"] if by_business else None
    verdict = await ctx.transaction(
        lambda tx: checkin.check_in(tx.db, code, me(ctx), ctx.now(), event["ref"], door)
    )
    return vars(verdict) | {"accepted": verdict.accepted}


@api_route(
    "POST",
    "/codes/verify",
    summary="Read a ticket code without checking it in",
    body=CodeIn,
    response=r.Verification,
)
async def verify(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    found = checkin.verify_only(ctx.db, request.body.code)
    if found["event"] is None or not await organisers.runs_door(ctx, found["event"]):
        found["state"] = None
    return found


@api_route(
    "GET",
    "/public-key",
    summary="The key tickets are signed with, to verify them offline",
    response=r.PublicKey,
)
async def public_key(ctx: Context, request: ApiRequest) -> dict[str, str]:
    return signing.published(ctx.db)


# -- organisers -------------------------------------------------------------------------------------


class StaffIn(BaseModel):
    person: PublicUser


@api_route(
    "POST",
    "/events/{event}/staff",
    summary="Name someone door staff of your event",
    body=StaffIn,
    response=r.Staff,
)
@refusing
async def add_staff(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    person: PublicUser = request.body.person
    event = await organisers.require_organiser(ctx, request.path["event"])
    await ctx.transaction(
        lambda tx: organising.add_staff(tx.db, event["ref"], person.id, person.display_name, ctx.now())
    )
    return {"event": event["ref"], "staff": organising.staff_names(ctx.db, event["ref"])}


@api_route(
    "POST",
    "/events/{event}/cancel",
    summary="Cancel your event: every ticket refunded once, every holder told (repeating it changes nothing)",
    response=r.Cancelled,
)
@refusing
async def cancel(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    ref = (await organisers.require_organiser(ctx, request.path["event"]))["ref"]
    _, count = await ctx.transaction(lambda tx: refunds.cancel(tx, ref, ctx.now()))
    event = organising.event(ctx.db, ref)
    return {"event": event["ref"], "status": event["status"], "tickets_refunded": count}


ROUTES = [
    list_events,
    create_event,
    one_event,
    seats,
    hold,
    my_bookings,
    release,
    pay,
    my_tickets,
    ticket_qr,
    return_ticket,
    check_in,
    verify,
    public_key,
    add_staff,
    cancel,
]
