"""Two workers' breakers over one database: a trip and a resume anywhere reach every worker's window."""

from __future__ import annotations

import asyncio
from pathlib import Path

from souk.foundation.clock import ManualClock, iso
from souk.miniapps import availability
from souk.miniapps.breaker import Breaker
from souk.miniapps.error_rate import ErrorRateRule
from souk.storage.schema import core_migrations
from souk.storage.store import Store

RULE = ErrorRateRule(window=60, min_requests=4, error_rate=0.5, min_users=2, user_share=0.3)


def test_a_resume_on_one_worker_clears_what_another_counted_before_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "souk.db")
    store.migrate(core_migrations)
    clock = ManualClock()
    one, two = Breaker(store, clock, RULE), Breaker(store, clock, RULE)

    async def scenario() -> tuple[list[bool], list[bool], bool, int, int]:
        counted_by_two = [await two.failed("shop", who, "boom") for who in "abc"]  # 3 of the 4 needed
        clock.advance(seconds=1)
        tripped_by_one = [await one.failed("shop", who, "boom") for who in "defg"]
        clock.advance(seconds=1)
        await store.write(
            lambda db: availability.set_suspended(db, "shop", False, "fixed", "operator", iso(clock.now()))
        )
        one.reset("shop")  # the worker that served the operator's resume
        clock.advance(seconds=1)
        # Worker two's window still held a, b and c: with h, four failures from four people would
        # trip it again at once.  It began before the resume, so it is forgotten.
        again = await two.failed("shop", "h", "boom")
        requests = two.verdict("shop").requests, one.verdict("shop").requests
        return counted_by_two, tripped_by_one, again, *requests

    try:
        counted_by_two, tripped_by_one, again, two_requests, one_requests = asyncio.run(scenario())
        state = store.db.execute("SELECT suspended FROM app_state WHERE app = 'shop'").fetchone()[0]
    finally:
        store.close()
    assert counted_by_two == [False, False, False]
    assert tripped_by_one == [False, False, False, True]
    assert again is False and state == 0
    assert (two_requests, one_requests) == (1, 0)
