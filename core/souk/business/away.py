"""Away periods: the stretches of time a business is closed, read on its own clock.

An away message goes once per customer per away period; a period is named by the moment it
ends, the next opening, so every moment of one closed night (or weekend) has the same name,
whatever daylight-saving change falls in it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from .hours import DAYS, Hours, _minutes, is_open

LOOK_AHEAD_DAYS = 8


def next_opening(hours: Hours, time_zone: str, moment: dt.datetime) -> dt.datetime | None:
    """The first opening after ``moment`` (aware, in UTC), or None for a business never open."""
    zone = ZoneInfo(time_zone)
    today = moment.astimezone(zone).date()
    for offset in range(LOOK_AHEAD_DAYS):
        day = today + dt.timedelta(days=offset)
        for opens, _ in hours.get(DAYS[day.weekday()], []):
            minutes = _minutes(opens)
            local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), zone)
            # A wall time skipped by a spring-forward change opens at the first real moment after it.
            opening = local.astimezone(dt.UTC)
            if opening.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
                opening = local.replace(fold=1).astimezone(dt.UTC)
            if opening > moment:
                return opening
    return None


def period(hours: Hours, time_zone: str, moment: dt.datetime) -> str | None:
    """The name of the away period ``moment`` falls in, or None while open (or with no hours set)."""
    if not hours or is_open(hours, time_zone, moment):
        return None
    opening = next_opening(hours, time_zone, moment)
    return opening.isoformat() if opening is not None else "closed"
