"""The circuit breaker: a mini-app that fails for many people is suspended until an operator resumes it.

Every request that reaches a mini-app (a command, a press, an event, an HTTP
call) is recorded with the person it was for; a failure is judged by the
rule of :mod:`.error_rate`, so no one person can switch a mini-app off for
the others.  A person whose own requests keep failing is held back by the
``failures_per_user`` rate limit instead (see :class:`souk.foundation.user_limits.UserLimits`).

With several workers, each judges the requests it serves (the rule is a rate, so
each sees a broken mini-app's rate), and a trip is written to the database, so
it suspends the mini-app on every worker.  A worker forgets its window when the
mini-app's state changed in the database since the window began (a trip or an
operator's resume on another worker), so failures from before a resume never
count after it, whichever worker served them.
"""

from __future__ import annotations

import logging

from ..foundation.clock import Clock, iso
from ..foundation.settings import Settings
from ..storage.store import Store
from . import availability
from .error_rate import ErrorRateRule, RollingWindow, Verdict

log = logging.getLogger(__name__)


def rule_of(settings: Settings) -> ErrorRateRule:
    return ErrorRateRule(
        window=settings.breaker_window.total_seconds(),
        min_requests=settings.breaker_threshold,
        error_rate=settings.breaker_error_rate,
        min_users=settings.breaker_min_users,
        user_share=settings.breaker_user_share,
    )


class Breaker:
    def __init__(self, store: Store, clock: Clock, rule: ErrorRateRule) -> None:
        self.store = store
        self.clock = clock
        self.rule = rule
        self._windows: dict[str, RollingWindow] = {}
        self._states: dict[str, str | None] = {}

    def _window(self, app: str) -> RollingWindow:
        window = self._windows.get(app)
        if window is None:
            window = self._windows[app] = RollingWindow(self.rule)
        return window

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def succeeded(self, app: str, who: str | None) -> None:
        self._window(app).record(self._now(), who, failed=False)

    async def failed(self, app: str, who: str | None, why: str) -> bool:
        """Record a failure of a request for ``who``; True when it tripped the breaker."""
        self._forget_if_changed(app)
        window = self._window(app)
        window.record(self._now(), who, failed=True)
        verdict = window.verdict(self._now())
        if not verdict.trips:
            return False
        self._windows.pop(app, None)
        reason = f"{verdict.describe(self.rule.window)}, the last: {why}"
        now = iso(self.clock.now())
        tripped = await self.store.write(
            lambda db: availability.set_suspended(db, app, True, reason, "breaker", now, by="breaker")
        )
        if tripped:
            log.error("mini-app %s suspended: %s", app, reason)
        return tripped

    def _forget_if_changed(self, app: str) -> None:
        """Drop the window if the mini-app was suspended or resumed since it began (any worker)."""
        row = self.store.db.execute("SELECT changed_at FROM app_state WHERE app = ?", [app]).fetchone()
        state = row[0] if row else None
        if app in self._states and self._states[app] != state:
            self._windows.pop(app, None)
        self._states[app] = state

    def verdict(self, app: str) -> Verdict:
        """What the breaker sees of ``app`` now."""
        return self._window(app).verdict(self._now())

    def reset(self, app: str) -> None:
        self._windows.pop(app, None)
        self._states.pop(app, None)
