"""Live delivery inside one process: who is connected, and what to push to them.

This is the seam of scale-out: a broker-backed hub (Redis pub/sub) implements
the same two calls, ``subscribe`` and ``publish``, so that several workers can
serve one community.  Items are encoded once per publish, not once per socket.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LiveItem:
    """One frame for the WebSocket, already encoded, with where it belongs."""

    conversation_id: str | None
    seq: int | None
    frame: str
    ends_sessions: frozenset[str] = frozenset()
    """Sessions this item ends: their sockets get the frame and are closed, the others skip it."""


@dataclass(eq=False)
class Subscription:
    user_id: str
    queue: asyncio.Queue[LiveItem] = field(default_factory=lambda: asyncio.Queue(maxsize=10_000))
    overflowed: bool = False


class Hub:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscription]] = defaultdict(set)

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
                try:
                    subscription.queue.put_nowait(item)
                except asyncio.QueueFull:
                    subscription.overflowed = True
