"""One SQLite file: readers per thread, and one writer that commits in groups.

Every write is a function ``work(db)`` queued to the writer thread.  The writer
takes what is queued, runs each function inside its own savepoint of one
``BEGIN IMMEDIATE`` transaction, commits once, and only then reports each
result (group commit).  A function that raises rolls back its own savepoint
and nothing else.  A write is acknowledged only after the commit that holds it,
so durability is never traded away; the fsync is merely shared.

``on_commit`` callbacks run in the writer thread in commit order, which is what
lets the core publish messages in the order their sequence numbers were given.
They run once the coroutines waiting on that group have been answered, so what
they hand to the event loop (the live frames to a large group) comes after the
writers' acknowledgements, not before.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlite_utils import Database, Migrations

T = TypeVar("T")
Synchronous = Literal["NORMAL", "FULL"]

log = logging.getLogger(__name__)

MAX_GROUP = 256


@dataclass
class _Job:
    """A queued write; its caller waits on ``future`` (a thread) or ``waiter`` (a coroutine)."""

    work: Callable[[Database], Any]
    future: concurrent.futures.Future[Any] | None = None
    on_commit: Callable[[Any], None] | None = None
    waiter: asyncio.Future[Any] | None = None
    result: Any = None
    error: BaseException | None = None

    def start(self) -> bool:
        """False when the caller was cancelled while the job waited: the write is then dropped."""
        if self.waiter is not None:
            return not self.waiter.cancelled()
        assert self.future is not None
        # Marked running, so no later cancel can make set_result fail.
        return self.future.set_running_or_notify_cancel()


def _settle(replies: list[tuple[asyncio.Future[Any], BaseException | None, Any]]) -> None:
    """On the event loop: hand each waiter of a committed group its outcome."""
    for waiter, error, result in replies:
        if waiter.done():  # cancelled after its work had run
            continue
        if error is None:
            waiter.set_result(result)
        elif isinstance(error, StopIteration):  # an asyncio future refuses it
            waiter.set_exception(RuntimeError(f"a write raised {error!r}"))
        else:
            waiter.set_exception(error)


@dataclass
class StoreStats:
    commits: int = 0
    writes: int = 0
    largest_group: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


class StoreClosed(RuntimeError):
    pass


def connect(path: Path, synchronous: Synchronous = "FULL") -> Database:
    """A connection in autocommit mode (transactions are explicit), WAL, busy timeout.

    ``secure_delete`` overwrites what is deleted or changed with zeros, so data a
    user had erased does not linger in free pages of the file.
    """
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")
    return Database(conn)


def select(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The rows of a query as dicts, straight from the connection.

    For the hot paths (every request's token and membership check, every send):
    sqlite-utils' ``Database.query`` runs each statement inside a savepoint of
    its own, three statements where one does, and each statement hands the GIL
    to the other thread and back.
    """
    cursor = db.conn.execute(sql, params)
    keys = [column[0] for column in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor]


