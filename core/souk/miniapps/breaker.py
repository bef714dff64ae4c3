"""The circuit breaker: a mini-app that keeps failing is suspended until an operator resumes it."""

from __future__ import annotations

import logging
from collections import Counter

from ..foundation.clock import Clock, iso
from ..storage.store import Store
from . import availability

log = logging.getLogger(__name__)


class Breaker:
    def __init__(self, store: Store, clock: Clock, threshold: int) -> None:
        self.store = store
        self.clock = clock
        self.threshold = threshold
        self._failures: Counter[str] = Counter()

    def succeeded(self, app: str) -> None:
        self._failures.pop(app, None)

    async def failed(self, app: str, why: str) -> bool:
        """Count a failure; return True when this one tripped the breaker."""
        self._failures[app] += 1
        count = self._failures[app]
        if count < self.threshold:
            return False
        self._failures.pop(app, None)
        reason = f"{count} failures in a row, the last: {why}"
        now = iso(self.clock.now())
        tripped = await self.store.write(
            lambda db: availability.set_suspended(db, app, True, reason, "breaker", now)
        )
        if tripped:
            log.error("mini-app %s suspended: %s", app, reason)
        return tripped

    def reset(self, app: str) -> None:
        self._failures.pop(app, None)
