"""Adults only, on the member's own calendar; the birth date is given once and never changed."""

from __future__ import annotations

import datetime as dt

import pytest
from matchmaking_support import MM, candidates, consent, count, make_profile, profile_body
from souk_matchmaking import ages

# 19:00 UTC on 15 June 2031: already 00:30 on 16 June in India, still 16:00 on 15 June in São Paulo.
EVENING = dt.datetime(2031, 6, 15, 19, 0, tzinfo=dt.UTC)
EIGHTEENTH = "2013-06-16"  # whose 18th birthday is 16 June 2031


@pytest.fixture
def world(souk_world):
    world = souk_world(["matchmaking"])
    world.set_clock(EVENING)
    return world


def refused(user, expect=422, **changes):
    return user.call("PUT", f"{MM}/profile", profile_body(user.world, **changes), expect=expect)["error"]


def test_exactly_18_in_the_members_time_zone_is_accepted(world):
    asha = world.user("Asha", "IN")
    consent(asha)
    body = make_profile(asha, birth_date=EIGHTEENTH, city="Mumbai")
    assert (body["age"], body["birth_date"]) == (18, EIGHTEENTH)


def test_candidates_count_each_members_age_on_their_own_calendar(world):
    """At 02:30 UTC it is already 16 June on Fernando de Noronha, still 15 June in Manaus."""
    world.set_clock(dt.datetime(2031, 6, 16, 2, 30, tzinfo=dt.UTC))
    bruno = world.user("Bruno", "BR").set_time_zone("America/Noronha")
    consent(bruno)
    assert make_profile(bruno, birth_date=EIGHTEENTH, gender="man", seeks=["woman"])["age"] == 18
    ana = world.user("Ana", "BR").set_time_zone("America/Manaus")
    consent(ana)
    make_profile(ana, birth_date="2006-06-16", age_min=18, age_max=25)  # 25 tomorrow in Manaus
    (seen,) = candidates(ana)
    assert (seen["first_name"], seen["age"]) == ("Bruno", 18)  # 17 on Ana's date: his own counts
    (seen,) = candidates(bruno)
    assert (seen["first_name"], seen["age"]) == ("Ana", 24)  # 25 on Bruno's date: hers counts


def test_a_day_short_of_18_is_refused_and_nothing_is_kept_but_the_date(world):
    tiago = world.user("Tiago", "BR")
    consent(tiago)
    error = refused(tiago, birth_date=EIGHTEENTH)  # in São Paulo it is still 15 June
    assert error["code"] == "under_age" and error["details"] == {"field": "birth_date"}
    assert count(world, "SELECT COUNT(*) FROM profiles") == 0
    assert count(world, "SELECT COUNT(*) FROM birth_dates") == 1
    older = refused(tiago, birth_date="2000-01-01")  # trying again with another date
    assert older["code"] == "birth_date_fixed"
    assert count(world, "SELECT COUNT(*) FROM profiles") == 0
    world.advance(hours=8)  # 03:00 UTC, midnight in São Paulo: his birthday
    assert make_profile(tiago, birth_date=EIGHTEENTH)["age"] == 18


def test_the_birth_date_cannot_be_changed_by_an_edit_or_by_starting_again(world):
    ana = world.user("Ana", "BR")
    consent(ana)
    made = make_profile(ana, birth_date="2000-05-05")
    for date in ("2013-06-15", "2020-01-01", "1990-05-05"):
        assert refused(ana, birth_date=date, name="Ana")["code"] == "birth_date_fixed"
    assert ana.call("GET", f"{MM}/profile") == made
    ana.call("DELETE", f"{MM}/profile")
    assert refused(ana, birth_date="1999-05-05")["code"] == "birth_date_fixed"
    assert make_profile(ana, birth_date="2000-05-05")["birth_date"] == "2000-05-05"


def test_the_chat_form_refuses_under_18_beside_the_field(world):
    chat = world.user("Bia", "BR").app_chat("matchmaking")
    chat.send("/match")
    values = {"name": "Bia", "birth_date": "2014-01-01", "gender": "woman", "seeking": "men"}
    values |= {"age_min": 18, "age_max": 30, "city": "Recife"}
    reply = chat.submit(values, expect=422)
    assert reply.errors == {"birth_date": "Matchmaking is for adults only: you must be 18 or older."}
    assert count(world, "SELECT COUNT(*) FROM profiles") == 0


def test_no_edit_ever_shows_a_birth_date_field(world):
    chat = world.user("Carla", "BR").app_chat("matchmaking")
    consent(chat.user)
    make_profile(chat.user)
    form = next(c for c in chat.send("/profile").screen.body if c.type == "form")
    assert "birth_date" not in [f.name for f in form.fields]


@pytest.mark.parametrize(
    ("born", "today", "adult"),
    [
        ("2013-02-28", "2031-02-27", False),
        ("2013-02-28", "2031-02-28", True),
        ("2012-02-29", "2030-02-28", False),  # a leap-day birthday counts from 1 March
        ("2012-02-29", "2030-03-01", True),
        ("2012-02-29", "2032-02-29", True),
    ],
)
def test_birthdays_on_the_calendar(born, today, adult):
    assert ages.is_adult(dt.date.fromisoformat(born), dt.date.fromisoformat(today)) is adult
