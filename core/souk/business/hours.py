"""Opening hours: a week of intervals, read in the business's own IANA time zone.

Stored and shown as ``{"mon": [["09:00", "18:00"]], "sat": [["10:00", "14:00"]]}``: each
day lists at most a few intervals, each opening before it closes, none overlapping;
``"24:00"`` closes at the end of the day.  A night that runs past midnight is two
intervals (``"fri": [["18:00", "24:00"]], "sat": [["00:00", "02:00"]]``).  A day that is
absent is closed.  Wall-clock times are read in the business's zone, so an hour is the
same on the shop's clock through a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any
from zoneinfo import ZoneInfo

from ..foundation.errors import Invalid

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_INTERVALS = 4
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]|24:00")

Hours = dict[str, list[list[str]]]


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _refuse(message: str) -> Invalid:
    return Invalid(f"hours: {message}", code="invalid_hours")


def check_hours(value: Any) -> Hours:
    """The hours in their stored form (days in week order, intervals sorted), or 422 ``invalid_hours``."""
    if not isinstance(value, dict):
        raise _refuse("give an object of days (mon ... sun), each a list of [opens, closes]")
    unknown = sorted(str(day)[:10] for day in value if day not in DAYS)
    if unknown:
        raise _refuse(f"{', '.join(unknown)} is not a day: use {', '.join(DAYS)}")
    checked: Hours = {}
    for day in DAYS:
        intervals = value.get(day)
        if intervals is None:
            continue
        if not isinstance(intervals, list) or len(intervals) > MAX_INTERVALS:
            raise _refuse(f"{day} is a list of at most {MAX_INTERVALS} [opens, closes] pairs")
        spans = []
        for pair in intervals:
            if (
                not isinstance(pair, list)
                or len(pair) != 2
                or not all(isinstance(t, str) and TIME.fullmatch(t) for t in pair)
            ):
                raise _refuse(f'{day}: each interval is ["HH:MM", "HH:MM"], from 00:00 to 24:00')
            opens, closes = _minutes(pair[0]), _minutes(pair[1])
            if opens >= closes:
                raise _refuse(f"{day}: {pair[0]}-{pair[1]} closes before it opens (split a night in two)")
            spans.append((opens, closes, pair))
        spans.sort()
        if any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans)):
            raise _refuse(f"{day}: intervals overlap")
        if spans:
            checked[day] = [list(pair) for _, _, pair in spans]
    return checked


def is_open(hours: Hours, time_zone: str, moment: dt.datetime) -> bool:
    """Whether the business is open at ``moment`` (aware), on its own wall clock."""
    local = moment.astimezone(ZoneInfo(time_zone))
    now = local.hour * 60 + local.minute
    day = DAYS[local.weekday()]
    return any(_minutes(opens) <= now < _minutes(closes) for opens, closes in hours.get(day, []))
