"""The core side of the SDK's test harness: a real core, in-process, on a manual clock.

``souk_sdk.testing`` finds this class through the ``souk.testing`` entry point
(the SDK never imports the core).  It runs the real app and runtime on an event
loop in a background thread and answers real HTTP requests through the ASGI
interface, so a mini-app's test exercises the same code a server runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import anyio.from_thread
import httpx

from .app import create_app
from .foundation.clock import ManualClock
from .foundation.settings import DEV_CODE, Settings
from .operators.operations import Operations
from .runtime import Runtime

ResponseObserver = Callable[["HarnessCore", httpx.Response], None]
RESPONSE_OBSERVERS: list[ResponseObserver] = []
"""Called with every response a harness receives: a test suite may check them all
(this repository's checks each one against the OpenAPI document, see ``conftest.py``)."""


class HarnessCore:
    dev_code = DEV_CODE

    def __init__(
        self,
        plugins: Iterable[Any],
        data_dir: Path,
        *,
        handler_timeout: float = 2.0,
        breaker_threshold: int = 5,
        settings: dict[str, Any] | None = None,
    ) -> None:
        """``settings`` sets others of the server's settings (``outbound_allow``, ``media_quota_bytes``)."""
        self.clock = ManualClock()
        settings = Settings(
            data_dir,
            dev_code=DEV_CODE,
            handler_timeout=handler_timeout,
            # The breaker's rule as a server has it, but judged from ``breaker_threshold`` requests
            # and two people, so a test trips it with a few (core/tests/test_breaker.py); with
            # ``breaker_threshold=1``, the first failure trips it (one request, one person).
            breaker_threshold=breaker_threshold,
            breaker_min_users=min(2, breaker_threshold),
            clock=self.clock,
            event_poll_seconds=3600,
            # A test drives a script's pace on purpose: no rate limits here (they run on the
            # server's clock, not this manual one); tests of the limits run their own server.
            # Only failures_per_user stays as a server has it: a person who keeps making a
            # mini-app fail waits, whatever the test's clock says.
            code_requests_per_hour=10_000,
            sends_per_user="off",
            sends_per_conversation="off",
            commands_per_user="off",
            phone_lookups_per_user="off",
            **(settings or {}),
        )
        self.runtime = Runtime.open(settings, list(plugins))
        self.app = create_app(settings, runtime=self.runtime)
        self._portal_cm = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_cm.__enter__()
        self._portal.call(self.runtime.start)
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://souk.test"
        )
        self.operations = Operations(self.runtime.core, self.runtime.registry, self.clock)

    def request(self, method: str, path: str, token: str | None = None, json: Any = None) -> tuple[int, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}

        async def send() -> httpx.Response:
            return await self._client.request(method, path, json=json, headers=headers)

        response = self._portal.call(send)
        for observe in RESPONSE_OBSERVERS:
            observe(self, response)
        return response.status_code, response.json() if response.content else None

    def document(self) -> dict[str, Any]:
        """The OpenAPI document this core serves (not shown to the observers)."""

        async def fetch() -> Any:
            return (await self._client.get("/api/v1/openapi.json")).json()

        return self._portal.call(fetch)

    def request_bytes(
        self, method: str, path: str, token: str | None = None, content: bytes | None = None
    ) -> tuple[int, bytes]:
        """A request whose answer is not JSON (the data archive, a photo), or whose body is not JSON
        (an upload's bytes): its status and raw body."""
        headers = {"authorization": f"Bearer {token}"} if token else {}
        if content is not None:
            headers["content-type"] = "application/octet-stream"

        async def send() -> httpx.Response:
            return await self._client.request(method, path, headers=headers, content=content)

        response = self._portal.call(send)
        for observe in RESPONSE_OBSERVERS:
            observe(self, response)
        return response.status_code, response.content

    def settle(self) -> None:
        """Wait for background handlers, events and due timers to finish."""
        self._portal.call(self.runtime.settle)

    def advance(self, delta: dt.timedelta) -> None:
        self.clock.advance(delta)
        self.settle()

    def now(self) -> dt.datetime:
        return self.clock.now()

    def enable(self, app: str, country: str) -> None:
        self.operations.enable(app, country, "harness")

    def disable(self, app: str, country: str | None = None) -> None:
        self.operations.disable(app, country, "harness")

    def resume(self, app: str) -> None:
        self.operations.set_suspended(app, False, "resumed in a test", "harness")
        self.runtime.breaker.reset(app)

    def operator_token(self, name: str, role: str, countries: str) -> str:
        """A token of a new operator account (the admin API refuses chat users' tokens)."""
        self.runtime.operator_accounts.add(name, role, countries, "harness")
        return self.runtime.operator_accounts.issue_sync(name)

    def set_country(self, user_id: str, country: str) -> None:
        """Move a user to another country, as if they were roaming there."""
        self.runtime.core.write_sync(
            lambda db: db.execute("UPDATE users SET country = ? WHERE id = ?", [country, user_id])
        )

    def app_names(self) -> list[str]:
        return [a.name for a in self.runtime.registry.apps.values() if not a.builtin]

    def allowed(self, app: str, country: str) -> bool:
        return self.runtime.registry.apps[app].manifest.serves(country)

    def close(self) -> None:
        self._portal.call(self._client.aclose)
        self._portal.call(self.runtime.stop)
        self._portal_cm.__exit__(None, None, None)
