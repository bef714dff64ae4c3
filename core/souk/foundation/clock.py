"""Time, behind an object, so tests can move it forward."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class ManualClock:
    """A clock that stands still until a test advances it."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._now = start or dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        with self._lock:
            return self._now

    def advance(self, delta: dt.timedelta | None = None, **kwargs: float) -> dt.datetime:
        step = delta if delta is not None else dt.timedelta(**kwargs)
        with self._lock:
            self._now += step
            return self._now


def iso(moment: dt.datetime) -> str:
    """The one way times are stored: UTC, ISO 8601, sortable as text."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")
