"""The live bus through Redis pub/sub: several workers serve one community.

Every publish goes to one Redis channel as ``[recipients, conversation id, seq,
frame, sessions it ends]``; every worker listens to it and hands each item to the connections it
holds (its own :class:`~souk.chat.hub.Hub`), its own publishes included.  Redis
pub/sub keeps nothing, and that is enough: messages are stored and acknowledged
before they are published, and a connection that may have missed frames reads
them from the database by sequence number.

When Redis is unreachable (stopped, killed, restarted), sends still commit and
are acknowledged; this worker logs it once, its health check says
``live: false``, every connection is told (a ``resync`` frame with ``live:
false``) and catches up from the database every second until Redis is back.
Publishes made meanwhile wait (up to ``MAX_PENDING``) and go out when it returns;
the listener reconnects by itself, then every connection catches up once more
(``resync`` with ``live: true``), which covers whatever was published while this
worker was not listening.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from .hub import RESYNC, Hub, LiveItem, Subscription

log = logging.getLogger(__name__)

CHANNEL = "souk:live"
RETRY_SECONDS = 0.5
"""How soon a lost connection to Redis is tried again."""
CATCH_UP_SECONDS = 1.0
"""While Redis is unreachable, how often every connection catches up from the database."""
MAX_PENDING = 10_000
"""Publishes kept while Redis is unreachable; past it the oldest go (connections catch up anyway)."""
SUBSCRIBE_TIMEOUT = 5.0
"""Seconds Redis has to confirm a subscription before the attempt counts as failed."""
PIPELINE = 200
"""Publishes sent to Redis in one round trip when they queue up."""


def _resync_notice(live: bool) -> LiveItem:
    return LiveItem(None, None, json.dumps({"type": "resync", "live": live}, separators=(",", ":")))


class RedisBus:
    """The Redis adapter of :class:`~souk.chat.hub.LiveBus`."""

    ordered = False
    """Two workers' publishes may reach Redis in another order than their commits."""

    def __init__(self, url: str, *, channel: str = CHANNEL) -> None:
        self.url = url
        self.channel = channel
        self.local = Hub()
        self.outages = 0
        self.published = 0
        self.received = 0
        self.dropped = 0
        self._live = False
        self._ever_live = False
        self._pending: deque[str] = deque()
        self._wake = asyncio.Event()
        self._client: aioredis.Redis | None = None
        self._listener: aioredis.Redis | None = None
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def live(self) -> bool:
        return self._live

    async def start(self) -> None:
        # Two clients, so that dropping the listener's connections after an error never cuts a
        # publish short, and the other way round.
        self._client = _client(self.url)
        self._listener = _client(self.url)
        self._tasks = [
            asyncio.create_task(self._listen(), name="souk-bus-listen"),
            asyncio.create_task(self._send(), name="souk-bus-send"),
            asyncio.create_task(self._catch_up_while_down(), name="souk-bus-catch-up"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        for client in (self._client, self._listener):
            if client is not None:
                with contextlib.suppress(RedisError, OSError):
                    await client.aclose()

    # -- the seam --------------------------------------------------------------------------

    def subscribe(self, user_id: str) -> Subscription:
        return self.local.subscribe(user_id)

    def unsubscribe(self, subscription: Subscription) -> None:
        self.local.unsubscribe(subscription)

    def publish(self, recipients: list[str], item: LiveItem) -> None:
        if not recipients:
            return
        if len(self._pending) >= MAX_PENDING:
            self._pending.popleft()
            self.dropped += 1
        self._pending.append(
            json.dumps([recipients, item.conversation_id, item.seq, item.frame, sorted(item.ends_sessions)])
        )
        self._wake.set()

    def describe(self) -> dict[str, Any]:
        return {
            "bus": "redis",
            "live": self._live,
            "connections": self.local.connections(),
            "outages": self.outages,
            "published": self.published,
            "received": self.received,
            "pending": len(self._pending),
            "dropped": self.dropped,
        }

    # -- the connection to Redis -----------------------------------------------------------

    async def _listen(self) -> None:
        assert self._listener is not None
        while True:
            pubsub = self._listener.pubsub()
            try:
                await asyncio.wait_for(self._subscribe(pubsub), SUBSCRIBE_TIMEOUT)
                self._up()
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self._deliver(message["data"])
            except Exception as exc:  # whatever the client raises, the listener must live on
                self._down(exc)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(pubsub.aclose(), SUBSCRIBE_TIMEOUT)
                with contextlib.suppress(Exception):
                    await self._listener.connection_pool.disconnect()
            await asyncio.sleep(RETRY_SECONDS)

    async def _subscribe(self, pubsub: Any) -> None:
        """Subscribe, and wait for Redis to confirm it: only then is this worker listening."""
        await pubsub.subscribe(self.channel)
        while True:
            message = await pubsub.get_message(timeout=1.0)
            if message is not None and message.get("type") == "subscribe":
                return

    def _deliver(self, data: bytes) -> None:
        try:
            recipients, conversation_id, seq, frame, ends_sessions = json.loads(data)
        except (ValueError, TypeError):
            log.warning("an item on %s that is not one of ours was ignored", self.channel)
            return
        self.received += 1
        self.local.publish(recipients, LiveItem(conversation_id, seq, frame, frozenset(ends_sessions)))

    async def _send(self) -> None:
        assert self._client is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch = [self._pending[i] for i in range(min(PIPELINE, len(self._pending)))]
                try:
                    if len(batch) == 1:
                        await self._client.publish(self.channel, batch[0])
                    else:
                        async with self._client.pipeline(transaction=False) as pipe:
                            for payload in batch:
                                pipe.publish(self.channel, payload)
                            await pipe.execute()
                except Exception as exc:  # whatever the client raises, the sender must live on
                    self._down(exc)
                    with contextlib.suppress(Exception):
                        await self._client.connection_pool.disconnect()
                    await asyncio.sleep(RETRY_SECONDS)
                    continue
                for _ in batch:
                    if self._pending:
                        self._pending.popleft()
                self.published += len(batch)

    async def _catch_up_while_down(self) -> None:
        while True:
            await asyncio.sleep(CATCH_UP_SECONDS)
            if not self._live:
                self.local.broadcast(RESYNC)

    def _up(self) -> None:
        if self._live:
            return
        self._live = True
        if self._ever_live:
            log.warning("live delivery through Redis is back; connections catch up once more")
        else:
            log.info("live delivery through Redis at %s", _without_password(self.url))
        self._ever_live = True
        self.local.broadcast(_resync_notice(True))
        self.local.broadcast(RESYNC)
        self._wake.set()

    def _down(self, exc: BaseException) -> None:
        if not is_outage(exc):
            log.warning("the Redis client failed unexpectedly", exc_info=exc)
        if not self._live:
            if not self._ever_live and self.outages == 0:
                self.outages += 1
                log.warning("Redis unreachable (%s); live delivery waits for it, clients catch up", exc)
            return
        self._live = False
        self.outages += 1
        log.warning(
            "live delivery through Redis interrupted (%s): connections catch up from the database "
            "until it is back",
            exc,
        )
        self.local.broadcast(_resync_notice(False))
        self.local.broadcast(RESYNC)


def is_outage(exc: BaseException) -> bool:
    """Redis went away: the error, or one it was raised while handling, is a connection's.

    The client may fail a second time while cleaning up after a closed connection (a
    ``RuntimeError`` from the closed transport), so the chain is looked at, not the last link.
    """
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (RedisError, OSError, TimeoutError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _client(url: str) -> aioredis.Redis:
    # No silent retries: a reconnection the bus does not see could hide frames lost meanwhile,
    # so every lost connection is an outage that makes the connections catch up.
    return aioredis.Redis.from_url(
        url,
        socket_connect_timeout=2,
        socket_keepalive=True,
        health_check_interval=10,
        retry=Retry(NoBackoff(), 0),
    )


def _without_password(url: str) -> str:
    """The URL for a log line: no password (``redis://:secret@host`` becomes ``redis://host``)."""
    scheme, sep, rest = url.partition("://")
    return scheme + sep + rest.rpartition("@")[2]


def bus_for(redis_url: str | None) -> Hub | RedisBus:
    """The adapter the settings choose: Redis when a URL is given, else this process's hub."""
    return RedisBus(redis_url) if redis_url else Hub()
