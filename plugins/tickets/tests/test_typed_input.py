"""Whatever a person types or submits, Tickets answers it: no handler ever raises.

A handler that raises costs the person an apology and counts for the
breaker.  Hypothesis types generated lines after every command of Tickets, and
submits generated values to its forms (creating an event, finding events,
holding places), and presses generated seats on a seat map.  Every answer must
be an answer, and the breaker's window of Tickets holds no failure.

Examples: 25 of each by default; ``SOUK_STRESS=1`` runs 600.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from souk_sdk.testing import Chat, World
from tickets_support import create_event, general_body, seated_body

STRESS = os.environ.get("SOUK_STRESS") == "1"
EXAMPLES = 600 if STRESS else 25
BROKEN = ("could not answer just now", "failed on your last requests")
FORM_FIELDS = [
    "title",
    "venue",
    "city",
    "country",
    "time_zone",
    "start_day",
    "start_time",
    "end_day",
    "end_time",
    "sales_close_day",
    "sales_close_time",
    "organiser_name",
    "seating",
    "layout",
    "capacity",
    "prices",
    "blocked",
    "max_per_order",
    "return_cutoff_hours",
    "description",
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    world = World(["tickets"], Path(tmp_path_factory.mktemp("typed")), handler_timeout=10)
    asha = world.user("Asha", "IN")
    create_event(asha, seated_body(world))
    create_event(asha, general_body(world, country="IN", time_zone="Asia/Kolkata", city="Pune"))
    yield world
    world.close()


@pytest.fixture(scope="module")
def chat(world: World) -> Chat:
    return world.user("Ravi", "IN").app_chat("tickets")


def untouched(world: World, reply: Any, what: str) -> None:
    for message in reply.messages:
        assert not any(b in message["text"] for b in BROKEN), f"{what!r} answered {message['text']!r}"
    assert world.core.runtime.breaker.verdict("tickets").failures == 0, what


text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
odd = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "2030-02-30",
        "9" * 400,
        "A1",
        "Z99",
        "E-",
        "T-XXXXXXXX",
        "24:61",
        "Stalls: A-Z x 999 Gold",
    ]
)
value = st.one_of(text, odd, st.integers(-(10**6), 10**6), st.none())


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["tickets", "mytickets", "checkin", "organise", "doorstaff"]),
    words=st.lists(st.one_of(text, odd), max_size=4),
)
def test_no_command_line_makes_a_handler_raise(world: World, chat: Chat, name: str, words: list[str]) -> None:
    world.core.runtime.breaker.reset("tickets")
    line = (f"/{name} " + " ".join(words))[:4000]
    reply = chat.send(line)
    assert reply.messages, f"{line!r} got no answer"
    untouched(world, reply, line)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.fixed_dictionaries({}, optional={f: value for f in FORM_FIELDS}))
def test_no_event_form_makes_a_handler_raise(world: World, chat: Chat, values: dict[str, Any]) -> None:
    world.core.runtime.breaker.reset("tickets")
    chat.send("/organise")
    reply = chat.submit(
        {k: v for k, v in values.items() if v is not None}, action="create_event", expect=(200, 422)
    )
    untouched(world, reply, repr(values))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(city=value, quantity=value, seat=st.one_of(text, odd))
def test_no_search_hold_or_seat_makes_a_handler_raise(
    world: World, chat: Chat, city: Any, quantity: Any, seat: str
) -> None:
    world.core.runtime.breaker.reset("tickets")
    chat.send("/tickets")
    found = chat.submit({"city": city} if city is not None else {}, action="find_events", expect=(200, 422))
    untouched(world, found, f"city {city!r}")
    chat.send("/tickets")
    chat.press("Open", within="Festival da Lua")
    held = chat.submit({"quantity": quantity}, action="hold_places", expect=(200, 422))
    untouched(world, held, f"quantity {quantity!r}")
    chat.send("/tickets")
    chat.press("Open", within="Mumbai Live")
    chat.press("Choose seats")
    picked = chat.pick_seat(seat, expect=(200, 422))
    untouched(world, picked, f"seat {seat!r}")
