"""What operators do, shared by the admin API and the ``souk`` CLI."""

from __future__ import annotations

from typing import Any

from ..foundation.clock import Clock, iso
from ..foundation.errors import Invalid, NotFound
from ..miniapps import availability
from ..miniapps.registry import InstalledApp, Registry
from ..storage.store import Store
from . import audit
from .audit import AuditFilter


class Operations:
    def __init__(self, store: Store, registry: Registry, clock: Clock) -> None:
        self.store = store
        self.registry = registry
        self.clock = clock

    def app(self, name: str) -> InstalledApp:
        app = self.registry.apps.get(name)
        if app is None:
            raise NotFound(f"no mini-app called {name!r} is installed", code="app_not_found")
        return app

    def describe(self) -> list[dict[str, Any]]:
        db = self.store.db
        countries: dict[str, list[str]] = {}
        for row in db.query("SELECT app, country FROM app_countries ORDER BY country"):
            countries.setdefault(row["app"], []).append(row["country"])
        states = {r["app"]: r for r in db.query("SELECT * FROM app_state")}
        result = []
        for app in sorted(self.registry.apps.values(), key=lambda a: a.name):
            state = states.get(app.name)
            suspended = bool(state and state["suspended"])
            result.append(
                {
                    "name": app.name,
                    "title": app.title,
                    "version": app.manifest.version,
                    "builtin": app.builtin,
                    "allowed_countries": app.manifest.countries,
                    "enabled_countries": ["*"] if app.builtin else countries.get(app.name, []),
                    "state": "suspended" if suspended else "running",
                    "suspended_reason": state["reason"] if suspended and state else None,
                }
            )
        return result

    def _configurable(self, name: str) -> InstalledApp:
        app = self.app(name)
        if app.builtin:
            raise Invalid(f"{name} is built in and always on", code="builtin_app")
        return app

    def enable(self, name: str, country: str, actor: str) -> bool:
        app = self._configurable(name)
        now = iso(self.clock.now())
        return self.store.write_sync(
            lambda db: availability.enable(db, app.name, country, app.manifest.countries, actor, now)
        )

    def enable_everywhere_allowed(self, name: str, countries: list[str], actor: str) -> list[str]:
        """Enable ``name`` in each of ``countries`` its manifest allows; return those enabled."""
        app = self._configurable(name)
        allowed = [c for c in countries if app.manifest.serves(c)]
        for country in allowed:
            self.enable(name, country, actor)
        return allowed

    def disable(self, name: str, country: str | None, actor: str) -> int:
        app = self._configurable(name)
        now = iso(self.clock.now())
        return self.store.write_sync(lambda db: availability.disable(db, app.name, country, actor, now))

    def set_suspended(self, name: str, suspended: bool, reason: str, actor: str) -> bool:
        app = self._configurable(name)
        now = iso(self.clock.now())
        return self.store.write_sync(
            lambda db: availability.set_suspended(db, app.name, suspended, reason, actor, now)
        )

    def audit(
        self, where: AuditFilter | None = None, limit: int = 100, before: int | None = None
    ) -> list[dict[str, Any]]:
        return audit.entries(self.store.db, where or AuditFilter(), limit, before)
