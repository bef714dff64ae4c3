"""How each mini-app is doing in each country: requests, failures and latency, minute by minute.

Every request that reaches a mini-app (a command, a press, an event, a call of
its routes) is recorded here by the dispatcher with the country of the person it
was for (``-`` for an event about nobody), its outcome and how long the handler
took.  An hour of one-minute buckets is kept in memory, per process; the
latencies of a bucket are a sample of at most ``SAMPLE`` of them (reservoir
sampling), so p50 and p99 cost the same however busy a mini-app is.  The same
observations feed the Prometheus counters (:mod:`souk.operators.metrics`).
"""

from __future__ import annotations

import math
import random
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..foundation.clock import Clock

KEPT_MINUTES = 60
SAMPLE = 500
NOBODY = "-"

Observer = Callable[[str, str, bool, float], None]
"""Told of every request: the mini-app, the country, whether it failed, its seconds."""


@dataclass
class _Minute:
    minute: int
    requests: int = 0
    failures: int = 0
    latencies: list[float] = field(default_factory=list)

    def add(self, failed: bool, seconds: float, rng: random.Random) -> None:
        self.requests += 1
        self.failures += int(failed)
        if len(self.latencies) < SAMPLE:
            self.latencies.append(seconds)
        else:
            slot = rng.randrange(self.requests)
            if slot < SAMPLE:
                self.latencies[slot] = seconds


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile of ``values`` (``share`` 0.5 for the median); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


class Health:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._series: dict[tuple[str, str], deque[_Minute]] = {}
        self._lock = threading.Lock()
        self._rng = random.Random()
        self.observers: list[Observer] = []

    def _minute(self) -> int:
        return int(self.clock.now().timestamp() // 60)

    def record(self, app: str, country: str | None, failed: bool, seconds: float) -> None:
        country = country or NOBODY
        now = self._minute()
        with self._lock:
            series = self._series.setdefault((app, country), deque())
            if not series or series[-1].minute < now:
                series.append(_Minute(now))
            while series and series[0].minute <= now - KEPT_MINUTES:
                series.popleft()
            series[-1].add(failed, seconds, self._rng)
        for observe in self.observers:
            observe(app, country, failed, seconds)

    def summary(self, app: str, country: str, minutes: int) -> dict[str, Any]:
        """Requests, failures, error rate and latency (p50, p99, in ms) over the last ``minutes``."""
        since = self._minute() - minutes
        with self._lock:
            buckets = [b for b in self._series.get((app, country), ()) if b.minute > since]
            requests = sum(b.requests for b in buckets)
            failures = sum(b.failures for b in buckets)
            latencies = [v for b in buckets for v in b.latencies]
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        return {
            "requests": requests,
            "failures": failures,
            "error_rate": failures / requests if requests else 0.0,
            "p50_ms": None if p50 is None else round(p50 * 1000, 3),
            "p99_ms": None if p99 is None else round(p99 * 1000, 3),
        }

    def seen(self) -> list[tuple[str, str]]:
        """The (mini-app, country) pairs with requests in the last hour."""
        since = self._minute() - KEPT_MINUTES
        with self._lock:
            return sorted(k for k, s in self._series.items() if s and s[-1].minute > since)
