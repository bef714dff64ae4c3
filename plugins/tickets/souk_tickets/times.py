"""An event's times: kept in UTC, entered and shown on the event's own clock, and on the viewer's.

An organiser writes "20:00" in the event's time zone; :func:`to_utc` turns it
into the moment, refusing a time the clocks skip (the spring change) or pass
twice (the autumn one).  A buyer sees it as "Sat 12 Dec 2026, 20:00 in São
Paulo", and, when their own clock says otherwise, "Sun 13 Dec 2026, 04:30 your
time (India Time)".
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global
from babel.dates import format_datetime, get_timezone_location

PATTERN = "EEE d MMM y, HH:mm"


class BadTime(ValueError):
    """A local time that names no moment, or names two."""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadTime(f"{name!r} is not a time zone (write it like Asia/Kolkata)") from None


def zones_of(country: str) -> list[str]:
    """The time zones of a country, from CLDR: ``["Asia/Kolkata"]`` for IN, sixteen for BR."""
    return list(get_global("territory_zones").get(country.upper(), []))


def to_utc(local: dt.datetime, time_zone: str) -> dt.datetime:
    """The moment a wall-clock time of ``time_zone`` names; :class:`BadTime` if it names none or two."""
    if local.tzinfo is not None:
        return local.astimezone(dt.UTC)
    tz = zone(time_zone)
    first, second = local.replace(tzinfo=tz, fold=0), local.replace(tzinfo=tz, fold=1)
    before, after = first.utcoffset(), second.utcoffset()
    if before is not None and after is not None and before != after:
        what = "does not exist" if before < after else "happens twice"
        change = "goes forward" if before < after else "goes back"
        raise BadTime(f"{local:%H:%M} on {local:%d %b %Y} {what} in {time_zone}: the clock {change} then")
    return first.astimezone(dt.UTC)


def _locale(locale: str | None) -> str:
    return (locale or "en").replace("-", "_")


def on_clock(moment: dt.datetime, time_zone: str, locale: str | None = None) -> str:
    """``Sat 12 Dec 2026, 20:00``: the moment on the clock of ``time_zone``."""
    try:
        return format_datetime(moment, PATTERN, tzinfo=zone(time_zone), locale=_locale(locale))
    except ValueError:
        return format_datetime(moment, PATTERN, tzinfo=zone(time_zone), locale="en")


def clock_time(moment: dt.datetime, time_zone: str) -> str:
    """``20:41``: the moment's hour and minute on the clock of ``time_zone``."""
    return moment.astimezone(zone(time_zone)).strftime("%H:%M")


def zone_name(time_zone: str) -> str:
    """``India Time``, ``Brazil (Sao Paulo) Time``: a zone as people name it."""
    return str(get_timezone_location(zone(time_zone), locale="en"))


def shown(moment: dt.datetime, event_zone: str, city: str, viewer_zone: str, locale: str | None) -> str:
    """The moment in the event's city, and on the viewer's clock when that reads differently."""
    there = f"{on_clock(moment, event_zone, locale)} in {city}"
    mine = on_clock(moment, viewer_zone, locale)
    if mine == on_clock(moment, event_zone, locale):
        return there
    return f"{there} ({mine} your time, {zone_name(viewer_zone)})"


def parse(text: str) -> dt.datetime:
    """``2026-12-12T20:00`` or ``2026-12-12 20:00``, as a wall-clock time (no zone)."""
    try:
        value = dt.datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise BadTime(f"{text!r} is not a date and time like 2026-12-12 20:00") from None
    return value.replace(tzinfo=None) if value.tzinfo is None else value
