"""Per-country rules for person-to-person payments, set by operators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, Field, model_validator
from souk_sdk.country_settings import operator_set
from souk_sdk.money import currency_for, exponent, format_money
from sqlite_utils import Database

from .ledger import LedgerError

DEFAULT_MAX_TRANSFER = 10_000
"""In major units of the country's currency (₹10,000, R$10,000) until an operator says otherwise."""
DEFAULT_DAILY_TOTAL = 50_000
DEFAULT_RED_PACKET_MAX = 2_000
DEFAULT_RED_PACKET_DAILY = 10_000
DEFAULT_RED_PACKET_HOURS = 24


class PaymentSettings(BaseModel):
    """What an operator sets per country in the console, in major units of its currency.

    Where one was set, it wins over the limits ``souk payments limits`` keeps in this
    mini-app's own database (which still count where none was).
    """

    max_transfer: int = Field(
        DEFAULT_MAX_TRANSFER, ge=1, le=10**9, title="Largest transfer", description="In major units"
    )
    daily_total: int = Field(
        DEFAULT_DAILY_TOTAL, ge=1, le=10**9, title="Daily total", description="Per person, major units"
    )

    red_packet_max: int = Field(
        DEFAULT_RED_PACKET_MAX, ge=1, le=10**9, title="Largest red packet", description="In major units"
    )
    red_packet_daily_total: int = Field(
        DEFAULT_RED_PACKET_DAILY,
        ge=1,
        le=10**9,
        title="Red packets per day",
        description="Per sender, major units",
    )
    red_packet_hours: int = Field(
        DEFAULT_RED_PACKET_HOURS,
        ge=1,
        le=24 * 7,
        title="Red packet returns after",
        description="Hours until the unopened rest goes back to the sender",
    )

    @model_validator(mode="after")
    def _one_within_the_day(self) -> PaymentSettings:
        if self.max_transfer > self.daily_total:
            raise ValueError("a single transfer cannot be larger than the daily total")
        if self.red_packet_max > self.red_packet_daily_total:
            raise ValueError("a single red packet cannot be larger than the red packets of a day")
        return self


class OverLimit(LedgerError):
    code = "over_limit"


@dataclass(frozen=True)
class Limits:
    country: str
    currency: str
    max_transfer: int
    daily_total: int


def limits_for(db: Database, country: str, settings: PaymentSettings | None = None) -> Limits:
    """The country's limits: an operator's settings where set, else this database's, else the defaults."""
    row = db.execute(
        "SELECT currency, max_transfer, daily_total FROM country_limits WHERE country = ?", [country]
    ).fetchone()
    currency = row[0] if row else currency_for(country)
    unit = 10 ** exponent(currency)
    top, total = (row[1], row[2]) if row else (DEFAULT_MAX_TRANSFER * unit, DEFAULT_DAILY_TOTAL * unit)
    if settings is not None:
        chosen_top = operator_set(settings, "max_transfer")
        chosen_total = operator_set(settings, "daily_total")
        top = top if chosen_top is None else chosen_top * unit
        total = total if chosen_total is None else chosen_total * unit
    return Limits(country, currency, top, total)


def set_limits(
    db: Database, country: str, max_transfer: int, daily_total: int, actor: str, now: dt.datetime
) -> Limits:
    """Validated: both above zero, and a single transfer no larger than the daily total."""
    country = country.upper()
    currency = currency_for(country)
    if max_transfer <= 0 or daily_total <= 0:
        raise ValueError("limits are more than zero")
    if max_transfer > daily_total:
        raise ValueError("a single transfer cannot be larger than the daily total")
    db["country_limits"].upsert(
        {
            "country": country,
            "currency": currency,
            "max_transfer": max_transfer,
            "daily_total": daily_total,
            "updated_at": now.isoformat(),
            "updated_by": actor,
        },
        pk="country",
    )
    return Limits(country, currency, max_transfer, daily_total)


def day_start(now: dt.datetime) -> str:
    """Where the UTC day of ``now`` began: the daily limits count from there."""
    return now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0).isoformat()


def sent_today(db: Database, wallet_id: str, now: dt.datetime) -> int:
    start = day_start(now)
    # Today's entries only (index entries_account_created): never the wallet's whole history.
    row = db.execute(
        "SELECT COALESCE(-SUM(e.amount), 0) FROM entries e JOIN transfers t ON t.id = e.transfer_id "
        "WHERE e.account_id = ? AND e.created_at >= ? AND e.amount < 0 AND t.kind = 'p2p'",
        [wallet_id, start],
    ).fetchone()
    return row[0]


def check_transfer(
    db: Database, limits: Limits, wallet_id: str, amount: int, now: dt.datetime, locale: str | None
) -> None:
    if amount > limits.max_transfer:
        raise OverLimit(
            f"the largest single transfer in {limits.country} is "
            f"{format_money(limits.max_transfer, limits.currency, locale)}"
        )
    left = limits.daily_total - sent_today(db, wallet_id, now)
    if amount > left:
        raise OverLimit(
            f"this would pass today's limit of "
            f"{format_money(limits.daily_total, limits.currency, locale)}; "
            f"you can still send {format_money(max(left, 0), limits.currency, locale)}"
        )
