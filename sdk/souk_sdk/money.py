"""Money as integer minor units of an ISO 4217 currency, never floats.

Shared by every mini-app that shows or reads prices (the SDK is the only code
they share).  Which currency a country uses, how many decimals it has and how
to show an amount come from Babel (the CLDR data), not from a table of our own.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from babel.core import UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision, get_territory_currencies

from .errors import SoukError

MAX_DIGITS = 12
_AMOUNT = re.compile(rf"^(0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}})(?:\.([0-9]+))?$")


class InvalidAmount(SoukError):
    """An amount a person typed could not be read as money."""

    code, status = "invalid_amount", 422


def currency_for(country: str) -> str:
    """The currency a country uses today (INR in India, BRL in Brazil, EUR in France)."""
    currencies = get_territory_currencies(country, dt.date.today(), tender=True)
    if not currencies:
        raise SoukError(f"no currency is known for {country}")
    return currencies[0]


def exponent(currency: str) -> int:
    """Decimals of the currency's minor unit: 2 for INR, 0 for JPY, 3 for KWD."""
    return get_currency_precision(currency)


def parse_amount(text: str, currency: str) -> int:
    """``"12.50"`` in INR is 1250.  Refuses signs, exponents, separators and extra decimals."""
    cleaned = text.strip()
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        raise InvalidAmount(f"{text!r} is not an amount: write it like 12.50, with a dot and no signs")
    whole, fraction = match.group(1), match.group(2) or ""
    places = exponent(currency)
    if len(fraction) > places:
        raise InvalidAmount(
            f"{currency} has {places} decimal{'s' if places != 1 else ''}; {text!r} has {len(fraction)}"
            if places
            else f"{currency} has no decimals; write a whole number"
        )
    minor = int(whole) * 10**places + int(fraction.ljust(places, "0") or 0)
    if minor <= 0:
        raise InvalidAmount("an amount is more than zero")
    return minor


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


def format_money(minor: int, currency: str, locale: str | None = None) -> str:
    """``₹12.50``, ``R$ 1.250,50``: the way the reader's locale writes it."""
    try:
        return format_currency(
            to_decimal(minor, currency), currency, locale=(locale or "en").replace("-", "_")
        )
    except (UnknownLocaleError, ValueError):
        return format_currency(to_decimal(minor, currency), currency, locale="en")
