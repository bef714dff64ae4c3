"""Rate limits: named rules over the ``limits`` library's moving windows.

A rule is written in that library's notation, several windows at once, such as
``"30 per 10 seconds; 120 per minute"``: the short window lets a person's burst
through and cuts a script's, the long one caps a steady script.  ``"off"``
turns a rule off.  A refusal is a :class:`RateLimited` that says, in seconds,
when the same request would be accepted again.

The counts live in this process's memory, as the live delivery does (one server
per data folder), and start again from zero when the server restarts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many, storage, strategies

from .errors import RateLimited

OFF = "off"


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
    def __init__(self) -> None:
        self._windows = strategies.MovingWindowRateLimiter(storage.MemoryStorage())

    def charge(self, *charges: Charge) -> None:
        """Count every charge, or none of them (:class:`RateLimited` if one is over its limit).

        A refused request is not counted, so a client that waits as told gets through.
        """
        for c in charges:
            if wait := self.wait(c):
                raise RateLimited(c.rule.message, code=c.rule.code, retry_after=wait)
        self.record(*charges)

    def record(self, *charges: Charge) -> None:
        """Count what already happened (a failure), whether or not it is over the limit."""
        for c in charges:
            for window in c.rule.windows:
                self._windows.hit(window, c.rule.name, c.key, cost=c.cost)

    def wait(self, c: Charge) -> float:
        """Seconds until ``c`` would be accepted: 0 if it would be now.

        Until the oldest request of a full window leaves it, or a whole window for a cost
        larger than the window allows at all.
        """
        waits = [0.0]
        for window in c.rule.windows:
            if self._windows.test(window, c.rule.name, c.key, cost=c.cost):
                continue
            if c.cost > window.amount:
                waits.append(window.get_expiry())
            else:
                reset, _remaining = self._windows.get_window_stats(window, c.rule.name, c.key)
                waits.append(max(reset - time.time(), 1.0))
        return max(waits)
