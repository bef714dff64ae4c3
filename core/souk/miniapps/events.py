"""Delivering the outbox: events and due timers, at least once, to their subscribers.

Each mini-app's outbox lives in its own database, written in the same
transaction as the change that caused the event.  The relay reads pending
events, refuses those the emitter may not send (:mod:`.ownership`: another's
namespace, a payment outcome that does not match a brokered payment), hands
each of the others to the mini-apps that subscribed to its emitter and type
(and to SDK 1.0 ``souk_on_event`` hooks), live in the user's country,
records each delivery in the core database, and marks the event delivered
once all are done.  A subscriber that fails is retried with backoff; after
``MAX_ATTEMPTS`` the event is set aside as dead and logged.  A crash between a
handler's success and the record of it means one more delivery, which
subscribers absorb with ``event.id`` (``tx.first_time``).

Several workers may share the data folder: each takes an event for itself before
delivering it, with a lease row in the mini-app's database (``leased_by``,
``lease_until``: taken in a write transaction, so only one worker's take
succeeds), long enough for every subscriber's handler to time out.  Only the
worker holding the lease delivers, and the record of the outcome gives it back.
A worker killed while delivering leaves its lease to run out; then another takes
the event and delivers it again (the same at-least-once as a crash).  Due timers
become events in one transaction that deletes them, so each fires once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import enum
import inspect
import json
import logging
import os
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from souk_sdk import PAYMENT_OUTCOMES, Event
from sqlite_utils import Database

from ..chat import conversations
from ..foundation.clock import iso
from ..foundation.errors import NotFound
from ..people import users
from . import outbox, ownership
from .payments import brokered
from .registry import InstalledApp

if TYPE_CHECKING:
    from .dispatch import Dispatcher
    from .host import Host

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
BATCH = 200
WAIT_RECHECK = dt.timedelta(seconds=30)
LEASE_MARGIN = dt.timedelta(seconds=5)
"""Added to the handlers' timeouts in a lease: the writes around them."""


class Delivery(enum.IntEnum):
    """How far one event got; the worst outcome over its subscribers counts."""

    DONE = 0
    WAIT = 1
    RETRY = 2
    REFUSED = 3
    """The emitter may not send it (ownership): set aside at once, delivered to nobody."""


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(2**attempts, 3600))


