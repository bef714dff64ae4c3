"""What an organiser gives to create an event (the API's body; the chat form is read into it), checked.

:class:`EventIn` is the shape (pydantic refuses a capacity of zero, an unknown
seating kind, a row of 500 seats); :func:`plan` is the meaning, against the
clock and the platform: the time zone belongs to the country, the times exist
on its clock, the sales window is open in the future and closes by the end,
the prices are amounts of the country's currency, every seat named exists, and
the mini-app runs in that country.  A refusal names the field it is about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from souk_sdk import SoukError, ui
from souk_sdk.money import InvalidAmount, currency_for, parse_amount

from . import seatrows, times

CODE = r"^[a-z][a-z0-9_]{0,15}$"
ROW = r"^[A-Z]{1,3}$"
MAX_SEATS = 2000


class Refused(SoukError):
    """An event that cannot be created as given: ``field`` is the part that is wrong."""

    code, status = "invalid_event", 422

    def __init__(self, field: str, message: str, code: str = "invalid_event") -> None:
        super().__init__(message)
        self.field = field
        self.code = code


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CategoryIn(_Strict):
    code: str = Field(pattern=CODE, description="Short name the seating refers to: gold")
    name: str = Field(min_length=1, max_length=40, description="As buyers see it: Gold")
    price: str = Field(max_length=20, description="In the currency of the event's country: 2500.00")


class RowIn(_Strict):
    label: str = Field(pattern=ROW, description="A, B, ... AA: unique across the event")
    seats: int = Field(ge=1, le=100)
    category: str = Field(pattern=CODE)
    first: int = Field(default=1, ge=1, le=999, description="The number of its first seat")


class SectionIn(_Strict):
    name: str = Field(min_length=1, max_length=60)
    rows: list[RowIn] = Field(min_length=1, max_length=100)


class SeatedIn(_Strict):
    kind: Literal["seated"]
    sections: list[SectionIn] = Field(min_length=1, max_length=20)
    blocked: list[str] = Field(
        default_factory=list, max_length=MAX_SEATS, description="Seats not for sale: A1"
    )


class GeneralIn(_Strict):
    kind: Literal["general"]
    capacity: int = Field(ge=1, le=100_000)
    category: str = Field(pattern=CODE)


class EventIn(_Strict):
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)
    venue: str = Field(min_length=1, max_length=120)
    city: str = Field(min_length=1, max_length=80)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    time_zone: str = Field(max_length=64, description="IANA name, one of the country's: America/Sao_Paulo")
    starts: str = Field(max_length=32, description="On the event's clock: 2026-12-12 20:00")
    ends: str = Field(max_length=32)
    sales_start: str | None = Field(default=None, max_length=32, description="Default: now")
    sales_end: str | None = Field(default=None, max_length=32, description="Default: when it starts")
    organiser_name: str | None = Field(
        default=None, max_length=80, description="Who buyers pay, as they know them (default: the title)"
    )
    business: str | None = Field(
        default=None,
        max_length=64,
        description="The business that organises it, by handle or id (you must be one of its admins): "
        "buyers pay it by its name, its admins manage the event, its staff keep the door",
    )
    max_per_order: int = Field(default=6, ge=1, le=20, description="The most tickets one booking may hold")
    return_cutoff_hours: int = Field(
        default=24, ge=0, le=720, description="Tickets may be returned until this many hours before the start"
    )
    categories: list[CategoryIn] = Field(min_length=1, max_length=12)
    seating: Annotated[SeatedIn | GeneralIn, Field(discriminator="kind")]


@dataclass
class SeatPlan:
    seat: str
    section: str
    row: str
    number: int
    category: str
    blocked: bool


@dataclass
class Plan:
    """An event ready to store: times as UTC moments, prices in minor units, every seat."""

    data: EventIn
    currency: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    sales_start: dt.datetime
    sales_end: dt.datetime
    prices: dict[str, int]
    seats: list[SeatPlan] = field(default_factory=list)

    @property
    def capacity(self) -> int:
        if isinstance(self.data.seating, GeneralIn):
            return self.data.seating.capacity
        return sum(not s.blocked for s in self.seats)


def _moment(data: EventIn, name: str, text: str) -> dt.datetime:
    try:
        return times.to_utc(times.parse(text), data.time_zone)
    except times.BadTime as exc:
        raise Refused(name, str(exc)) from None


def _prices(data: EventIn, currency: str) -> dict[str, int]:
    prices: dict[str, int] = {}
    for category in data.categories:
        if category.code in prices:
            raise Refused("categories", f"the category {category.code} is given twice")
        try:
            prices[category.code] = parse_amount(category.price, currency)
        except InvalidAmount as exc:
            raise Refused("categories", f"{category.name}: {exc}") from None
    return prices


def _seats(seating: SeatedIn, prices: dict[str, int]) -> list[SeatPlan]:
    seats: list[SeatPlan] = []
    labels: set[str] = set()
    for section in seating.sections:
        for row in section.rows:
            if row.label in labels:
                raise Refused("seating", f"row {row.label} is given twice: a row's letters name one row")
            if row.category not in prices:
                raise Refused("seating", f"row {row.label} names no category of the event: {row.category}")
            labels.add(row.label)
            for number in range(row.first, row.first + row.seats):
                seats.append(
                    SeatPlan(f"{row.label}{number}", section.name, row.label, number, row.category, False)
                )
    if len(seats) > MAX_SEATS:
        raise Refused("seating", f"a seat map has at most {MAX_SEATS} seats; this one has {len(seats)}")
    by_id = {s.seat: s for s in seats}
    for seat in seating.blocked:
        if seat not in by_id:
            raise Refused("seating", f"there is no seat {seat} to block", code="no_such_seat")
        by_id[seat].blocked = True
    if all(s.blocked for s in seats):
        raise Refused("seating", "every seat is blocked: there would be nothing to sell")
    return seats


def _fits_a_message(seats: list[SeatPlan], data: EventIn, currency: str) -> None:
    """The seat map must fit in a chat message, drawn as plain text too (one mark per seat)."""
    chart = ui.SeatMap(
        action="pick_seat",
        sections=seatrows.sections([vars(s) | {"state": "free"} for s in seats]),
        categories=[
            ui.SeatCategory(code=c.code, label=f"{c.name} {currency} {c.price}") for c in data.categories
        ],
    )
    size = len(chart.to_text())
    if size > seatrows.MAP_TEXT_MAX:
        raise Refused(
            "seating",
            f"this seat map is too large to show in a chat ({size} characters as text, at most "
            f"{seatrows.MAP_TEXT_MAX}): use fewer rows or sections, or longer rows",
        )


def plan(data: EventIn, now: dt.datetime, serves: bool) -> Plan:
    """Check ``data`` against the clock (``now``) and the platform (``serves``: the mini-app runs
    in its country); the event as it will be stored, or :class:`Refused`."""
    if not serves:
        raise Refused("country", f"Tickets does not run in {data.country}", code="country_not_served")
    if data.time_zone not in times.zones_of(data.country):
        zones = ", ".join(times.zones_of(data.country)[:4]) or "none known"
        raise Refused("time_zone", f"{data.time_zone} is not a time zone of {data.country} (such as {zones})")
    currency = currency_for(data.country)
    starts, ends = _moment(data, "starts", data.starts), _moment(data, "ends", data.ends)
    sales_start = _moment(data, "sales_start", data.sales_start) if data.sales_start else now
    sales_end = _moment(data, "sales_end", data.sales_end) if data.sales_end else starts
    if starts <= now:
        raise Refused("starts", "the event must start in the future")
    if ends <= starts:
        raise Refused("ends", "the event must end after it starts")
    if sales_end <= now:
        raise Refused("sales_end", "the sales window is in the past: it must close in the future")
    if sales_end <= sales_start:
        raise Refused("sales_end", "the sales window must close after it opens")
    if sales_end > ends:
        raise Refused("sales_end", "sales must close by the time the event ends")
    prices = _prices(data, currency)
    seating = data.seating
    if isinstance(seating, GeneralIn):
        if seating.category not in prices:
            raise Refused("seating", f"general admission names no category of the event: {seating.category}")
        seats: list[SeatPlan] = []
    else:
        seats = _seats(seating, prices)
        _fits_a_message(seats, data, currency)
    return Plan(data, currency, starts, ends, sales_start, sales_end, prices, seats)
