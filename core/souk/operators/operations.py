"""What operators do, shared by the admin API and the ``souk`` CLI."""

from __future__ import annotations

from typing import Any

from ..business import accounts as businesses
from ..foundation.clock import Clock, iso
from ..foundation.errors import Invalid, NotFound
from ..miniapps import availability, country_settings
from ..miniapps.registry import InstalledApp, Registry
from ..storage.store import Store
from . import audit, moderation
from .audit import AuditFilter
from .moderation import Decision, ReportFilter


class Operations:
    def __init__(self, store: Store, registry: Registry, clock: Clock) -> None:
        self.store = store
        self.registry = registry
        self.clock = clock

    def app(self, name: str) -> InstalledApp:
        app = self.registry.apps.get(name)
        if app is None:
            others = sorted(a.name for a in self.registry.apps.values() if not a.builtin)
            raise NotFound(
                f"no mini-app called {name!r} is installed; installed: {', '.join(others) or 'none'}",
                code="app_not_found",
            )
        return app

    def describe(self) -> list[dict[str, Any]]:
        """Every installed mini-app: what its manifest allows and asks, where it runs, its state."""
        db = self.store.db
        countries: dict[str, dict[str, int]] = {}
        for row in db.query("SELECT app, country, percent FROM app_countries ORDER BY country"):
            countries.setdefault(row["app"], {})[row["country"]] = row["percent"]
        states = {r["app"]: r for r in db.query("SELECT * FROM app_state")}
        result = []
        for app in sorted(self.registry.apps.values(), key=lambda a: a.name):
            state = states.get(app.name)
            suspended = bool(state and state["suspended"])
            percents = {"*": availability.FULL} if app.builtin else countries.get(app.name, {})
            stopped = (state["stopped_by"] or "operator") if suspended and state else None
            result.append(
                {
                    "name": app.name,
                    "title": app.title,
                    "version": app.manifest.version,
                    "description": app.manifest.description,
                    "builtin": app.builtin,
                    "allowed_countries": app.manifest.countries,
                    "scopes": list(app.manifest.scopes),
                    "sdk": app.manifest.sdk,
                    "enabled_countries": list(percents),
                    "percents": percents,
                    "state": {None: "running", "breaker": "suspended", "operator": "killed"}[stopped],
                    "suspended_reason": state["reason"] if suspended and state else None,
                    "has_settings": app.settings is not None,
                }
            )
        return result

    def matrix(self, countries: list[str]) -> list[dict[str, Any]]:
        """Each mini-app's state in each of ``countries``: off, on, rolling (at a percent),
        suspended (by the breaker) or killed (by an operator), and whether its manifest allows it."""
        rows = []
        for app in self.describe():
            cells = {}
            for country in countries:
                percent = app["percents"].get("*", app["percents"].get(country, availability.OFF))
                if percent == availability.OFF:
                    state = "off"
                elif app["state"] != "running":
                    state = app["state"]
                else:
                    state = "on" if percent == availability.FULL else "rolling"
                allowed = app["allowed_countries"] == ["*"] or country in app["allowed_countries"]
                cells[country] = {"state": state, "percent": percent, "allowed": allowed}
            rows.append({**app, "cells": cells})
        return rows

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

    def rollout(self, name: str, country: str, percent: int, actor: str) -> bool:
        """On for ``percent`` of ``country``'s people, the same ones as the percent grows (0: off)."""
        app = self._configurable(name)
        now = iso(self.clock.now())
        return self.store.write_sync(
            lambda db: availability.set_percent(
                db, app.name, country, percent, app.manifest.countries, actor, now
            )
        )

    def rollback(self, name: str, country: str, actor: str) -> int:
        """Put ``country`` back as it was before its last change; the percent it is at now."""
        app = self._configurable(name)
        now = iso(self.clock.now())
        return self.store.write_sync(lambda db: availability.rollback(db, app.name, country, actor, now))

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

    def settings(self, name: str, country: str) -> dict[str, Any]:
        """The per-country settings ``name`` declares, with their values in ``country``."""
        return country_settings.describe(self.store.db, self.app(name), country)

    def change_settings(self, name: str, country: str, wanted: dict[str, Any], actor: str) -> bool:
        """Change some of them in ``country`` (validated whole, audited); False if none moved."""
        app = self.app(name)
        now = iso(self.clock.now())
        return self.store.write_sync(lambda db: country_settings.change(db, app, country, wanted, actor, now))

    def audit(
        self, where: AuditFilter | None = None, limit: int = 100, before: int | None = None
    ) -> list[dict[str, Any]]:
        return audit.entries(self.store.db, where or AuditFilter(), limit, before)

    def set_verified(self, handle: str, verified: bool, actor: str) -> bool:
        """Mark a business verified (or not), written to the audit log in the same transaction."""
        now = iso(self.clock.now())

        def work(db: Any) -> bool:
            business = businesses.by_handle(db, handle)
            changed = businesses.set_verified(db, business["id"], verified, now)
            if changed:
                action = "verify_business" if verified else "unverify_business"
                detail = f"@{business['handle']} ({business['name']})"
                availability.audit(
                    db, now, actor, action, None, business["country"], detail,
                    before={"verified": not verified}, after={"verified": verified},
                )  # fmt: skip
            return changed

        return self.store.write_sync(work)

    def reports(
        self, where: ReportFilter | None = None, limit: int = 50, before: str | None = None
    ) -> list[dict[str, Any]]:
        """The moderation queue, newest first."""
        return moderation.page(self.store.db, where or ReportFilter(), limit, before)

    def report(self, report_id: str) -> dict[str, Any]:
        return moderation.one(self.store.db, report_id)

    def decide(self, report_id: str, decision: Decision, note: str, actor: str) -> dict[str, Any]:
        """Dismiss a report or suspend its subject (in its mini-app, or everywhere); audited."""
        now = iso(self.clock.now())
        return self.store.write_sync(lambda db: moderation.decide(db, report_id, decision, note, actor, now))

    def lift(self, report_id: str, actor: str) -> dict[str, Any]:
        """End the suspension decided on a report; audited."""
        now = iso(self.clock.now())
        return self.store.write_sync(lambda db: moderation.lift(db, report_id, actor, now))
