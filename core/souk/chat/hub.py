"""The live bus: the seam every live frame goes through, and its in-process adapter.

Messages, screen updates, receipts, typing and presence notices reach the people
connected to this server through one interface, :class:`LiveBus`.  It has two
adapters, chosen by configuration (``souk serve --redis URL``):

- :class:`Hub` (this module, the default): who is connected to this process and
  what to push to them; a publish is queued for the recipients' connections at once;
- :class:`souk.chat.redis_bus.RedisBus`: every publish goes through Redis pub/sub, so
  that a person connected to another worker gets it; each worker hands what it
  receives to its own :class:`Hub`.

The live bus carries frames; it is not where anything is kept.  Sequence numbers
come from the database, so a connection that missed frames (a broker outage, a
move to another worker) catches up by reading what came after the last sequence
it saw.  An adapter that cannot promise commit order (``ordered`` False) lets the
connection fill a gap in a conversation's sequence from the database before
going on.  Items are encoded once per publish, not once per socket.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class LiveItem:
    """One frame for the WebSocket, already encoded, with where it belongs."""

    conversation_id: str | None
    seq: int | None
    frame: str
    ends_sessions: frozenset[str] = frozenset()
    """Sessions this item ends: their sockets get the frame and are closed, the others skip it."""


RESYNC = LiveItem(None, None, "")
"""Not a frame: tells a connection to catch up from the database (live frames may have been missed)."""


@dataclass(eq=False)
class Subscription:
    user_id: str
    queue: asyncio.Queue[LiveItem] = field(default_factory=lambda: asyncio.Queue(maxsize=10_000))
    overflowed: bool = False

    def offer(self, item: LiveItem) -> None:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed = True


class LiveBus(Protocol):
    """What an adapter of the live bus implements (all calls on the event loop)."""

    ordered: bool
    """True when items reach subscribers in the order they were published by every process."""

    @property
    def live(self) -> bool:
        """False while frames may be missed (the broker is unreachable): connections catch up instead."""
        ...

    async def start(self) -> None:
        """Connect (when there is something to connect to); called once the event loop runs."""

    async def stop(self) -> None: ...

    def subscribe(self, user_id: str) -> Subscription:
        """A new connection of ``user_id``: what is published to them lands in its queue."""
        ...

    def unsubscribe(self, subscription: Subscription) -> None: ...

    def publish(self, recipients: list[str], item: LiveItem) -> None:
        """Hand ``item`` to every connection of every recipient, wherever it is; never waits."""

    def describe(self) -> dict[str, Any]:
        """The bus's name, whether it is live, and its counts, for the health check."""
        ...


class Hub:
    """The in-process adapter: who is connected to this process, and what to push to them."""

    ordered = True
    live = True

    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscription]] = defaultdict(set)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def subscribe(self, user_id: str) -> Subscription:
        subscription = Subscription(user_id)
        self._subscribers[user_id].add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        subscribers = self._subscribers.get(subscription.user_id)
        if subscribers is not None:
            subscribers.discard(subscription)
            if not subscribers:
                del self._subscribers[subscription.user_id]

    def publish(self, recipients: list[str], item: LiveItem) -> None:
        """Queue ``item`` for every connection of every recipient (call on the event loop)."""
        for user_id in recipients:
            for subscription in self._subscribers.get(user_id, ()):
                subscription.offer(item)

    def broadcast(self, item: LiveItem) -> None:
        """Queue ``item`` for every connection of this process (a notice, or :data:`RESYNC`)."""
        for subscriptions in self._subscribers.values():
            for subscription in subscriptions:
                subscription.offer(item)

    def connections(self) -> int:
        return sum(len(s) for s in self._subscribers.values())

    def describe(self) -> dict[str, Any]:
        return {"bus": "in-process", "live": True, "connections": self.connections()}
