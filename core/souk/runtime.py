"""The running core: its parts, built once per app and closed with it.

This object only composes; each part (store, auth, dispatcher, relay, ...)
lives in its own module with its own idea.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import secrets
from collections.abc import Coroutine, Iterable
from typing import Any

from souk_sdk import Command, SoukError

from .chat import conversations
from .chat.hub import LiveBus
from .chat.media import Media, MediaLimits
from .chat.messaging import Messenger, notice_item
from .chat.redis_bus import bus_for
from .foundation.clock import iso
from .foundation.outbound import OutboundRules
from .foundation.settings import Settings
from .foundation.user_limits import UserLimits
from .miniapps import scope_guard
from .miniapps.availability import Availability
from .miniapps.breaker import Breaker, rule_of
from .miniapps.context import AppContext
from .miniapps.data_rights import DataRights
from .miniapps.dispatch import Dispatcher
from .miniapps.events import EventRelay
from .miniapps.health import Health
from .miniapps.payments import PaymentsBridge
from .miniapps.registry import InstalledApp, Registry, load
from .miniapps.screen_images import OutsideImages
from .operators.accounts import Accounts
from .operators.metrics import Metrics
from .people.access_log import AccessLog, handovers
from .people.auth import Auth
from .people.consent import Consents
from .people.identities import Identities
from .storage.schema import app_runtime_migrations, core_migrations
from .storage.store import Store

log = logging.getLogger(__name__)


def _secret(store: Store) -> bytes:
    """The server's secret (pseudonyms, code hashes), made on first start and kept."""

    def get_or_create(db: Any) -> str:
        rows = list(db.query("SELECT value FROM settings WHERE key = 'secret'"))
        if rows:
            return rows[0]["value"]
        value = secrets.token_hex(32)
        db["settings"].insert({"key": "secret", "value": value})
        return value

    return bytes.fromhex(store.write_sync(get_or_create))


