"""What the tickets' HTTP routes answer: the models the OpenAPI document publishes.

No internal ids of people: a booking or ticket names its event by reference,
the organiser by the name buyers pay; the buyer's id is not sent.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["on_sale", "cancelled"]
SeatState = Literal["free", "held", "sold", "blocked", "mine"]
BookingStatus = Literal["held", "paying", "paid", "expired", "released", "failed", "cancelled", "refunded"]


class Category(BaseModel):
    code: str
    name: str
    price: int = Field(description="Minor units of the event's currency")


class Event(BaseModel):
    ref: str = Field(description="What people call it: E-4F9KQ")
    title: str
    description: str
    venue: str
    city: str
    country: str
    currency: str
    time_zone: str = Field(description="The event's own clock (IANA)")
    starts_at: str = Field(description="UTC, ISO 8601")
    ends_at: str
    starts_local: str = Field(description="On the event's clock: Sat 12 Dec 2026, 20:00")
    starts_yours: str = Field(description="On your clock")
    sales_start: str
    sales_end: str
    seating: Literal["seated", "general"]
    capacity: int
    left: int = Field(description="Neither held nor sold")
    max_per_order: int
    return_cutoff_hours: int
    organiser_name: str = Field(description="Who buyers pay")
    business_id: str | None = Field(
        default=None, description="The business that organises it (its id in Souk), if one does"
    )
    status: Status
    categories: list[Category]


class Events(BaseModel):
    events: list[Event] = Field(description="Upcoming, soonest first: one page")
    more: bool


class Seat(BaseModel):
    seat: str = Field(description="Its id: row and number, A12")
    section: str
    row: str
    number: int
    category: str
    state: SeatState = Field(description="As you see it: mine is held by you")


class Seats(BaseModel):
    event: str
    seats: list[Seat]


class Booking(BaseModel):
    ref: str = Field(description="What people call it: B-7K2Q")
    event: str
    status: BookingStatus
    seats: list[str] = Field(description="Seat ids, for a seat map")
    quantity: int = Field(description="Places, for general admission")
    total: int = Field(description="Minor units")
    currency: str
    hold_until: str = Field(description="UTC: the seats are held for you until then")


class Bookings(BaseModel):
    bookings: list[Booking]


class Payment(BaseModel):
    booking: Booking
    payment_id: str
    payment_status: str


class Ticket(BaseModel):
    ref: str = Field(description="T-8F3K2MQ9")
    event: str
    event_title: str
    booking: str
    seat: str | None = Field(description="None for general admission")
    category: str
    price: int
    status: Literal["valid", "refund_due", "refunded"]
    refund_reason: Literal["returned", "cancelled"] | None
    code: str = Field(description="Signed: verify it with the public key (docs/tickets.md)")
    qr_url: str = Field(description="The QR code as PNG, for you and the event's door")
    checked_in_at: str | None


class Tickets(BaseModel):
    tickets: list[Ticket]


class Verdict(BaseModel):
    accepted: bool
    outcome: Literal[
        "accepted",
        "already_used",
        "invalid",
        "other_event",
        "not_door_staff",
        "returned",
        "cancelled",
        "unknown",
    ]
    message: str = Field(description="For the person at the door")
    ticket: str | None
    event: str | None
    seat: str | None
    used_at: str | None = Field(description="When it was checked in (UTC)")
    used_by: str | None


class Verification(BaseModel):
    valid: bool = Field(description="Signed by this server's key: what an offline scanner says")
    reason: str | None
    event: str | None
    ticket: str | None
    seat: str | None
    state: Literal["valid", "refund_due", "refunded", "used", "unknown"] | None = Field(
        description="The ticket here, for its event's door only"
    )


class PublicKey(BaseModel):
    algorithm: Literal["Ed25519"]
    key_id: str
    public_key: str = Field(description="The 32 raw bytes, base64url without padding")
    pem: str


class Staff(BaseModel):
    event: str
    staff: list[str] = Field(description="The door staff's names")


class Cancelled(BaseModel):
    event: str
    status: Status
    tickets_refunded: int = Field(
        description="Tickets the cancellation gives back (refunds follow, once each)"
    )
