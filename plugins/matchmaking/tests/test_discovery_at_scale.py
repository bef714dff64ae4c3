"""Discovery over many profiles: every eligible one, once each, in ranking order, and no other.

The best-ranked and the age-fitting candidates are the least recently active
here, behind more than 500 recently active profiles that fit by gender but
not by age, so a discovery that ranked only the most recently active would
show none of them.  The crowd is written through the mini-app's own
``profiles.save``, which keeps it to a few seconds.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from typing import Any

from matchmaking_support import born, candidates, card_of, count, db, member
from souk_matchmaking import ages, profiles

CITY_BAND = {"São Paulo": "under 10 km", "Campinas": "50-100 km", "Rio de Janeiro": "over 250 km"}
MINE = ["samba", "coffee", "jazz"]
ELIGIBLE = 650
TOO_OLD = 520
"""Men who want Ana but are 45, outside her 25-40: the most recently active of all."""


def _write(store: Any, member_id: str, active: dt.datetime, today: dt.date, **changes: Any) -> None:
    country = changes.pop("country", "BR")
    data = {
        "name": f"Bruno {member_id}",
        "birth_date": dt.date.fromisoformat(changes.pop("birth")),
        "gender": "man",
        "seeks": ["woman"],
        "age_min": 20,
        "age_max": 35,
        "city": "São Paulo",
        "interests": [],
    } | changes
    profiles.save(store, member_id, country, profiles.ProfileIn(**data), today, "x")
    store.execute("UPDATE profiles SET active_at = ? WHERE member = ?", [active.isoformat(), member_id])


def test_every_eligible_profile_appears_once_in_ranking_order(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza", age_min=25, age_max=40, interests=MINE)
    today, now = world.now().date(), world.now()
    me = db(world).execute("SELECT member FROM profiles WHERE card = ?", [card_of(ana)]).fetchone()[0]
    rng = random.Random(7)
    expected: list[tuple[int, int, int, str]] = []  # (-shared, band order, -minute, member)
    minutes = rng.sample(range(1, ELIGIBLE), ELIGIBLE - 1)

    def write_the_crowd(store: Any) -> list[str]:
        for i in range(ELIGIBLE):
            shared, city = rng.randint(0, 3), rng.choice(list(CITY_BAND))
            if i < 20:  # the very best, and the least recently active of everyone
                shared, city, minute = 3, "São Paulo", -10_000 - i
            else:  # the others fall behind them: fewer in common or farther
                shared, minute = (2 if (shared, city) == (3, "São Paulo") else shared), -minutes[i - 1]
            member_id = f"ok{i:03d}"
            interests = [*rng.sample(MINE, shared), f"other{i}"]
            _write(
                store,
                member_id,
                now + dt.timedelta(minutes=minute),
                today,
                city=city,
                birth=born(world, rng.randint(25, 40)),
                interests=interests,
            )
            expected.append((-shared, list(CITY_BAND).index(city), -minute, member_id))
        for i in range(TOO_OLD):
            _write(
                store,
                f"old{i}",
                now + dt.timedelta(minutes=i),
                today,
                birth=born(world, 45),
                age_max=60,
                interests=MINE,
            )
        excluded = _write_the_excluded(store, world, me, now, today)
        return excluded

    excluded = world.core.runtime.app_store("matchmaking").write_sync(write_the_crowd)
    assert count(world, "SELECT COUNT(*) FROM profiles") == 1 + ELIGIBLE + TOO_OLD + len(excluded) + 1

    seen = candidates(ana)

    cards = dict(db(world).execute("SELECT card, member FROM profiles").fetchall())
    shown = [cards[c["card"]] for c in seen]
    assert len(shown) == ELIGIBLE + 1 and len(set(shown)) == ELIGIBLE + 1
    ranked = [m for *_, m in sorted(expected)]
    assert shown[0] == "passed_long_ago"  # every interest, same cell, the most recently active
    assert shown[1:] == ranked
    assert shown[1:21] == [f"ok{i:03d}" for i in range(20)]
    assert not set(shown) & set(excluded) and not any(m.startswith("old") for m in shown)
    by_member = {m: c for m, c in zip(shown, seen, strict=True)}
    bands = [by_member[m]["distance"] for m in ranked]
    assert bands.count("under 10 km") + bands.count("50-100 km") + bands.count("over 250 km") == ELIGIBLE
    assert all(25 <= c["age"] <= 40 for c in seen)
    assert [len(by_member[m]["shared_interests"]) for m in ranked] == [-e[0] for e in sorted(expected)]
    assert len(ana.call("GET", "/api/v1/apps/matchmaking/candidates?page=66")["candidates"]) == 0


def _write_the_excluded(store: Any, world: Any, me: str, now: dt.datetime, today: dt.date) -> list[str]:
    """One profile for each reason to leave someone out, all recently active and sharing every interest;
    and one passed on 31 days ago, who is back among the candidates."""
    soon = now + dt.timedelta(days=1)
    fits = {"birth": born(world, 30), "interests": MINE}
    reasons: dict[str, dict[str, Any]] = {
        "paused": {},
        "abroad": {"country": "IN", "city": "Mumbai"},
        "a_woman": {"gender": "woman"},
        "seeks_men": {"seeks": ["man"]},
        "wants_younger": {"age_max": 27},
        "wants_older": {"age_min": 29, "age_max": 40},
        "too_young": {"birth": born(world, 24)},
        "liked": {},
        "passed": {},
        "matched": {},
        "blocked": {},
        "blocked_me": {},
        "passed_long_ago": {},
    }
    for n, (member_id, changes) in enumerate(reasons.items()):
        _write(store, member_id, soon + dt.timedelta(minutes=n), today, **(fits | changes))
    at = now.isoformat()
    store.execute("UPDATE profiles SET paused = 1 WHERE member = 'paused'")
    store.execute("INSERT INTO likes VALUES (?, 'liked', ?)", [me, at])
    store.execute(
        "INSERT INTO passes VALUES (?, 'passed', ?)", [me, (now - dt.timedelta(days=29)).isoformat()]
    )
    store.execute(
        "INSERT INTO passes VALUES (?, 'passed_long_ago', ?)", [me, (now - dt.timedelta(days=31)).isoformat()]
    )
    store.execute("INSERT INTO matches (ref, a, b, at) VALUES ('m1', ?, 'matched', ?)", [me, at])
    store.execute("INSERT INTO blocks VALUES (?, 'blocked', ?)", [me, at])
    store.execute("INSERT INTO blocks VALUES ('blocked_me', ?, ?)", [me, at])
    return [m for m in reasons if m != "passed_long_ago"]


def test_ages_counted_in_sql_are_the_calendar_ages():
    """:func:`ages.age_sql` against :func:`ages.age_on`, leap days and the days around birthdays included."""
    connection = sqlite3.connect(":memory:")
    births = [dt.date(2000, 2, 29), dt.date(1999, 3, 1), dt.date(1990, 12, 31), dt.date(2004, 1, 1)]
    days = [dt.date(2018, 1, 1) + dt.timedelta(days=d) for d in range(0, 3000, 3)]
    days += [
        dt.date(y, m, d)
        for y in (2018, 2020, 2022, 2024)
        for m, d in ((2, 28), (2, 29), (3, 1))
        if not (m == 2 and d == 29 and y % 4)
    ]
    sql = "SELECT " + ages.age_sql(":born", ":day")
    checked = 0
    for birth in births:
        for day in days:
            got = connection.execute(sql, {"born": birth.isoformat(), "day": day.isoformat()}).fetchone()[0]
            assert got == ages.age_on(birth, day), (birth, day)
            checked += 1
    assert checked == len(births) * len(days) and checked > 4000
