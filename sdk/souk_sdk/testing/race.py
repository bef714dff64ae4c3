"""Run calls side by side, for tests of what happens when people act at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def race(*calls: Callable[[], Any], times: int = 1) -> list[Any]:
    """Start every call at once (each ``times`` times) on threads of its own; their results, in order.

    A call that raises gives its exception as its result, so a test counts
    outcomes instead of stopping at the first.  The harness's calls are
    thread-safe (each request is handed to the core's own event loop); a
    :class:`Chat` object keeps a read cursor, so race its raw calls
    (``chat.act(...)``, ``user.call(...)``), then ``world.settle()`` and read::

        card = chat.history()[-1]
        answers = race(lambda: chat.act("Confirm", message=card), times=20)
        assert sorted(a.status for a in answers) == [200] + [409] * 19
    """
    jobs = [call for call in calls for _ in range(times)]
    start = threading.Barrier(len(jobs))

    def run(call: Callable[[], Any]) -> Any:
        start.wait()
        try:
            return call()
        except Exception as exc:  # the outcome of that call, counted by the test
            return exc

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))