class Runtime:
    def __init__(self, settings: Settings, registry: Registry) -> None:
        self.settings = settings
        self.registry = registry
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        (settings.data_dir / "apps").mkdir(exist_ok=True)
        self.core = Store(settings.core_db_path)
        self.core.migrate(core_migrations)
        self.secret = _secret(self.core)
        self.app_stores: dict[str, Store] = {}
        for app in registry.apps.values():
            if not app.builtin:
                self.app_stores[app.name] = self._open_app_store(app)
        clock = settings.clock
        self.hub: LiveBus = bus_for(settings.redis_url)
        self.messenger = Messenger(self.core, self.hub, clock)
        self.media = Media(
            self.core,
            settings.data_dir / "media",
            clock,
            MediaLimits(max_bytes=settings.media_max_bytes, quota_bytes=settings.media_quota_bytes),
        )
        self.outside_images = OutsideImages(
            self.core,
            self.media,
            OutboundRules(settings.outbound_allow, settings.outbound_timeout, settings.outbound_max_bytes),
            clock,
        )
        self.auth = Auth(self.core, settings, self.secret)
        self.limits = UserLimits(settings)
        self.identities = Identities(self.core, self.secret)
        self.consents = Consents(self.core, clock)
        self.access_log = AccessLog(self.core, clock)
        self.availability = Availability(self.core, {a.name for a in registry.apps.values() if a.builtin})
        self.breaker = Breaker(self.core, clock, rule_of(settings))
        self.operator_accounts = Accounts(self.core, clock)
        self.health = Health(clock)
        self.metrics = Metrics(self.core, registry, self.availability, self.health)
        self.dispatcher = Dispatcher(self)
        self.relay = EventRelay(self, self.dispatcher)
        self.payments = PaymentsBridge(self)
        self.data_rights = DataRights(self)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._relay_task: asyncio.Task[None] | None = None
        self._services: list[asyncio.Task[None]] = []

    @classmethod
    def open(cls, settings: Settings, plugins: Iterable[Any] | None = None) -> Runtime:
        return cls(settings, load(plugins))

    def _open_app_store(self, app: InstalledApp) -> Store:
        store = Store(self.settings.app_db_path(app.name))
        store.migrate(app_runtime_migrations)
        if app.migrations is not None:
            store.migrate(app.migrations)
        return store

    def app_store(self, name: str) -> Store:
        try:
            return self.app_stores[name]
        except KeyError:
            raise SoukError(f"{name} has no database") from None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        await self.hub.start()
        self.messenger.bind(loop)
        self.relay.bind(loop)
        self._relay_task = asyncio.create_task(self.relay.run_forever(), name="souk-relay")

    def keep_running(self, work: Coroutine[Any, Any, None], name: str) -> None:
        """Run a service (a heartbeat) on the event loop until the runtime stops."""
        self._services.append(asyncio.create_task(work, name=name))

    async def stop(self) -> None:
        for service in self._services:
            service.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await service
        if self._relay_task is not None:
            self._relay_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._relay_task
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=self.settings.handler_timeout + 1)
        await self.hub.stop()
        self.close()

    def close(self) -> None:
        self.dispatcher.close()
        for store in self.app_stores.values():
            store.close()
        self.core.close()

    def spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``work`` in the background, kept until it ends; its errors are logged."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())

    async def settle(self, rounds: int = 50) -> None:
        """Wait until background handlers are done and no event or due timer is pending."""
        for _ in range(rounds):
            while self._tasks:
                await asyncio.wait(set(self._tasks))
            await self.relay.pump()
            if not self._tasks and self.relay.pending_count() == 0:
                return

    def kick_events(self) -> None:
        self.relay.kick()

    def available(self, user: dict[str, Any]) -> list[tuple[InstalledApp, Command]]:
        return self.dispatcher.available(user)

    async def request_payment(
        self, merchant: InstalledApp, user: dict[str, Any], conversation: dict[str, Any] | None, **fields: Any
    ) -> Any:
        return await self.payments.request(merchant, user, conversation, **fields)

    async def refund_payment(self, merchant: InstalledApp, user: dict[str, Any] | None, **fields: Any) -> Any:
        return await self.payments.refund(merchant, user, **fields)

    # -- contexts --------------------------------------------------------------------------

    async def context(
        self,
        app: InstalledApp,
        user: dict[str, Any] | None,
        conversation: dict[str, Any] | None,
        granted: set[str] | None = None,
        *,
        purpose: str = "",
    ) -> AppContext:
        """The context a handler of ``app`` gets; the fields it hands over are logged for the user."""
        app_user = None
        if user is not None:
            scopes = granted if granted is not None else self.consents.granted(user["id"], app.name)
            scopes = scope_guard.within_manifest(app, scopes)
            app_user = await self.identities.app_user(app.name, user, scopes)
            await self.access_log.record(handovers(user["id"], app.name, scopes, purpose or app.name))
        return AppContext(self, app, user, app_user, conversation)

    async def open_app_chat(self, user_id: str, app: InstalledApp) -> str:
        """The id of the user's chat with ``app``, announced to them when it is new."""
        now = iso(self.settings.clock.now())
        row, created = await self.core.write(
            lambda db: conversations.open_app_chat(db, user_id, app.name, app.title, now)
        )
        if created:
            self.announce_conversation(row["id"], [user_id])
        return row["id"]

    def end_sessions(self, user_id: str, session_ids: Iterable[str]) -> None:
        """Close the open WebSockets of sessions just revoked (their tokens are refused already)."""
        ended = frozenset(session_ids)
        if ended:
            item = notice_item("session_ended", {})
            self.hub.publish([user_id], dataclasses.replace(item, ends_sessions=ended))

    def announce_conversation(self, conversation_id: str, user_ids: list[str]) -> None:
        """Tell connected members that a conversation appeared in their list."""
        self.hub.publish(user_ids, notice_item("conversation", {"conversation_id": conversation_id}))
