"""Days as people see them: in their own time zone, written the way their locale writes dates."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import localedata
from babel.core import UnknownLocaleError
from babel.dates import format_date

DayBound = dt.date | Literal["today"]
"""A bound of a date field: a fixed day, or ``"today"`` in the user's own time zone."""


def zone(name: str | None) -> dt.tzinfo:
    """The time zone called ``name`` (an IANA name), or UTC when unknown."""
    if not name:
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def local_today(now: dt.datetime, time_zone: str | None) -> dt.date:
    """The date it is for someone in ``time_zone`` at the moment ``now``."""
    return now.astimezone(zone(time_zone)).date()


def resolve_day(bound: DayBound | None, today: dt.date) -> dt.date | None:
    return today if bound == "today" else bound  # type: ignore[return-value]


def format_day(day: dt.date, locale: str | None) -> str:
    """``2 December 2026`` (en-GB, en-IN), ``December 2, 2026`` (en-US), ``2 de dezembro de 2026``."""
    try:
        return format_date(day, format="long", locale=(locale or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return format_date(day, format="long", locale="en")


def english_of(locale: str | None) -> str:
    """The English of the reader's region, for messages the platform writes in English.

    ``pt-BR`` reads ``2 December 2026`` (world English), ``en-US`` ``December 2, 2026``:
    the sentence stays in one language, the date in the order the reader expects.
    """
    region = (locale or "").replace("_", "-").partition("-")[2]
    candidate = f"en_{region}" if region else "en_001"
    return candidate if localedata.exists(candidate) else "en_001"
