"""Candidates: who a member may meet next, best first.

A candidate lives in the member's country, has a profile that is not paused,
is an adult, fits the member's wishes (gender, ages) while the member fits
theirs, and is not someone the member liked, passed on in the last 30 days,
matched with, blocked or was blocked by.  They are ranked by interests in
common, then distance band, then how recently they were active.

All of it is one query: every eligible profile is filtered, ranked and paged
by SQLite, so none is left out however many there are.  Ages are counted in
SQL (:func:`ages.age_sql`), each member's on their own date: the viewer's
``today``, and for each candidate the date in the time zone their profile was
last saved in; the distance band comes from the H3 cells, which
SQLite cannot read, so it is a function registered on the connection
(:func:`places.band_rank` of the two cells) that the query calls for every
eligible profile.  The page's interests in common and photos then take one
query each.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from souk_sdk import dates
from sqlite_utils import Database

from . import ages, places, profiles
from .liking import PASS_FOR
from .visibility import BLOCKED_EITHER_WAY

PAGE = 10

_THEIR_TODAY = "coalesce((SELECT value FROM json_each(:todays) WHERE key = p.time_zone), :today)"
_THEIR_AGE = ages.age_sql("p.birth_date", _THEIR_TODAY)
_MY_AGE = ages.age_sql(":born", ":today")
_SHARED = "(SELECT count(*) FROM interests i WHERE i.member = f.member AND i.tag IN (SELECT tag FROM mine))"

_RANKED = f"""
WITH mine(tag) AS (SELECT tag FROM interests WHERE member = :me),
fitting AS (
  SELECT p.*, {_THEIR_AGE} AS age FROM profiles p
  WHERE p.country = :country AND p.paused = 0 AND p.member <> :me
    AND instr(',' || p.seeks || ',', ',' || :gender || ',') > 0
    AND instr(:seeks, ',' || p.gender || ',') > 0
    AND {_MY_AGE} BETWEEN max(p.age_min, {ages.ADULT}) AND p.age_max
    AND NOT EXISTS (SELECT 1 FROM likes WHERE liker = :me AND liked = p.member)
    AND NOT EXISTS (SELECT 1 FROM passes WHERE passer = :me AND passed = p.member AND at > :since)
    AND NOT EXISTS (SELECT 1 FROM matches WHERE (a = :me AND b = p.member) OR (a = p.member AND b = :me))
    AND NOT {BLOCKED_EITHER_WAY.format(other="p.member")}
)
SELECT f.* FROM fitting f
WHERE f.age BETWEEN max(:age_min, {ages.ADULT}) AND :age_max
ORDER BY
  {_SHARED} DESC,
  matchmaking_band_rank(:cell, f.cell),
  f.active_at DESC,
  f.member
LIMIT :limit OFFSET :offset
"""
"""Every eligible profile, best first; ``active_at`` is UTC ISO text, so it sorts as time does.
The member id last makes the order total, so pages neither repeat nor skip anyone."""


@dataclass(frozen=True)
class Candidate:
    profile: dict[str, Any]
    age: int
    band: str
    shared: list[str]
    photos: list[str]

    @property
    def card(self) -> str:
        return self.profile["card"]

    @property
    def first_name(self) -> str:
        return profiles.first_name(self.profile["name"])


def candidates(
    db: Database, me: dict[str, Any], today: dt.date, now: dt.datetime, page: int = 0, size: int = PAGE
) -> tuple[list[Candidate], bool]:
    """One page of candidates for ``me`` (``today`` is their own date), and whether more follow."""
    db.register_function(places.band_rank_of_cells, deterministic=True, name="matchmaking_band_rank")
    params = {
        "country": me["country"],
        "me": me["member"],
        "gender": me["gender"],
        "seeks": f",{me['seeks']},",
        "born": me["birth_date"],
        "age_min": me["age_min"],
        "age_max": me["age_max"],
        "cell": me["cell"],
        "today": today.isoformat(),
        "since": (now - PASS_FOR).isoformat(),
        "limit": size + 1,
        "offset": page * size,
    }
    params["todays"] = json.dumps(_todays(db, me["country"], now))
    rows = list(db.query(_RANKED, params))
    shown = rows[:size]
    shared = _grouped(db, _SHARED_TAGS, me["member"], shown)
    photos = _grouped(db, _PHOTOS, me["member"], shown)
    found = [
        Candidate(
            {k: v for k, v in row.items() if k != "age"},
            row["age"],
            places.distance_band(me["cell"], row["cell"]),
            shared.get(row["member"], []),
            photos.get(row["member"], []),
        )
        for row in shown
    ]
    return found, len(rows) > size


def _todays(db: Database, country: str, now: dt.datetime) -> dict[str, str]:
    """The date it is, at ``now``, in each time zone the country's profiles were saved in.

    A profile whose zone is not among them (saved in a new zone between this
    query and the next) is counted on the viewer's date for that one page.
    """
    zones = db.execute("SELECT DISTINCT time_zone FROM profiles WHERE country = ?", [country])
    return {zone: dates.local_today(now, zone).isoformat() for (zone,) in zones}


_SHARED_TAGS = (
    "SELECT i.member, i.tag FROM interests i JOIN json_each(:members) m ON i.member = m.value "
    "WHERE i.tag IN (SELECT tag FROM interests WHERE member = :me) ORDER BY i.member, i.tag"
)
_PHOTOS = (
    "SELECT ph.member, ph.url FROM photos ph JOIN json_each(:members) m ON ph.member = m.value "
    "ORDER BY ph.member, ph.slot"
)


def _grouped(db: Database, sql: str, me: str, rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """One query for the whole page: its second column, listed by member in the query's order."""
    out: dict[str, list[str]] = {}
    members = json.dumps([row["member"] for row in rows])
    for member, value in db.execute(sql, {"members": members, "me": me}):
        out.setdefault(member, []).append(value)
    return out
