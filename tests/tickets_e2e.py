"""Helpers of the tickets' end-to-end tests: many people at a real ``souk serve``, an event, paying.

A server allows 100 sign-in codes an hour from one address, so the clients
of a crowd connect from several loopback addresses (127.0.0.1, 127.0.0.2, ...),
each its own client for that count, as people behind different networks are.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import httpx
from e2e_support import ServerProcess, run_cli
from test_shop_oversell import Client, button

TICKETS = "/api/v1/apps/tickets"
CARD_OK = "4242424242424242"
PER_ADDRESS = 90


def address(index: int) -> str:
    return f"127.0.0.{1 + index // PER_ADDRESS}"


def crowd_client(server: ServerProcess, index: int) -> Client:
    """A client of person ``index``, from its loopback address; every answer checked against the document."""
    http = httpx.AsyncClient(
        base_url=server.base_url,
        transport=httpx.AsyncHTTPTransport(local_address=address(index), verify=False),
        trust_env=False,
        timeout=30.0,
        event_hooks=server.responses.async_hooks(),
    )
    return Client(http)


async def crowd(server: ServerProcess, count: int, phone: str, name: str) -> list[Client]:
    """``count`` people signed in (numbers ``phone.format(i)``), ten at a time."""
    gate = asyncio.Semaphore(10)

    async def one(index: int) -> Client:
        async with gate:
            client = crowd_client(server, index)
            await client.sign_in(phone.format(index), f"{name} {index:03d}")
            return client

    return list(await asyncio.gather(*(one(i) for i in range(count))))


def enable(server: ServerProcess, *apps: str, country: str = "IN") -> None:
    for app in apps:
        done = run_cli("plugins", "enable", app, "--country", country, "--data", str(server.data_dir))
        assert done.returncode == 0, done.stderr


def event_body(
    title: str, rows: dict[str, int], price: str = "500", max_per_order: int = 10
) -> dict[str, Any]:
    """An event in Mumbai in 30 days whose seat map is ``rows`` (label: seats), all one price."""
    day = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).date().isoformat()
    return {
        "title": title,
        "venue": "Tata Theatre",
        "city": "Mumbai",
        "country": "IN",
        "time_zone": "Asia/Kolkata",
        "starts": f"{day} 20:00",
        "ends": f"{day} 23:00",
        "max_per_order": max_per_order,
        "categories": [{"code": "std", "name": "Standard", "price": price}],
        "seating": {
            "kind": "seated",
            "sections": [
                {
                    "name": "Hall",
                    "rows": [{"label": r, "seats": n, "category": "std"} for r, n in rows.items()],
                }
            ],
        },
    }


def tickets_db(server: ServerProcess) -> sqlite3.Connection:
    """The tickets database, read-only, as another process sees it."""
    path = Path(server.data_dir) / "apps" / "tickets.db"
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)


def double_claims(server: ServerProcess, event: str) -> list[tuple[str, int]]:
    """Seats on more than one active booking (held, paying or paid), or with more than one valid ticket."""
    with tickets_db(server) as db:
        active = db.execute(
            "SELECT bs.seat, COUNT(*) FROM booking_seats bs JOIN bookings b ON b.ref = bs.booking "
            "WHERE b.event = ? AND b.status IN ('held', 'paying', 'paid') "
            "AND (b.status = 'paid' OR b.hold_until > ?) "
            "GROUP BY bs.seat HAVING COUNT(*) > 1",
            [event, dt.datetime.now(dt.UTC).isoformat()],
        ).fetchall()
        sold = db.execute(
            "SELECT seat, COUNT(*) FROM tickets WHERE event = ? AND status = 'valid' "
            "GROUP BY seat HAVING COUNT(*) > 1",
            [event],
        ).fetchall()
    return active + sold


async def sample(
    server: ServerProcess, event: str, stop: asyncio.Event, seen: list[list[tuple[str, int]]]
) -> None:
    """Look for a seat claimed twice every 10 ms until ``stop``; each look's findings go into ``seen``."""
    while not stop.is_set():
        seen.append(await asyncio.to_thread(double_claims, server, event))
        await asyncio.sleep(0.01)


async def pay_for(person: Client, booking: str, index: int, amount: str = "5000.00") -> dict[str, Any]:
    """Allow payments, top up with the sandbox card, ask to pay the booking and Confirm the card."""
    await person.allow("payments", "/wallet")
    topup = await person.call(
        "POST", "/api/v1/apps/payments/topups",
        {"amount": amount, "card": CARD_OK, "idempotency_key": f"tickets-{index}"}, expect=(201,),
    )  # fmt: skip
    assert topup["status"] == "approved", topup
    asked = await person.call("POST", f"{TICKETS}/bookings/{booking}/payment", expect=(201,))
    message, confirm = await person.wait_for(
        "payments",
        lambda c: button("Confirm")(c) and c.get("payload", {}).get("payment_id") == asked["payment_id"],
    )
    assert await person.press(message, confirm) == "ok"
    return asked
