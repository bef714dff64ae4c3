"""A rush for seats over the real HTTP API of a real server: no seat is ever held or sold twice.

A ``souk serve`` process with tickets and payments enabled in India.  200
people (signed in from three loopback addresses) race:

1. for the 50 seats of a map: each holds a seat it saw free, and on "seat
   taken" looks at the map again and tries a seat still free, until it holds
   one or none is left: exactly 50 win, 150 are told every seat they tried is
   taken (409 ``seat_taken``), never a 5xx.  Five winners then pay (payments'
   sandbox card and Confirm): their seats are sold; the other winners let theirs
   go, and the 200 race again: 45 win, and nobody takes a sold seat;
2. for 1 seat, round after round (10 rounds; ``SOUK_STRESS=1``: 100): one
   wins, 199 are told it is taken; the winner lets it go for the next round.

A sampler reads the database every 10 ms during each race and finds no seat
on two active bookings, nor with two valid tickets; the database is checked
again after every round; the ledger is clean at the end.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest
from e2e_support import ServerProcess, run_cli, sign_in
from stress import STRESS
from test_shop_oversell import Client
from tickets_e2e import TICKETS, crowd, double_claims, enable, event_body, pay_for, sample, tickets_db

PEOPLE = 200
ONE_SEAT_ROUNDS = 100 if STRESS else 10

pytestmark = pytest.mark.stress


async def hold_any(person: Client, event: str, rng: random.Random) -> tuple[str | None, list[dict[str, Any]]]:
    """Hold one seat seen free, looking at the map again after each "taken"; (seat or None, refusals)."""
    refusals: list[dict[str, Any]] = []
    while True:
        seats = (await person.call("GET", f"{TICKETS}/events/{event}/seats"))["seats"]
        free = [s["seat"] for s in seats if s["state"] == "free"]
        if not free:
            return None, refusals
        seat = rng.choice(free)
        response = await person.http.post(f"{TICKETS}/events/{event}/holds", json={"seats": [seat]})
        if response.status_code == 201:
            return seat, refusals
        assert response.status_code == 409, response.text
        refusals.append(response.json()["error"] | {"seat": seat})


async def race_for_map(
    server: ServerProcess, people: list[Client], event: str, seed: int
) -> list[tuple[Client, str]]:
    stop, seen = asyncio.Event(), []
    watcher = asyncio.create_task(sample(server, event, stop, seen))
    start = asyncio.Event()

    async def one(index: int, person: Client) -> tuple[str | None, list[dict[str, Any]]]:
        await start.wait()
        return await hold_any(person, event, random.Random(seed * 1000 + index))

    tasks = [asyncio.create_task(one(i, p)) for i, p in enumerate(people)]
    await asyncio.sleep(0)
    start.set()
    results = await asyncio.gather(*tasks)
    stop.set()
    await watcher
    assert len(seen) > 1 and [s for s in seen if s] == []
    for _, refusals in results:
        for refusal in refusals:
            assert refusal["code"] == "seat_taken", refusal
            assert refusal["message"] == f"seat {refusal['seat']} is taken", refusal
    assert all(refusals for seat, refusals in results if seat is None)  # every loser was told, seat by seat
    return [(p, seat) for p, (seat, _) in zip(people, results, strict=True) if seat is not None]


def states(server: ServerProcess, event: str) -> dict[str, int]:
    with tickets_db(server) as db:
        return dict(
            db.execute(
                "SELECT state, COUNT(*) FROM claims WHERE event = ? GROUP BY state", [event]
            ).fetchall()
        )


async def my_booking(person: Client, event: str) -> str:
    bookings = (await person.call("GET", f"{TICKETS}/bookings"))["bookings"]
    return next(b["ref"] for b in bookings if b["event"] == event and b["status"] == "held")


async def race_for_one(server: ServerProcess, people: list[Client], event: str, rounds: int) -> None:
    for round_no in range(rounds):
        stop, seen = asyncio.Event(), []
        watcher = asyncio.create_task(sample(server, event, stop, seen))
        start = asyncio.Event()

        async def one(person: Client, start: asyncio.Event = start) -> tuple[int, Any]:
            await start.wait()
            response = await person.http.post(f"{TICKETS}/events/{event}/holds", json={"seats": ["A1"]})
            return response.status_code, response.json()

        tasks = [asyncio.create_task(one(p)) for p in people]
        await asyncio.sleep(0)
        start.set()
        answers = await asyncio.gather(*tasks)
        stop.set()
        await watcher
        assert [s for s in seen if s] == [], round_no
        statuses = sorted(status for status, _ in answers)
        assert statuses == [201] + [409] * (len(people) - 1), (round_no, statuses[-3:])
        assert {body["error"]["message"] for status, body in answers if status == 409} == {"seat A1 is taken"}
        assert states(server, event) == {"held": 1}
        winner = next(p for p, (status, _) in zip(people, answers, strict=True) if status == 201)
        released = await winner.call("DELETE", f"{TICKETS}/bookings/{await my_booking(winner, event)}")
        assert released["status"] == "released"
        assert states(server, event) == {}


def test_a_rush_of_200_never_holds_or_sells_a_seat_twice(fresh_server: ServerProcess) -> None:
    server = fresh_server
    enable(server, "tickets", "payments")
    organiser = sign_in(server, "Rush Organiser", "+919877399999")
    with server.client(organiser.token) as http:
        made = [http.post(f"{TICKETS}/events", json=event_body(t, rows)) for t, rows in (
            ("Rush of fifty", {r: 10 for r in "ABCDE"}), ("The last seat", {"A": 1}))]  # fmt: skip
    assert [m.status_code for m in made] == [201, 201], [m.text for m in made]
    fifty, last = (m.json()["ref"] for m in made)

    async def scenario() -> None:
        people = await crowd(server, PEOPLE, "+9198772{:05d}", "Fan")
        winners = await race_for_map(server, people, fifty, seed=1)
        assert len(winners) == 50 and len({seat for _, seat in winners}) == 50
        assert states(server, fifty) == {"held": 50}
        assert double_claims(server, fifty) == []

        payers, others = winners[:5], winners[5:]
        refs = [await my_booking(p, fifty) for p, _ in payers]
        await asyncio.gather(
            *(pay_for(p, ref, i) for i, ((p, _), ref) in enumerate(zip(payers, refs, strict=True)))
        )
        for _ in range(200):
            if states(server, fifty).get("sold") == 5:
                break
            await asyncio.sleep(0.05)
        assert states(server, fifty) == {"held": 45, "sold": 5}
        for person, _ in others:
            await person.call("DELETE", f"{TICKETS}/bookings/{await my_booking(person, fifty)}")
        again = await race_for_map(server, people, fifty, seed=2)
        assert len(again) == 45
        assert not {seat for _, seat in again} & {seat for _, seat in payers}
        assert states(server, fifty) == {"held": 45, "sold": 5}
        with tickets_db(server) as db:
            sold = db.execute(
                "SELECT seat FROM tickets WHERE event = ? AND status = 'valid'", [fifty]
            ).fetchall()
        assert sorted(s for (s,) in sold) == sorted(seat for _, seat in payers)

        await race_for_one(server, people, last, ONE_SEAT_ROUNDS)
        for person in people:
            await person.http.aclose()

    asyncio.run(scenario())
    check = run_cli("payments", "check", "--data", str(server.data_dir))
    assert check.returncode == 0 and "The ledger is clean" in check.stdout, check.stdout + check.stderr