class Store:
    """A SQLite database file with a group-committing writer thread."""

    def __init__(self, path: Path, *, synchronous: Synchronous = "FULL") -> None:
        self.path = Path(path)
        self.synchronous = synchronous
        self.stats = StoreStats()
        self._local = threading.local()
        self._readers: list[Database] = []
        self._readers_lock = threading.Lock()
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._replies: dict[asyncio.AbstractEventLoop, list[Any]] = {}
        self._writer_db = connect(self.path, synchronous)
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=f"writer:{self.path.name}", daemon=True)
        self._thread.start()

    # -- reading ---------------------------------------------------------------------------

    @property
    def db(self) -> Database:
        """This thread's read connection (each statement sees the latest commit)."""
        reader = getattr(self._local, "db", None)
        if reader is None:
            reader = connect(self.path, self.synchronous)
            reader.conn.execute("PRAGMA query_only=ON")
            self._local.db = reader
            with self._readers_lock:
                self._readers.append(reader)
        return reader

    async def read(self, work: Callable[[Database], T]) -> T:
        """Run a larger read off the event loop, on a worker thread's connection."""
        return await asyncio.to_thread(lambda: work(self.db))

    # -- writing ---------------------------------------------------------------------------

    def submit(
        self, work: Callable[[Database], T], on_commit: Callable[[T], None] | None = None
    ) -> concurrent.futures.Future[T]:
        if self._closed:
            raise StoreClosed(f"{self.path.name} is closed")
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._queue.put(_Job(work, future, on_commit))
        return future

    async def write(self, work: Callable[[Database], T], on_commit: Callable[[T], None] | None = None) -> T:
        """Queue ``work`` and wait until the transaction holding it has committed.

        The writer answers the waiters of a group with one wake-up of the event
        loop per group, not one per write.
        """
        if self._closed:
            raise StoreClosed(f"{self.path.name} is closed")
        waiter: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put(_Job(work, on_commit=on_commit, waiter=waiter))
        return await waiter

    def write_sync(self, work: Callable[[Database], T]) -> T:
        """The same, for code outside the event loop (the CLI, migrations, tests)."""
        return self.submit(work).result()

    def checkpoint(self, attempts: int = 20) -> bool:
        """Copy the write-ahead log into the file and empty it; True once it is empty.

        After an erasure: the log still holds the pages as they were before, until
        a checkpoint copies the new ones over and truncates it.  It waits for a
        writer in progress, and retries while a reader holds an older snapshot.
        """
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            for attempt in range(attempts):
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                if not busy:
                    return True
                time.sleep(0.01 * (attempt + 1))
            return False
        finally:
            conn.close()

    def migrate(self, migrations: Migrations) -> None:
        """Apply pending migrations in the writer thread, before anything else is written."""

        def apply(db: Database) -> None:
            migrations.apply(db)

        self.write_sync(apply)

    # -- the writer thread -----------------------------------------------------------------

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                break
            group = [job]
            stop = False
            while len(group) < MAX_GROUP:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                group.append(more)
            # A caller cancelled while its job waited (a timeout, a closed connection)
            # gets no write: it was never acknowledged.
            group = [j for j in group if j.start()]
            if group:
                self._commit_group(group)
                self._send_replies()
            if stop:
                break
        self._writer_db.close()

    def _commit_group(self, group: list[_Job]) -> None:
        conn = self._writer_db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            for job in group:
                self._reply(job, exc)
            return
        for index, job in enumerate(group):
            conn.execute("SAVEPOINT job")
            job.error = None  # a rerun (see below) reports its own outcome, not an earlier one
            try:
                job.result = job.work(self._writer_db)
                if isinstance(job.result, sqlite3.Cursor):
                    # A cursor (``lambda db: db.execute(...)``) must not cross to the caller's
                    # thread: freeing it there resets a cached statement that this thread may
                    # be running at that moment ("bad parameter or other API misuse").
                    job.result = None
                conn.execute("RELEASE job")
            except BaseException as exc:
                job.error = exc
                if conn.in_transaction:
                    conn.execute("ROLLBACK TO job")
                    conn.execute("RELEASE job")
                else:
                    # The statement destroyed the whole transaction (a RAISE(ROLLBACK)
                    # trigger): run the others again without the one that failed.
                    self._reply(job, exc)
                    self._commit_group(group[:index] + group[index + 1 :])
                    return
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            for job in group:
                self._reply(job, exc)
            return
        with self.stats._lock:
            self.stats.commits += 1
            self.stats.writes += len(group)
            self.stats.largest_group = max(self.stats.largest_group, len(group))
        committed = [job for job in group if job.error is None]
        for job in group:
            if job.error is not None:
                self._reply(job, job.error)
            elif job.waiter is not None:
                self._reply(job, None, job.result)
        self._send_replies()
        for job in committed:
            if job.on_commit is not None:
                try:
                    job.on_commit(job.result)
                except Exception:
                    log.exception("on_commit callback failed")
            if job.waiter is None:  # a thread's future: after its callback, as before
                self._reply(job, None, job.result)

    def _reply(self, job: _Job, error: BaseException | None, result: Any = None) -> None:
        if job.waiter is None:
            assert job.future is not None
            if error is None:
                job.future.set_result(result)
            else:
                job.future.set_exception(error)
            return
        self._replies.setdefault(job.waiter.get_loop(), []).append((job.waiter, error, result))

    def _send_replies(self) -> None:
        replies, self._replies = self._replies, {}
        for loop, batch in replies.items():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody waits
                loop.call_soon_threadsafe(_settle, batch)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join(timeout=30)
        with self._readers_lock:
            for reader in self._readers:
                with contextlib.suppress(sqlite3.ProgrammingError):
                    reader.close()
            self._readers.clear()
