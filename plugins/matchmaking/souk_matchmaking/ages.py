"""Ages, counted on the member's own calendar: adults only, from the day they turn 18.

"Today" is the member's own date (``ctx.today()``, in their time zone), so at
00:30 in Mumbai someone born 18 years ago today is an adult, though it is
still yesterday in UTC.  Someone born on 29 February turns a year older on 1
March in years without one.
"""

from __future__ import annotations

import datetime as dt

ADULT = 18
OLDEST = 120


def anniversary(born: dt.date, years: int) -> dt.date:
    """The day ``born`` turns ``years`` old (29 February counts from 1 March in other years)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


def age_on(born: dt.date, today: dt.date) -> int:
    years = today.year - born.year
    return years if anniversary(born, years) <= today else years - 1


def is_adult(born: dt.date, today: dt.date) -> bool:
    return anniversary(born, ADULT) <= today


def age_sql(born: str, today: str) -> str:
    """The SQL of :func:`age_on` for two ISO dates (``YYYY-MM-DD`` columns or parameters).

    The years between them, less one while the month and day of ``today`` come
    before those of ``born``: comparing ``MM-DD`` as text makes someone born on
    29 February a year older on 1 March in other years, as :func:`anniversary`.
    """
    return (
        f"(CAST(substr({today}, 1, 4) AS INTEGER) - CAST(substr({born}, 1, 4) AS INTEGER)"
        f" - (substr({today}, 6, 5) < substr({born}, 6, 5)))"
    )
