"""The store's one writer commits queued writes in groups, each in its own savepoint.

A write is acknowledged only after the commit that holds it; a write that fails
rolls back alone while the rest of its group commits.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

import pytest
from souk.storage.store import Store, StoreClosed


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "group.db")
    store.write_sync(
        lambda db: db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)")
    )
    yield store
    store.close()


def _outside(path: Path) -> sqlite3.Connection:
    """A connection of its own, as another process would have: it sees only what committed."""
    return sqlite3.connect(path, isolation_level=None)


def _labels(path: Path) -> list[str]:
    conn = _outside(path)
    try:
        return sorted(row[0] for row in conn.execute("SELECT label FROM items"))
    finally:
        conn.close()


def _insert(label: str):
    return lambda db: db.execute("INSERT INTO items (label) VALUES (?)", [label]).lastrowid


def _hold_writer(store: Store) -> threading.Event:
    """Queue a write that blocks the writer until the returned event is set; later writes pile up."""
    release = threading.Event()
    started = threading.Event()

    def block(db):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(10)

    store.submit(block)
    assert started.wait(5)
    return release


def test_concurrent_writes_from_threads_all_commit_in_shared_groups(store: Store) -> None:
    threads, per_thread = 16, 25
    before = (store.stats.commits, store.stats.writes)
    barrier = threading.Barrier(threads)

    def writer(number: int) -> list[int]:
        barrier.wait()
        return [store.write_sync(_insert(f"t{number}-{i}")) for i in range(per_thread)]

    with ThreadPoolExecutor(threads) as pool:
        results = [row_id for ids in pool.map(writer, range(threads)) for row_id in ids]

    total = threads * per_thread
    assert len(results) == total and len(set(results)) == total
    assert len(_labels(store.path)) == total
    commits = store.stats.commits - before[0]
    writes = store.stats.writes - before[1]
    assert writes == total
    assert commits < writes, f"no group formed: {commits} commits for {writes} writes"
    assert store.stats.largest_group > 1


def test_concurrent_async_writes_commit_in_groups(store: Store) -> None:
    before = (store.stats.commits, store.stats.writes)

    async def main() -> list[int]:
        return await asyncio.gather(*(store.write(_insert(f"a{i}")) for i in range(300)))

    ids = asyncio.run(main())
    assert len(set(ids)) == 300
    assert len(_labels(store.path)) == 300
    commits = store.stats.commits - before[0]
    assert store.stats.writes - before[1] == 300
    assert commits < 300
    assert store.stats.largest_group >= 10


def test_a_failing_write_rolls_back_alone_while_its_group_commits(store: Store) -> None:
    release = _hold_writer(store)
    commits_before = store.stats.commits

    def failing(db):  # type: ignore[no-untyped-def]
        db.execute("INSERT INTO items (label) VALUES ('doomed')")
        raise ValueError("this write fails")

    futures: list[Future] = [store.submit(_insert(f"ok{i}")) for i in range(5)]
    bad = store.submit(failing)
    futures += [store.submit(_insert(f"ok{i}")) for i in range(5, 10)]
    release.set()

    with pytest.raises(ValueError, match="this write fails"):
        bad.result(5)
    assert all(isinstance(f.result(5), int) for f in futures)
    assert _labels(store.path) == sorted(f"ok{i}" for i in range(10))
    # The blocker's group, then one group for all eleven queued writes.
    assert store.stats.commits - commits_before == 2
    assert store.stats.largest_group >= 11


def test_a_write_that_aborts_the_whole_transaction_fails_alone(store: Store) -> None:
    store.write_sync(
        lambda db: db.execute(
            "CREATE TRIGGER no_evil BEFORE INSERT ON items WHEN NEW.label = 'evil' "
            "BEGIN SELECT RAISE(ROLLBACK, 'evil is refused'); END"
        )
    )
    release = _hold_writer(store)
    good = [store.submit(_insert(f"good{i}")) for i in range(3)]
    evil = store.submit(_insert("evil"))
    good += [store.submit(_insert(f"good{i}")) for i in range(3, 6)]
    release.set()

    with pytest.raises(sqlite3.IntegrityError, match="evil is refused"):
        evil.result(5)
    assert all(isinstance(f.result(5), int) for f in good)
    assert _labels(store.path) == sorted(f"good{i}" for i in range(6))
    assert store.write_sync(_insert("after")) > 0  # the writer is still healthy
    assert "after" in _labels(store.path)


def test_a_write_is_acknowledged_only_after_its_commit(store: Store) -> None:
    release = _hold_writer(store)
    ran = threading.Event()
    hold_group = threading.Event()

    def first(db):  # type: ignore[no-untyped-def]
        row_id = db.execute("INSERT INTO items (label) VALUES ('early')").lastrowid
        ran.set()
        return row_id

    early = store.submit(first)
    store.submit(lambda db: hold_group.wait(10))  # the same group, still running
    release.set()

    assert ran.wait(5)  # the first write has run inside the open transaction ...
    assert not early.done()  # ... but is not acknowledged before the commit
    assert _labels(store.path) == []  # and nobody outside sees it
    hold_group.set()
    assert early.result(5) > 0
    assert _labels(store.path) == ["early"]


def test_on_commit_callbacks_run_in_commit_order(store: Store) -> None:
    seen: list[int] = []
    release = _hold_writer(store)
    futures = [store.submit(lambda db, i=i: i, on_commit=seen.append) for i in range(20)]
    release.set()
    assert [f.result(5) for f in futures] == list(range(20))
    assert seen == list(range(20))


def test_a_closed_store_refuses_writes(tmp_path: Path) -> None:
    store = Store(tmp_path / "closed.db")
    store.close()
    with pytest.raises(StoreClosed):
        store.write_sync(lambda db: None)


def test_a_write_rerun_after_an_aborted_transaction_reports_its_own_outcome(store: Store) -> None:
    """When one write aborts the whole transaction, the others run again: each reports how that went."""
    store.write_sync(
        lambda db: db.execute(
            "CREATE TRIGGER no_evil BEFORE INSERT ON items WHEN NEW.label = 'evil' "
            "BEGIN SELECT RAISE(ROLLBACK, 'evil is refused'); END"
        )
    )
    runs: list[str] = []

    def flaky(db):  # type: ignore[no-untyped-def]
        runs.append("flaky")
        if len(runs) == 1:
            raise TimeoutError("failed the first time only")
        return db.execute("INSERT INTO items (label) VALUES ('flaky')").lastrowid

    release = _hold_writer(store)
    first = store.submit(flaky)
    evil = store.submit(_insert("evil"))
    release.set()

    wait([first, evil], timeout=5)
    with pytest.raises(sqlite3.IntegrityError):
        evil.result(5)
    assert runs == ["flaky", "flaky"]
    # It committed on its second run, so it must not report the first run's error.
    assert _labels(store.path) == ["flaky"]
    assert first.result(5) > 0


def test_a_write_whose_caller_gave_up_is_dropped_and_the_writer_lives_on(store: Store) -> None:
    """A caller cancelled while its write waits (a timeout, a closed request) gets no write."""

    async def main() -> int:
        release = _hold_writer(store)
        given_up = asyncio.ensure_future(store.write(_insert("never")))
        while store._queue.qsize() == 0:  # the coroutine has queued its write and waits for it
            await asyncio.sleep(0)
        given_up.cancel()
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await given_up
        return await asyncio.wait_for(store.write(_insert("later")), 5)

    assert asyncio.run(main()) > 0
    assert _labels(store.path) == ["later"]

    # A thread's write cancelled while it waits behind a busy writer is dropped the same way.
    release = _hold_writer(store)
    future = store.submit(_insert("from a thread"))
    assert future.cancel()  # still queued: the writer is busy with the blocker
    release.set()
    assert store.write_sync(_insert("still writing")) > 0
    assert _labels(store.path) == ["later", "still writing"]


def test_a_sender_is_acknowledged_before_its_message_fans_out(tmp_path: Path) -> None:
    """The ack of a send is not held back by the live frames to a large group: they follow it."""
    from souk.chat.conversations import Sender, create_group
    from souk.chat.hub import Hub
    from souk.chat.messaging import Messenger
    from souk.foundation.clock import SystemClock
    from souk.storage.schema import core_migrations

    store = Store(tmp_path / "souk.db")
    store.migrate(core_migrations)
    people = [f"u_{i}" for i in range(200)]

    def world(db):  # type: ignore[no-untyped-def]
        for i, person in enumerate(people):
            db.execute(
                "INSERT INTO users (id, phone, country, display_name, handle, locale, created_at) "
                "VALUES (?, ?, 'IN', ?, ?, 'en-IN', '2030-01-01')",
                [person, f"+9198765{i:05d}", f"P {i}", f"p_{i}"],
            )
        return create_group(db, people[0], "Everyone", people[1:], "2030-01-01")["id"]

    group = store.write_sync(world)
    hub = Hub()
    subscriptions = [hub.subscribe(person) for person in people]

    async def main() -> tuple[int, int]:
        messenger = Messenger(store, hub, SystemClock())
        messenger.bind(asyncio.get_running_loop())
        await messenger.post(group, Sender("user", people[0], "P 0"), "hello", client_id="c1")
        queued_at_ack = sum(s.queue.qsize() for s in subscriptions)
        # Then the frames follow: wait for them (the bound only stops a broken fan-out from hanging).
        for _ in range(5000):
            if sum(s.queue.qsize() for s in subscriptions) >= len(people):
                break
            await asyncio.sleep(0.001)
        return queued_at_ack, sum(s.queue.qsize() for s in subscriptions)

    try:
        assert asyncio.run(main()) == (0, 200)
    finally:
        store.close()
