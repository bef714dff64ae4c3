"""/tickets finds exactly the upcoming events of the person's country, by city and by the event's own
day, in pages of ten: never a past event, never another country's."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import pytest
from tickets_support import TICKETS, create_event, general_body

SAO_PAULO = "São Paulo"
RIO = "Rio de Janeiro"
CURITIBA = "Curitiba"
# (city, days from now, local start): São Paulo has more than a page of events on its own.
BRAZIL = [
    (SAO_PAULO, 5, "10:00"),
    (SAO_PAULO, 5, "14:00"),
    (SAO_PAULO, 5, "18:00"),
    (SAO_PAULO, 6, "10:00"),
    (SAO_PAULO, 6, "14:00"),
    (SAO_PAULO, 6, "18:00"),
    (SAO_PAULO, 6, "23:30"),  # the next day in UTC, still day 6 on its own clock
    (SAO_PAULO, 7, "09:00"),
    (SAO_PAULO, 7, "11:00"),
    (SAO_PAULO, 7, "13:00"),
    (SAO_PAULO, 7, "15:00"),
    (SAO_PAULO, 8, "12:00"),
    (RIO, 5, "20:00"),
    (RIO, 6, "20:00"),
    (RIO, 8, "20:00"),
    (CURITIBA, 6, "19:00"),
    (CURITIBA, 7, "19:00"),
]
ADVANCE = 2
"""Days the clock moves on after the events are made: the one on day 1 is over by then."""


def _title(city: str, day: int, clock: str) -> str:
    return f"{city} d{day} {clock}"


@pytest.fixture
def found(souk_world) -> Any:
    world = souk_world(["tickets"])
    bruna = world.user("Bruna", "BR")
    today = world.now().date()

    def on(day: int, clock: str) -> str:
        return f"{(today + dt.timedelta(days=day)).isoformat()} {clock}"

    for city, day, clock in [*BRAZIL, (SAO_PAULO, 1, "10:00")]:
        ends = "23:59" if clock == "23:30" else f"{int(clock[:2]) + 1:02d}{clock[2:]}"
        body = general_body(world, title=_title(city, day, clock), city=city, starts=on(day, clock))
        create_event(bruna, body | {"ends": on(day, ends)})
    asha = world.user("Asha", "IN")
    india = {"country": "IN", "city": SAO_PAULO, "time_zone": "Asia/Kolkata"}
    create_event(
        asha, general_body(world, title="India d6", starts=on(6, "12:00"), ends=on(6, "13:00"), **india)
    )
    world.advance(dt.timedelta(days=ADVANCE))
    tiago = world.user("Tiago", "BR")

    def day(n: int) -> str:
        return (today + dt.timedelta(days=n)).isoformat()

    def pages(user: Any = tiago, **query: str) -> list[list[str]]:
        """The titles on each page, following ``more`` with the offset, and checking it stops."""
        titles: list[list[str]] = []
        offset, more = 0, True
        while more:
            answer = user.call("GET", f"{TICKETS}/events?{urlencode(query | {'offset': str(offset)})}")
            titles.append([e["title"] for e in answer["events"]])
            offset, more = offset + len(answer["events"]), answer["more"]
            assert len(titles) <= 5, "the pages never end"
        return titles

    return world, pages, day, asha, tiago


def _flat(pages: list[list[str]]) -> list[str]:
    return [title for page in pages for title in page]


def _wanted(keep: Any) -> list[str]:
    """Titles of the Brazilian events ``keep`` picks, soonest first (by day, then local hour)."""
    return [_title(*e) for e in sorted((e for e in BRAZIL if keep(*e)), key=lambda e: (e[1], e[2]))]


def test_the_whole_country_in_two_pages_without_the_past_event_or_another_country(found) -> None:
    _world, pages, _day, asha, _tiago = found
    every = pages()
    assert [len(p) for p in every] == [10, 7]
    assert _flat(every) == _wanted(lambda *_: True)
    assert "São Paulo d1 10:00" not in _flat(every) and "India d6" not in _flat(every)
    assert pages(asha) == [["India d6"]]


def test_a_city_alone_fills_a_page_and_a_bit_whatever_its_case(found) -> None:
    _world, pages, _day, _asha, _tiago = found
    paulistas = pages(city=SAO_PAULO)
    assert [len(p) for p in paulistas] == [10, 2]
    assert _flat(paulistas) == _wanted(lambda city, *_: city == SAO_PAULO)
    assert pages(city="são paulo") == paulistas
    assert pages(city=RIO) == [
        ["Rio de Janeiro d5 20:00", "Rio de Janeiro d6 20:00", "Rio de Janeiro d8 20:00"]
    ]
    assert pages(city="Recife") == [[]]


def test_one_day_is_the_events_own_day_not_utcs(found) -> None:
    _world, pages, day, _asha, _tiago = found
    sixth = pages(**{"from": day(6), "to": day(6)})
    assert sixth == [
        [
            "São Paulo d6 10:00",
            "São Paulo d6 14:00",
            "São Paulo d6 18:00",
            "Curitiba d6 19:00",
            "Rio de Janeiro d6 20:00",
            "São Paulo d6 23:30",
        ]
    ]
    seventh_on = _flat(pages(**{"from": day(7)}))
    assert len(seventh_on) == 7 and "São Paulo d6 23:30" not in seventh_on
    assert seventh_on == _wanted(lambda _city, d, _clock: d >= 7)
    until_fifth = _flat(pages(to=day(5)))
    assert until_fifth == _wanted(lambda _city, d, _clock: d <= 5) and len(until_fifth) == 4


def test_a_city_and_days_together_across_pages(found) -> None:
    _world, pages, day, _asha, _tiago = found
    both = pages(city=SAO_PAULO, **{"from": day(6), "to": day(7)})
    assert [len(p) for p in both] == [8]
    assert both[0] == _wanted(lambda city, d, _clock: city == SAO_PAULO and d in (6, 7))
    assert pages(city=CURITIBA, **{"from": day(8)}) == [[]]
    assert pages(city=SAO_PAULO, **{"from": day(1), "to": day(1)}) == [[]]  # over already


def test_the_chat_finds_the_same_by_city_and_day_and_pages_with_more(found) -> None:
    _world, _pages, day, _asha, tiago = found
    chat = tiago.app_chat("tickets")
    rio = chat.send(f"/tickets {RIO} {day(6)}").screen
    assert rio.title == f"Events in {RIO}"
    assert [c.title for c in rio.body if hasattr(c, "subtitle")] == ["Rio de Janeiro d6 20:00"]
    first = chat.send(f"/tickets {SAO_PAULO}").screen
    shown = [c.title for c in first.body if hasattr(c, "subtitle")]
    assert 1 <= len(shown) <= 10 and shown == _wanted(lambda city, *_: city == SAO_PAULO)[: len(shown)]
    seen, screen, pressed = list(shown), first, 0
    while any(getattr(b, "label", None) == "More" for b in screen.body) and pressed < 12:
        screen, pressed = chat.press("More").screen, pressed + 1
        seen += [c.title for c in screen.body if hasattr(c, "subtitle")]
    assert pressed >= 1 and len(seen) == 12
    assert seen == _wanted(lambda city, *_: city == SAO_PAULO)
