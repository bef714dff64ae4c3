"""Candidates: who a member may meet next, best first.

A candidate lives in the member's country, has a profile that is not paused,
is an adult, fits the member's wishes (gender, ages) while the member fits
theirs, and is not someone the member liked, passed on in the last 30 days,
matched with, blocked or was blocked by.  They are ranked by interests in
common, then distance band, then how recently they were active.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from . import ages, places, profiles
from .liking import PASS_FOR
from .photos import photos_of
from .visibility import BLOCKED_EITHER_WAY

PAGE = 10
POOL = 500
"""How many of the most recently active fitting profiles are ranked for one page."""

_FITTING = f"""
SELECT p.* FROM profiles p
WHERE p.country = :country AND p.paused = 0 AND p.member <> :me
  AND instr(',' || p.seeks || ',', ',' || :gender || ',') > 0
  AND instr(:seeks, ',' || p.gender || ',') > 0
  AND NOT EXISTS (SELECT 1 FROM likes WHERE liker = :me AND liked = p.member)
  AND NOT EXISTS (SELECT 1 FROM passes WHERE passer = :me AND passed = p.member AND at > :since)
  AND NOT EXISTS (SELECT 1 FROM matches WHERE (a = :me AND b = p.member) OR (a = p.member AND b = :me))
  AND NOT {BLOCKED_EITHER_WAY.format(other="p.member")}
ORDER BY p.active_at DESC
LIMIT {POOL}
"""


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


def _fits(me: dict[str, Any], other: dict[str, Any], today: dt.date) -> int | None:
    """The other's age when each fits the other's age range and both are adults; else None."""
    born, mine = dt.date.fromisoformat(other["birth_date"]), dt.date.fromisoformat(me["birth_date"])
    if not (ages.is_adult(born, today) and ages.is_adult(mine, today)):
        return None
    age, my_age = ages.age_on(born, today), ages.age_on(mine, today)
    if me["age_min"] <= age <= me["age_max"] and other["age_min"] <= my_age <= other["age_max"]:
        return age
    return None


def candidates(
    db: Database, me: dict[str, Any], today: dt.date, now: dt.datetime, page: int = 0, size: int = PAGE
) -> tuple[list[Candidate], bool]:
    """One page of candidates for the profile ``me``, and whether more follow."""
    params = {
        "country": me["country"],
        "me": me["member"],
        "gender": me["gender"],
        "seeks": f",{me['seeks']},",
        "since": (now - PASS_FOR).isoformat(),
    }
    mine = set(profiles.interests_of(db, me["member"]))
    found = []
    for row in db.query(_FITTING, params):
        age = _fits(me, row, today)
        if age is None:
            continue
        shared = sorted(mine & set(profiles.interests_of(db, row["member"])))
        band = places.distance_band(me["cell"], row["cell"])
        found.append(Candidate(row, age, band, shared, photos_of(db, row["member"])))
    found.sort(
        key=lambda c: (-len(c.shared), places.band_rank(c.band), _newest_first(c.profile["active_at"]))
    )
    start = page * size
    return found[start : start + size], len(found) > start + size


def _newest_first(at: str) -> float:
    return -dt.datetime.fromisoformat(at).timestamp()
