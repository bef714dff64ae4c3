"""The breaker's rule: an error rate over a rolling window, from many people, each counted up to a share.

Counting failures in a row lets anyone with an account switch a mini-app off
for everybody: five requests that make it fail are enough.  So the breaker
judges as Hystrix and Envoy's outlier detection do, on the rate of failures
among a mini-app's recent requests, and only once there are enough of them
(the request volume) from enough people whose requests failed; and one
person's failures count for at most a small share of the requests, however
many there are.  An attacker's own failures can then only make up that share:
the rest of the rate has to come from failures of other people's requests,
which is what a mini-app that is really broken produces.

The window is kept in buckets (a tenth of the window each), so judging costs
the same however busy the mini-app is.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field

NOBODY = ""
"""The source of failures no person caused (an event about nobody): counted as one more person."""

BUCKETS = 10


@dataclass(frozen=True)
class ErrorRateRule:
    window: float
    """Seconds of history the rule looks at."""
    min_requests: int
    error_rate: float
    min_users: int
    """Below two, one person's first requests could trip it: only for tests that want it to trip at once."""
    user_share: float

    def __post_init__(self) -> None:
        if self.window <= 0 or self.min_requests < 1 or self.min_users < 1:
            raise ValueError("the breaker needs a window, at least one request and at least one person")
        if not 0 < self.user_share < self.error_rate <= 1:
            raise ValueError("one person's share must be below the error rate, or one person could trip it")


@dataclass(frozen=True)
class Verdict:
    requests: int
    failures: int
    counted: int
    """The failures that count: each person's up to their share of the requests."""
    people: int
    """Distinct people whose requests failed."""
    trips: bool

    def describe(self, window: float) -> str:
        rate = self.counted / self.requests if self.requests else 0.0
        return (
            f"{rate:.0%} of {self.requests} requests in the last {window:g} s failed "
            f"({self.failures} failures from {self.people} people, {self.counted} counted)"
        )


@dataclass
class _Bucket:
    index: int
    requests: int = 0
    failures: Counter[str] = field(default_factory=Counter)


class RollingWindow:
    """The outcomes of one mini-app's requests over the rule's window."""

    def __init__(self, rule: ErrorRateRule) -> None:
        self.rule = rule
        self._width = rule.window / BUCKETS
        self._buckets: deque[_Bucket] = deque()

    def record(self, at: float, who: str | None, failed: bool) -> None:
        """One request that reached the mini-app at ``at`` (seconds), by ``who`` (None: nobody)."""
        index = math.floor(at / self._width)
        self._forget(index)
        if not self._buckets or self._buckets[-1].index < index:
            self._buckets.append(_Bucket(index))
        bucket = self._buckets[-1]
        bucket.requests += 1
        if failed:
            bucket.failures[who or NOBODY] += 1

    def verdict(self, at: float) -> Verdict:
        self._forget(math.floor(at / self._width))
        requests = sum(b.requests for b in self._buckets)
        by_person: Counter[str] = Counter()
        for bucket in self._buckets:
            by_person.update(bucket.failures)
        share = math.ceil(self.rule.user_share * requests)
        counted = sum(min(n, share) for n in by_person.values())
        trips = (
            requests >= self.rule.min_requests
            and len(by_person) >= self.rule.min_users
            and counted >= self.rule.error_rate * requests
        )
        return Verdict(requests, sum(by_person.values()), counted, len(by_person), trips)

    def _forget(self, index: int) -> None:
        """Drop the buckets that left the window ending in bucket ``index``."""
        while self._buckets and self._buckets[0].index <= index - BUCKETS:
            self._buckets.popleft()
