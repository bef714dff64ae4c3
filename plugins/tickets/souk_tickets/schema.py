"""The tickets database: events and their seats, claims on seats, bookings, tickets, check-ins.

The rule that no seat is ever held or sold twice is the primary key of
``claims``: a seat of an event has at most one claim, and a hold is one
``INSERT`` that either takes it or finds it taken.  General admission counts
instead, with a CHECK that holds and sales never pass the capacity.
"""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlite_utils import Database, Migrations

migrations = Migrations("tickets")


@migrations()
def m001_events_seats_bookings_tickets(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE events (
            ref TEXT PRIMARY KEY,
            organiser TEXT NOT NULL,
            organiser_name TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            venue TEXT NOT NULL,
            city TEXT NOT NULL,
            country TEXT NOT NULL,
            currency TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            sales_start TEXT NOT NULL,
            sales_end TEXT NOT NULL,
            seating TEXT NOT NULL CHECK (seating IN ('seated', 'general')),
            capacity INTEGER NOT NULL CHECK (capacity > 0),
            general_category TEXT,
            -- Seats or places held by bookings waiting for payment, and sold: never past the capacity.
            held INTEGER NOT NULL DEFAULT 0,
            sold INTEGER NOT NULL DEFAULT 0,
            max_per_order INTEGER NOT NULL CHECK (max_per_order > 0),
            return_cutoff_hours INTEGER NOT NULL CHECK (return_cutoff_hours >= 0),
            status TEXT NOT NULL CHECK (status IN ('on_sale', 'cancelled')),
            cancelled_at TEXT,
            created_at TEXT NOT NULL,
            CHECK (held >= 0 AND sold >= 0 AND held + sold <= capacity)
        );
        CREATE INDEX events_country ON events(country, starts_at);
        CREATE INDEX events_organiser ON events(organiser, starts_at);
        CREATE TABLE categories (
            event TEXT NOT NULL REFERENCES events(ref),
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            price INTEGER NOT NULL CHECK (price > 0),
            position INTEGER NOT NULL,
            PRIMARY KEY (event, code)
        );
        CREATE TABLE seats (
            event TEXT NOT NULL REFERENCES events(ref),
            seat TEXT NOT NULL,
            section TEXT NOT NULL,
            row TEXT NOT NULL,
            number INTEGER NOT NULL,
            position INTEGER NOT NULL,
            category TEXT NOT NULL,
            blocked INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (event, seat)
        );
        CREATE TABLE claims (
            event TEXT NOT NULL,
            seat TEXT NOT NULL,
            booking TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('held', 'sold')),
            PRIMARY KEY (event, seat)
        );
        CREATE INDEX claims_booking ON claims(booking);
        CREATE TABLE bookings (
            ref TEXT PRIMARY KEY,
            event TEXT NOT NULL REFERENCES events(ref),
            buyer TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN
                ('held', 'paying', 'paid', 'expired', 'released', 'failed', 'cancelled', 'refunded')),
            quantity INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
            total INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
            currency TEXT NOT NULL,
            payment_id TEXT,
            hold_until TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            paid_at TEXT
        );
        -- One open booking per person and event: the seats they are choosing or paying for.
        CREATE UNIQUE INDEX bookings_open ON bookings(event, buyer) WHERE status IN ('held', 'paying');
        CREATE INDEX bookings_buyer ON bookings(buyer, created_at);
        CREATE TABLE booking_seats (
            booking TEXT NOT NULL REFERENCES bookings(ref),
            seat TEXT NOT NULL,
            category TEXT NOT NULL,
            price INTEGER NOT NULL,
            PRIMARY KEY (booking, seat)
        );
        CREATE TABLE tickets (
            ref TEXT PRIMARY KEY,
            event TEXT NOT NULL REFERENCES events(ref),
            booking TEXT NOT NULL REFERENCES bookings(ref),
            holder TEXT NOT NULL,
            seat TEXT,
            category TEXT NOT NULL,
            price INTEGER NOT NULL,
            code TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL CHECK (status IN ('valid', 'refund_due', 'refunded')),
            refund_reason TEXT CHECK (refund_reason IN ('returned', 'cancelled')),
            issued_at TEXT NOT NULL,
            returned_at TEXT,
            refunded_at TEXT,
            told INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX tickets_holder ON tickets(holder, issued_at);
        CREATE INDEX tickets_event ON tickets(event, status);
        CREATE INDEX tickets_booking ON tickets(booking);
        CREATE TABLE checkins (
            ticket TEXT PRIMARY KEY REFERENCES tickets(ref),
            event TEXT NOT NULL,
            at TEXT NOT NULL,
            by_id TEXT NOT NULL,
            by_name TEXT NOT NULL
        );
        CREATE TABLE staff (
            event TEXT NOT NULL REFERENCES events(ref),
            user_id TEXT NOT NULL,
            name TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (event, user_id)
        );
        CREATE INDEX staff_user ON staff(user_id);
        CREATE TABLE hold_times (
            country TEXT PRIMARY KEY,
            minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 120),
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL
        );
        -- The seat-map messages on show, per event, and what each last showed (to skip replacing
        -- a map with itself); an event whose maps are due a refresh (a burst of holds is one).
        CREATE TABLE map_views (
            message_id TEXT PRIMARY KEY,
            event TEXT NOT NULL,
            viewer TEXT NOT NULL,
            locale TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            shown TEXT NOT NULL,
            shown_at TEXT NOT NULL
        );
        CREATE INDEX map_views_event ON map_views(event, shown_at);
        CREATE TABLE map_refresh (event TEXT PRIMARY KEY, asked_at TEXT NOT NULL);
        """
    )


@migrations()
def m002_signing_key(db: Database) -> None:
    """The server's own Ed25519 key pair, made once: tickets are signed with it, door scanners
    verify with its public half alone (no database, no secret)."""
    private = Ed25519PrivateKey.generate()
    db["signing_key"].create(
        {"id": int, "private_key": bytes, "public_key": bytes, "created_at": str}, pk="id"
    )
    db["signing_key"].insert(
        {
            "id": 1,
            "private_key": private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
            "public_key": private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
        }
    )


@migrations()
def m003_ticket_qr_images(db: Database) -> None:
    """Where a ticket's QR image is kept in Souk's media store (filled when a card first shows it)."""
    db.execute("ALTER TABLE tickets ADD COLUMN qr_image TEXT")


@migrations()
def m004_events_of_businesses(db: Database) -> None:
    """An event may be a business's (its ``id`` in Souk): its admins manage it, its staff keep its
    door, asked of the business at each action. ``NULL`` for an event its own organiser runs."""
    db.execute("ALTER TABLE events ADD COLUMN business_id TEXT")
    db.execute("CREATE INDEX events_business ON events(business_id, starts_at)")
