"""The outbox: events commit with the change that causes them, reach subscribers at least once,
and timers fire once, when due, even across a restart."""

from __future__ import annotations

import datetime as dt

from miniapps import Auditor, Fragile, Idempotent, Ledger
from souk_sdk.testing import World


def _count(world, app: str, sql: str) -> int:
    return world.core.runtime.app_store(app).db.execute(sql).fetchone()[0]


def _entries(world) -> list[int]:
    return [
        r["amount"] for r in world.core.runtime.app_store("ledger").db.query("SELECT amount FROM entries")
    ]


def test_an_event_emitted_in_a_transaction_reaches_each_subscriber_once(souk_world) -> None:
    ledger, auditor, second = Ledger(), Auditor(), Auditor("auditor2")
    world = souk_world([ledger, auditor, second])
    chat = world.user("Ana", "BR").app_chat("ledger")

    reply = chat.send("/record 250")
    event_id = reply.text.removeprefix("recorded ")
    assert _entries(world) == [250]
    assert auditor.received == [event_id]
    assert second.received == [event_id]
    world.advance(hours=2)  # no redelivery of a delivered event
    assert auditor.received == [event_id]
    assert second.received == [event_id]
    assert _count(world, "ledger", "SELECT COUNT(*) FROM _souk_outbox WHERE delivered_at IS NULL") == 0


def test_a_transaction_that_fails_after_emitting_delivers_nothing_and_writes_nothing(souk_world) -> None:
    ledger, auditor = Ledger(), Auditor()
    world = souk_world([ledger, auditor])
    chat = world.user("Ana", "BR").app_chat("ledger")

    assert chat.send("/recordfail 99").text == "rolled back"
    world.advance(minutes=1)
    assert _entries(world) == []
    assert auditor.received == []
    assert _count(world, "ledger", "SELECT COUNT(*) FROM _souk_outbox") == 0

    # The next transaction on the same database is unaffected.
    event_id = chat.send("/record 7").text.removeprefix("recorded ")
    assert _entries(world) == [7]
    assert auditor.received == [event_id]


def test_a_failing_subscriber_is_retried_until_it_succeeds_without_repeating_others(souk_world) -> None:
    ledger, auditor, fragile = Ledger(), Auditor(), Fragile(failures=2)
    world = souk_world([ledger, auditor, fragile], handler_timeout=0.5, breaker_threshold=5)
    chat = world.user("Ana", "BR").app_chat("ledger")

    event_id = chat.send("/record 10").text.removeprefix("recorded ")
    assert fragile.attempts == 1 and fragile.succeeded == []
    world.advance(seconds=1)  # the first retry waits 2 s
    assert fragile.attempts == 1
    world.advance(seconds=1)
    assert fragile.attempts == 2 and fragile.succeeded == []
    world.advance(seconds=4)  # the second waits 4 s
    assert fragile.attempts == 3
    assert fragile.succeeded == [event_id]
    world.advance(hours=1)
    assert fragile.attempts == 3
    assert auditor.received == [event_id]  # the healthy subscriber got it once, not three times
    assert _count(world, "ledger", "SELECT COUNT(*) FROM _souk_outbox WHERE delivered_at IS NULL") == 0


def test_first_time_makes_a_redelivery_harmless(souk_world) -> None:
    ledger, idem = Ledger(), Idempotent()
    world = souk_world([ledger, idem], handler_timeout=0.5)
    chat = world.user("Ana", "BR").app_chat("ledger")

    event_id = chat.send("/record 30").text.removeprefix("recorded ")
    world.advance(seconds=2)  # the retry after the crash
    world.advance(minutes=5)
    assert idem.attempts == 2
    assert idem.first_times == [True, False]
    effects = list(world.core.runtime.app_store("idem").db.query("SELECT * FROM effects"))
    assert effects == [{"event_id": event_id, "amount": 30}]


def test_a_timer_fires_once_when_due(souk_world) -> None:
    ledger = Ledger()
    world = souk_world([ledger])
    chat = world.user("Ana", "BR").app_chat("ledger")
    assert chat.send("/remind 5 tea").text == "scheduled"
    world.advance(minutes=4, seconds=59)
    assert ledger.fired == []
    world.advance(seconds=1)
    assert ledger.fired == [{"key": "tea", "note": None}]
    world.advance(hours=3)
    assert len(ledger.fired) == 1
    assert ledger.fired_users[0] is not None  # the timer names the user it concerns
    assert _count(world, "ledger", "SELECT COUNT(*) FROM _souk_timers") == 0


def test_a_timer_with_the_same_key_replaces_the_earlier_one_and_cancel_works(souk_world) -> None:
    ledger = Ledger()
    world = souk_world([ledger])
    chat = world.user("Ana", "BR").app_chat("ledger")

    assert chat.send("/remind 5 tea first").text == "scheduled"
    assert chat.send("/remind 10 tea second").text == "scheduled"
    assert chat.send("/remind 5 walk").text == "scheduled"
    assert chat.send("/remind 5 nap").text == "scheduled"
    assert chat.send("/forget walk").text == "cancelled"
    assert chat.send("/forget walk").text == "nothing to cancel"
    assert _count(world, "ledger", "SELECT COUNT(*) FROM _souk_timers") == 2

    world.advance(minutes=5)
    assert ledger.fired == [{"key": "nap", "note": None}]  # "tea first" was replaced, "walk" cancelled
    world.advance(minutes=5)
    assert ledger.fired == [{"key": "nap", "note": None}, {"key": "tea", "note": "second"}]
    world.advance(hours=1)
    assert len(ledger.fired) == 2


def test_a_pending_timer_survives_a_restart_and_fires_once(tmp_path) -> None:
    data = tmp_path / "data"
    before = Ledger()
    world = World([before], data)
    try:
        chat = world.user("Ana", "BR").app_chat("ledger")
        assert chat.send("/remind 5 call mum").text == "scheduled"
        world.advance(minutes=2)
    finally:
        world.close()
    assert before.fired == []

    after = Ledger()
    restarted = World([after], data)
    try:
        restarted.settle()
        assert after.fired == []  # the new clock starts at 12:00 again: not due yet
        restarted.advance(minutes=5)
        assert after.fired == [{"key": "call", "note": "mum"}]
        restarted.advance(hours=1)
        assert len(after.fired) == 1
    finally:
        restarted.close()
    assert before.fired == []


def test_a_timer_due_at_once_fires_in_the_next_round(souk_world) -> None:
    ledger = Ledger()
    world = souk_world([ledger])
    chat = world.user("Ana", "BR").app_chat("ledger")
    assert chat.send("/remind 0 now").text == "scheduled"  # due at once
    assert ledger.fired == [{"key": "now", "note": None}]
    assert world.now() == dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)


def test_a_suspended_subscriber_gets_the_event_after_it_is_resumed(souk_world) -> None:
    ledger, auditor = Ledger(), Auditor()
    world = souk_world([ledger, auditor])
    chat = world.user("Ana", "BR").app_chat("ledger")
    world.core.operations.set_suspended("auditor", True, "checking", "test")

    event_id = chat.send("/record 5").text.removeprefix("recorded ")
    world.advance(minutes=1)
    assert auditor.received == []
    world.resume("auditor")
    world.advance(minutes=5)
    assert auditor.received == [event_id]
    world.advance(hours=1)
    assert auditor.received == [event_id]
