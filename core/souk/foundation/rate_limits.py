"""Rate limits: named rules over the ``limits`` library's moving windows.

A rule is written in that library's notation, several windows at once, such as
``"30 per 10 seconds; 120 per minute"``: the short window lets a person's burst
through and cuts a script's, the long one caps a steady script.  ``"off"``
turns a rule off.  A refusal is a :class:`RateLimited` that says, in seconds,
when the same request would be accepted again.

The counts live in this process's memory and start again from zero when the
server restarts; with several workers they live in Redis (``souk serve --redis``,
``limits``' own Redis storage), so that a limit of 5 is 5 in all, not 5 per
worker.  There each window's count is checked and raised in one step on Redis (a
script of ``limits``), so that workers accepting at the same moment cannot pass the
limit together.  While Redis is unreachable, each worker counts in its own memory
(logged once): a limit then holds per worker, and requests are never refused for
want of a counter.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from limits import RateLimitItem, parse_many, storage, strategies

from .errors import RateLimited

OFF = "off"
RETRY_SHARED_SECONDS = 5.0
"""After Redis failed, how long this worker counts in memory before it tries Redis again."""
T = TypeVar("T")

log = logging.getLogger(__name__)


def parse_rule_text(text: str) -> tuple[RateLimitItem, ...]:
    """The windows of ``text`` (``ValueError`` if it is not the notation); none for ``"off"``."""
    if text.strip().lower() == OFF:
        return ()
    return tuple(parse_many(text))


@dataclass(frozen=True)
class Rule:
    name: str
    windows: tuple[RateLimitItem, ...]
    message: str
    code: str = "rate_limited"

    @classmethod
    def of(cls, name: str, text: str, message: str, code: str = "rate_limited") -> Rule:
        return cls(name, parse_rule_text(text), message, code)


@dataclass(frozen=True)
class Charge:
    """``cost`` requests of ``key`` (a user id, a conversation id, an address) against ``rule``."""

    rule: Rule
    key: str
    cost: int = 1


class Limiter:
    def __init__(self, shared_uri: str | None = None) -> None:
        """``shared_uri``: a Redis URL whose counters every worker shares; None: this process's memory."""
        self._memory = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self._shared: strategies.MovingWindowRateLimiter | None = None
        if shared_uri:
            shared = storage.storage_from_string(
                shared_uri, key_prefix="souk:limits", socket_timeout=0.5, socket_connect_timeout=0.5
            )
            self._shared = strategies.MovingWindowRateLimiter(shared)
        self._memory_until = 0.0

    def _counted(self, work: Callable[[strategies.MovingWindowRateLimiter], T]) -> T:
        """``work`` on the shared counters, or on this process's while they are unreachable."""
        if self._shared is not None and time.monotonic() >= self._memory_until:
            try:
                return work(self._shared)
            except Exception as exc:  # the storage's own errors: whatever Redis client is in use
                if self._memory_until == 0.0 or log.isEnabledFor(logging.DEBUG):
                    log.warning("rate limits counted per worker: the shared counters failed (%s)", exc)
                self._memory_until = time.monotonic() + RETRY_SHARED_SECONDS
        return work(self._memory)

    def charge(self, *charges: Charge) -> None:
        """Count every charge, or none of them (:class:`RateLimited` if one is over its limit).

        A refused request is not counted, so a client that waits as told gets through.  Each
        window is then taken in one step that checks and counts; if another worker took the
        last place meanwhile, the request is refused (and the windows taken before stay counted).
        """
        for c in charges:
            if wait := self.wait(c):
                raise RateLimited(c.rule.message, code=c.rule.code, retry_after=wait)
        for c in charges:
            for window in c.rule.windows:
                if not self._counted(
                    lambda w, window=window, c=c: w.hit(window, c.rule.name, c.key, cost=c.cost)
                ):
                    raise RateLimited(c.rule.message, code=c.rule.code, retry_after=max(self.wait(c), 1.0))

    def record(self, *charges: Charge) -> None:
        """Count what already happened (a failure), whether or not it is over the limit."""
        for c in charges:
            for window in c.rule.windows:
                self._counted(lambda w, window=window, c=c: w.hit(window, c.rule.name, c.key, cost=c.cost))

    def wait(self, c: Charge) -> float:
        """Seconds until ``c`` would be accepted: 0 if it would be now.

        Until the oldest request of a full window leaves it, or a whole window for a cost
        larger than the window allows at all.
        """
        return self._counted(lambda windows: _wait(windows, c))


def _wait(windows: strategies.MovingWindowRateLimiter, c: Charge) -> float:
    waits = [0.0]
    for window in c.rule.windows:
        if windows.test(window, c.rule.name, c.key, cost=c.cost):
            continue
        if c.cost > window.amount:
            waits.append(window.get_expiry())
        else:
            reset, _remaining = windows.get_window_stats(window, c.rule.name, c.key)
            waits.append(max(reset - time.time(), 1.0))
    return max(waits)
