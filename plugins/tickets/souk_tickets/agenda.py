"""Finding events: the upcoming ones of a country, by city and by day (the event's own day), in pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from . import times

PAGE = 10
MARGIN = dt.timedelta(hours=15)
"""More than any zone's offset from UTC: events near a day's edge in UTC are read, then judged locally."""


@dataclass(frozen=True)
class Search:
    country: str
    city: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    offset: int = 0


def local_day(row: dict[str, Any]) -> dt.date:
    return dt.datetime.fromisoformat(row["starts_at"]).astimezone(times.zone(row["time_zone"])).date()


def upcoming(
    db: Database, search: Search, now: dt.datetime, limit: int = PAGE
) -> tuple[list[dict[str, Any]], bool]:
    """One page of events that have not ended, soonest first, and whether more follow."""
    where = ["country = ?", "ends_at > ?", "status = 'on_sale'"]
    args: list[Any] = [search.country, now.isoformat()]
    if search.city:
        where.append("city = ? COLLATE NOCASE")
        args.append(search.city.strip())
    if search.start is not None:
        where.append("starts_at >= ?")
        args.append((dt.datetime.combine(search.start, dt.time(), dt.UTC) - MARGIN).isoformat())
    if search.end is not None:
        where.append("starts_at < ?")
        args.append(
            (dt.datetime.combine(search.end, dt.time(), dt.UTC) + dt.timedelta(days=1) + MARGIN).isoformat()
        )
    rows = db.query(f"SELECT * FROM events WHERE {' AND '.join(where)} ORDER BY starts_at, ref", args)
    found: list[dict[str, Any]] = []
    for row in rows:
        day = local_day(row)
        if (search.start and day < search.start) or (search.end and day > search.end):
            continue
        found.append(row)
        if len(found) > search.offset + limit:
            break
    page = found[search.offset : search.offset + limit]
    return page, len(found) > search.offset + limit


def left(row: dict[str, Any]) -> int:
    """Seats or places neither held nor sold."""
    return row["capacity"] - row["held"] - row["sold"]


def lowest_price(db: Database, ref: str) -> int:
    return db.execute("SELECT MIN(price) FROM categories WHERE event = ?", [ref]).fetchone()[0]
