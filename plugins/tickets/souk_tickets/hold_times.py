"""How long chosen seats are held for their buyer: an operator's setting per country (10 minutes).

Set in the console (the per-country setting ``hold_minutes``), which wins where it was
made, or with ``souk tickets hold-time``, kept in ``hold_times``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pydantic import BaseModel, Field
from souk_sdk import Context
from souk_sdk.country_settings import operator_set
from sqlite_utils import Database

DEFAULT_MINUTES = 10
MIN_MINUTES, MAX_MINUTES = 1, 120

OperatorsHold = Callable[[str], "int | None"]
"""A country's hold time as an operator set it in the console, or ``None`` where none was set."""


class HoldSettings(BaseModel):
    hold_minutes: int = Field(
        DEFAULT_MINUTES,
        ge=MIN_MINUTES,
        le=MAX_MINUTES,
        title="Seat hold (minutes)",
        description="How long chosen seats wait for their buyer to pay",
    )


def none_set(country: str) -> int | None:
    return None


def operators_hold(ctx: Context) -> OperatorsHold:
    """Read on each call (an event's country at a time), so a change counts from the next screen."""
    return lambda country: operator_set(ctx.settings_for(country), "hold_minutes")


def for_handler(ctx: Context, country: str) -> int:
    """The hold time in ``country`` for a handler: the operator's setting, else this database's."""
    return hold_minutes(ctx.db, country, operators_hold(ctx)(country))


def hold_minutes(db: Database, country: str, chosen: int | None = None) -> int:
    """``chosen``: the operator's setting for the country, where one was made (it wins)."""
    if chosen is not None:
        return chosen
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
