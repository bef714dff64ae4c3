"""How many likes a member may give in a day, set per country by operators.

The count is a row per member and (their own) day, raised in the same
transaction as the like it counts, so concurrent likes cannot pass the limit:
the database's one writer serialises them and each sees the others' counts.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlite_utils import Database

from .refusals import Refused

DEFAULT_PER_DAY = 50


class MatchmakingSettings(BaseModel):
    """What an operator sets per country in the console; where set, it wins over ``like_limits``."""

    likes_per_day: int = Field(
        DEFAULT_PER_DAY, ge=1, le=1000, title="Likes a day", description="That one member may give"
    )


def per_day(db: Database, country: str, chosen: int | None = None) -> int:
    """``chosen``: the operator's setting for the country, if one was made (it wins)."""
    if chosen is not None:
        return chosen
    row = db.execute("SELECT per_day FROM like_limits WHERE country = ?", [country]).fetchone()
    return row[0] if row else DEFAULT_PER_DAY


def set_per_day(db: Database, country: str, likes: int, by: str, now: dt.datetime) -> None:
    if not 1 <= likes <= 1000:
        raise ValueError("a daily like limit is from 1 to 1000")
    db["like_limits"].upsert(
        {"country": country.upper(), "per_day": likes, "set_by": by, "set_at": now.isoformat()}, pk="country"
    )


def used(db: Database, member: str, day: dt.date) -> int:
    row = db.execute(
        "SELECT count FROM daily_likes WHERE member = ? AND day = ?", [member, day.isoformat()]
    ).fetchone()
    return row[0] if row else 0


def take_one(db: Database, member: str, country: str, day: dt.date, chosen: int | None = None) -> bool:
    """Count one more like today; False (nothing counted) when today's likes are used up."""
    if used(db, member, day) >= per_day(db, country, chosen):
        return False
    db.execute(
        "INSERT INTO daily_likes (member, day, count) VALUES (?, ?, 1) "
        "ON CONFLICT (member, day) DO UPDATE SET count = count + 1",
        [member, day.isoformat()],
    )
    return True


def used_up(db: Database, country: str, local_now: dt.datetime, chosen: int | None = None) -> Refused:
    """The refusal of a like past the day's limit: 429 ``like_limit``, saying when likes come back.

    They come back at the member's own midnight (``local_now`` is their time, with its zone);
    ``retry_after`` counts the seconds until then, as the platform's other limits do.
    """
    midnight = dt.datetime.combine(local_now.date() + dt.timedelta(days=1), dt.time(), local_now.tzinfo)
    wait = midnight - local_now
    hours, rest = divmod(int(wait.total_seconds()), 3600)
    when = f"in {hours} h {rest // 60} min" if hours else f"in {max(1, rest // 60)} min"
    return Refused(
        429,
        "like_limit",
        f"You have used today's {per_day(db, country, chosen)} likes. More at midnight, {when}.",
        retry_after=max(1, int(wait.total_seconds())),
    )
