"""How long chosen seats are held for their buyer: an operator's setting per country (10 minutes)."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

DEFAULT_MINUTES = 10
MIN_MINUTES, MAX_MINUTES = 1, 120


def hold_minutes(db: Database, country: str) -> int:
    row = db.execute("SELECT minutes FROM hold_times WHERE country = ?", [country.upper()]).fetchone()
    return row[0] if row else DEFAULT_MINUTES


def set_hold_minutes(db: Database, country: str, minutes: int, actor: str, now: dt.datetime) -> int:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValueError(f"a hold lasts {MIN_MINUTES} to {MAX_MINUTES} minutes")
    if len(country) != 2 or not country.isalpha():
        raise ValueError("a country is its two-letter code, such as IN or BR")
    db["hold_times"].upsert(
        {"country": country.upper(), "minutes": minutes, "updated_at": now.isoformat(), "updated_by": actor},
        pk="country",
    )
    return minutes
