"""What the mini-app machinery needs from the running core, as a protocol.

Dispatch, event delivery, contexts and the payments bridge are given a
:class:`Host` (the runtime implements it) instead of importing the runtime,
so the runtime can compose them without an import cycle.  Everything here is
either a part from a lower layer (stores, people, chat) or a call the
composition answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from souk_sdk import Command, Context

    from ..chat.media import Media
    from ..chat.messaging import Messenger
    from ..foundation.settings import Settings
    from ..foundation.user_limits import UserLimits
    from ..people.access_log import AccessLog
    from ..people.consent import Consents
    from ..people.identities import Identities
    from ..storage.store import Store
    from .availability import Availability
    from .breaker import Breaker
    from .health import Health
    from .registry import InstalledApp, Registry
    from .screen_images import OutsideImages


class Host(Protocol):
    settings: Settings
    secret: bytes
    registry: Registry
    core: Store
    app_stores: dict[str, Store]
    messenger: Messenger
    media: Media
    outside_images: OutsideImages
    identities: Identities
    consents: Consents
    access_log: AccessLog
    availability: Availability
    breaker: Breaker
    health: Health
    limits: UserLimits

    def app_store(self, name: str) -> Store: ...

    def spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]: ...

    def kick_events(self) -> None:
        """Ask for an event delivery round soon (safe from any thread)."""

    def available(self, user: dict[str, Any]) -> list[tuple[InstalledApp, Command]]:
        """The commands live for ``user`` (country, rollout, running), in name order."""

    async def context(
        self,
        app: InstalledApp,
        user: dict[str, Any] | None,
        conversation: dict[str, Any] | None,
        granted: set[str] | None = None,
        *,
        purpose: str = "",
    ) -> Context: ...

    async def open_app_chat(self, user_id: str, app: InstalledApp) -> str: ...

    def announce_conversation(self, conversation_id: str, user_ids: list[str]) -> None: ...

    async def request_payment(
        self, merchant: InstalledApp, user: dict[str, Any], conversation: dict[str, Any] | None, **fields: Any
    ) -> Any: ...

    async def refund_payment(
        self, merchant: InstalledApp, user: dict[str, Any] | None, **fields: Any
    ) -> Any: ...