class EventRelay:
    def __init__(self, host: Host, dispatcher: Dispatcher) -> None:
        self.host = host
        self.dispatcher = dispatcher
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = asyncio.Lock()
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        """Who holds a lease taken by this relay (one per worker process)."""

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def kick(self) -> None:
        """Ask for a delivery round soon (safe from any thread)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def retry_waiting(self) -> int:
        """Deliver at once what waits (for a mini-app restored or enabled again), then kick a round.

        Waiting events are otherwise checked every ``WAIT_RECHECK``; an event in its backoff
        after a failure may be tried once more early, which at-least-once delivery allows.
        """
        now = iso(self.host.settings.clock.now())
        moved = 0
        for store in self.host.app_stores.values():
            moved += await store.write(
                lambda db: (
                    db.execute(
                        "UPDATE _souk_outbox SET next_attempt_at = NULL WHERE delivered_at IS NULL "
                        "AND dead_at IS NULL AND next_attempt_at > ?",
                        [now],
                    ).rowcount
                )
            )
        self.kick()
        return moved

    async def run_forever(self) -> None:
        poll = self.host.settings.event_poll_seconds
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), poll)
            self._wake.clear()
            try:
                await self.pump()
            except Exception:
                log.exception("event delivery round failed")

    async def pump(self) -> int:
        """One round over every mini-app: fire due timers, deliver pending events."""
        async with self._lock:
            delivered = 0
            for app in self.host.registry.apps.values():
                if app.name not in self.host.app_stores:
                    continue
                await self._fire_due_timers(app)
                delivered += await self._deliver_pending(app)
            return delivered

    async def _fire_due_timers(self, app: InstalledApp) -> None:
        now = iso(self.host.settings.clock.now())

        def move(db: Database) -> int:
            due = list(
                db.query("SELECT * FROM _souk_timers WHERE due_at <= ? ORDER BY due_at LIMIT ?", [now, BATCH])
            )
            for timer in due:
                outbox.add_event(
                    db,
                    {
                        "id": timer["id"].replace("t_", "e_", 1),
                        "type": timer["type"],
                        "data": timer["data"],
                        "target": app.name,
                        "user_id": timer["user_id"],
                        "conversation_id": timer["conversation_id"],
                        "created_at": now,
                    },
                )
                db.execute("DELETE FROM _souk_timers WHERE id = ?", [timer["id"]])
            return len(due)

        store = self.host.app_store(app.name)
        if store.db.execute("SELECT 1 FROM _souk_timers WHERE due_at <= ? LIMIT 1", [now]).fetchone():
            await store.write(move)

    async def _deliver_pending(self, app: InstalledApp) -> int:
        store = self.host.app_store(app.name)
        now = self.host.settings.clock.now()
        rows = list(
            store.db.query(
                "SELECT * FROM _souk_outbox WHERE delivered_at IS NULL AND dead_at IS NULL "
                "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
                "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY seq LIMIT ?",
                [iso(now), iso(now), BATCH],
            )
        )
        done = 0
        for row in rows:
            taken = await store.write(lambda db, row=row: self._take(db, app, row))
            if taken is None:
                continue  # another worker delivers it, or already did
            row = row | {"attempts": taken}
            outcome, problem = await self._deliver(app, row)
            await store.write(
                lambda db, row=row, outcome=outcome, problem=problem: self._record(
                    db, row, outcome, now, problem, self.worker
                )
            )
            done += outcome is Delivery.DONE
        return done

    def _take(self, db: Database, app: InstalledApp, row: dict[str, Any]) -> int | None:
        """Lease the event to this worker if it is still pending and nobody holds it; its attempts."""
        now = self.host.settings.clock.now()
        recipients = ownership.recipients(self.host.registry, app.name, row["type"], row["target"])
        per_handler = dt.timedelta(seconds=self.host.settings.handler_timeout + 1)
        until = now + LEASE_MARGIN + per_handler * max(1, len(recipients))
        taken = db.execute(
            "UPDATE _souk_outbox SET leased_by = ?, lease_until = ? WHERE seq = ? "
            "AND delivered_at IS NULL AND dead_at IS NULL "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
            "AND (lease_until IS NULL OR lease_until <= ?) RETURNING attempts",
            [self.worker, iso(until), row["seq"], iso(now), iso(now)],
        ).fetchone()
        return None if taken is None else taken[0]

    async def _deliver(self, source: InstalledApp, row: dict[str, Any]) -> tuple[Delivery, str | None]:
        """Offer one event to each subscriber that should have it and has not yet."""
        data = json.loads(row["data"])
        problem = ownership.refusal(
            self.host.registry, self.host.core.db, source.name, row["type"], row["target"], data
        )
        if problem is not None:
            log.error("event %s (%s) from %s refused: %s", row["id"], row["type"], source.name, problem)
            return Delivery.REFUSED, problem
        event = Event(
            id=row["id"],
            type=row["type"],
            source=source.name,
            data=data,
            to=row["target"],
            created_at=dt.datetime.fromisoformat(row["created_at"]),
            timer=row["target"] == source.name,
        )
        user = self._user(source, row["user_id"])
        conversation = self._conversation(source, row, data, user)
        availability = self.host.availability
        outcome = Delivery.DONE
        for recipient in ownership.recipients(self.host.registry, source.name, event.type, event.to):
            subscriber = recipient.app
            if user is not None and not availability.enabled_for(subscriber.name, user):
                # No hook fires for users where the subscriber is disabled.  An event addressed
                # to it (its own timer, the outcome of its payment) waits for it to come back,
                # so the work it started is finished later, never lost.
                if event.to is not None:
                    outcome = max(outcome, Delivery.WAIT)
                continue
            if availability.suspended(subscriber.name) is not None:
                outcome = max(outcome, Delivery.WAIT)
                continue
            if self._delivered(source.name, event.id, subscriber.name):
                continue
            ctx = await self.host.context(subscriber, user, conversation, purpose=f"event {event.type}")
            if await self.dispatcher.deliver(subscriber, ctx, self._handle(recipient, event, ctx)):
                await self.host.core.write(
                    lambda db, sub=subscriber: db.execute(
                        "INSERT OR IGNORE INTO event_deliveries VALUES (?, ?, ?, ?)",
                        [source.name, event.id, sub.name, iso(self.host.settings.clock.now())],
                    )
                )
            else:
                outcome = Delivery.RETRY
        return outcome, None

    def _handle(self, recipient: ownership.Recipient, event: Event, ctx: Any) -> Callable[[], Any]:
        """One call of every handler the recipient has for this event, in declaration order.

        An ``async`` handler is awaited here; a plain one (and the 1.0 hook) runs on a
        worker thread, so one that blocks cannot stall the event loop, nor escape the
        timeout; an awaitable it returns is awaited here.
        """
        registry, dispatcher = self.host.registry, self.dispatcher

        async def run() -> None:
            for handler in recipient.handlers:
                result = dispatcher.bind(handler, ctx, event)()
                while inspect.isawaitable(result):
                    result = await result
            if recipient.legacy:
                result = await dispatcher.run_sync(
                    lambda: next(
                        iter(registry.call_one("souk_on_event", recipient.app, event=event, ctx=ctx)), None
                    )
                )
                while inspect.isawaitable(result):
                    result = await result

        return run

    def _user(self, source: InstalledApp, pseudonym: str | None) -> dict[str, Any] | None:
        """The user an event is about, from the source mini-app's id for them."""
        if not pseudonym:
            return None
        # The source mini-app's id for the user (a core id in rows written before that).
        user_id = self.host.identities.user_id_for(source.name, pseudonym) or pseudonym
        try:
            return users.by_id(self.host.core.db, user_id)
        except NotFound:
            return None

    def _conversation(
        self, source: InstalledApp, row: dict[str, Any], data: dict[str, Any], user: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        """Where the event belongs: the conversation the user acted in, if they are still in it.

        For a payment outcome, the one the brokered request came from (the core's own
        record, not the provider's word).
        """
        if user is None:
            return None
        conversation_id = row.get("conversation_id")
        if row["type"] in PAYMENT_OUTCOMES and row["target"] is not None:
            record = brokered(self.host.core.db, source.name, row["target"], data)
            conversation_id = record["conversation_id"] if record else None
        if not conversation_id:
            return None
        try:
            return conversations.require_member(self.host.core.db, conversation_id, user["id"])
        except NotFound:
            return None

    def _delivered(self, source: str, event_id: str, subscriber: str) -> bool:
        return (
            self.host.core.db.execute(
                "SELECT 1 FROM event_deliveries WHERE source = ? AND event_id = ? AND subscriber = ?",
                [source, event_id, subscriber],
            ).fetchone()
            is not None
        )

    @staticmethod
    def _record(
        db: Database,
        row: dict[str, Any],
        outcome: Delivery,
        now: dt.datetime,
        problem: str | None = None,
        worker: str | None = None,
    ) -> None:
        """The outcome of one delivery, and the lease given back."""
        if worker is not None:
            db.execute(
                "UPDATE _souk_outbox SET leased_by = NULL, lease_until = NULL "
                "WHERE seq = ? AND leased_by = ?",
                [row["seq"], worker],
            )
        if outcome is Delivery.DONE:
            db.execute("UPDATE _souk_outbox SET delivered_at = ? WHERE seq = ?", [iso(now), row["seq"]])
            return
        if outcome is Delivery.REFUSED:
            db.execute(
                "UPDATE _souk_outbox SET dead_at = ?, problem = ? WHERE seq = ?",
                [iso(now), problem, row["seq"]],
            )
            return
        if outcome is Delivery.WAIT:
            # Waiting on a suspended or disabled subscriber is not a failed attempt.
            db.execute(
                "UPDATE _souk_outbox SET next_attempt_at = ? WHERE seq = ?",
                [iso(now + WAIT_RECHECK), row["seq"]],
            )
            return
        attempts = row["attempts"] + 1
        if attempts >= MAX_ATTEMPTS:
            log.error("event %s (%s) set aside after %d attempts", row["id"], row["type"], attempts)
            db.execute(
                "UPDATE _souk_outbox SET attempts = ?, dead_at = ?, problem = ? WHERE seq = ?",
                [attempts, iso(now), "the subscribers kept failing", row["seq"]],
            )
        else:
            db.execute(
                "UPDATE _souk_outbox SET attempts = ?, next_attempt_at = ? WHERE seq = ?",
                [attempts, iso(now + backoff(attempts)), row["seq"]],
            )

    def pending_count(self) -> int:
        total = 0
        now = iso(self.host.settings.clock.now())
        for store in self.host.app_stores.values():
            total += store.db.execute(
                "SELECT COUNT(*) FROM _souk_outbox WHERE delivered_at IS NULL AND dead_at IS NULL "
                "AND (next_attempt_at IS NULL OR next_attempt_at <= ?)",
                [now],
            ).fetchone()[0]
            total += store.db.execute(
                "SELECT COUNT(*) FROM _souk_timers WHERE due_at <= ?", [now]
            ).fetchone()[0]
        return total
