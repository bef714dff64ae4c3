"""Opening hours are read on the business's own wall clock, through daylight-saving changes."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from souk.business.hours import DAYS, check_hours, is_open
from souk.foundation.errors import Invalid

UTC = dt.UTC
WEEKDAYS = {day: [["09:00", "18:00"]] for day in DAYS[:5]}


def test_new_york_opens_at_nine_local_on_both_sides_of_the_spring_change() -> None:
    # 2026-03-08: clocks go from 02:00 EST to 03:00 EDT; the Friday before is UTC-5, the Monday after UTC-4.
    before, after = dt.datetime(2026, 3, 6, tzinfo=UTC), dt.datetime(2026, 3, 9, tzinfo=UTC)
    assert not is_open(WEEKDAYS, "America/New_York", before.replace(hour=13, minute=59))
    assert is_open(WEEKDAYS, "America/New_York", before.replace(hour=14))
    assert not is_open(WEEKDAYS, "America/New_York", after.replace(hour=12, minute=59))
    assert is_open(WEEKDAYS, "America/New_York", after.replace(hour=13))
    assert not is_open(WEEKDAYS, "America/New_York", after.replace(hour=22))


def test_a_night_split_over_two_days_is_open_across_midnight() -> None:
    hours = check_hours({"sat": [["00:00", "02:00"]], "fri": [["18:00", "24:00"]]})
    assert list(hours) == ["fri", "sat"]
    friday = dt.datetime(2026, 6, 5, 23, 59, tzinfo=UTC)
    assert is_open(hours, "UTC", friday) and is_open(hours, "UTC", friday + dt.timedelta(minutes=90))
    assert not is_open(hours, "UTC", friday + dt.timedelta(hours=2, minutes=1))


minutes = st.integers(0, 24 * 60)


def _time(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"


@given(st.lists(st.tuples(minutes, minutes), max_size=4), st.integers(0, 24 * 60 - 1))
def test_checked_hours_are_open_exactly_inside_their_intervals(pairs: list[tuple[int, int]], at: int) -> None:
    """Accepted exactly when every interval opens before it closes and none overlaps; then open inside one."""
    given_hours = {"wed": [[_time(a), _time(b)] for a, b in pairs]}
    spans = sorted(pairs)
    valid = all(a < b for a, b in spans) and all(x[1] <= y[0] for x, y in itertools.pairwise(spans))
    if not valid:
        with pytest.raises(Invalid):
            check_hours(given_hours)
        return
    hours = check_hours(given_hours)
    wednesday = dt.datetime(2026, 6, 3, tzinfo=UTC) + dt.timedelta(minutes=at)
    assert is_open(hours, "UTC", wednesday) == any(a <= at < b for a, b in pairs)
