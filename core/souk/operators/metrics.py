"""``/metrics`` for Prometheus: each mini-app's requests, failures, latency and state.

Built with ``prometheus_client`` on a registry of this runtime's own (never the
library's global one, so two apps in one process, as in tests, do not mix).  The
endpoint takes a token of its own, apart from operators' and users' (a scraper
holds it in its configuration): ``souk operators metrics-token`` makes one, kept
only as a hash.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlite_utils import Database

from ..foundation.clock import Clock, iso
from ..foundation.ids import new_token, token_hash
from ..miniapps.availability import Availability, audit
from ..miniapps.health import Health
from ..miniapps.registry import Registry
from ..storage.store import Store, select

TOKEN_KEY = "metrics_token_hash"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def new_metrics_token(store: Store, clock: Clock, actor: str) -> str:
    """A new token for ``/metrics`` (the previous one stops working); shown once."""
    token = new_token()

    def keep(db: Database) -> None:
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [TOKEN_KEY, token_hash(token)],
        )
        audit(db, iso(clock.now()), actor, "metrics_token")

    store.write_sync(keep)
    return token


class _States(Collector):
    """The state of each mini-app and its percent per country, read when scraped."""

    def __init__(self, registry: Registry, availability: Availability) -> None:
        self.apps = registry
        self.availability = availability

    def collect(self) -> Iterator[GaugeMetricFamily]:
        availability = self.availability
        state = GaugeMetricFamily(
            "souk_miniapp_state", "1 for the state each mini-app is in", labels=["app", "state"]
        )
        percent = GaugeMetricFamily(
            "souk_miniapp_rollout_percent",
            "Of each country's people, the percent a mini-app is on for",
            labels=["app", "country"],
        )
        for app in self.apps.apps.values():
            stopped = availability.stopped_by(app.name)
            now = {None: "running", "breaker": "suspended", "operator": "killed"}[stopped]
            for name in ("running", "suspended", "killed"):
                state.add_metric([app.name, name], 1.0 if name == now else 0.0)
            for country in sorted(availability.countries(app.name)):
                percent.add_metric([app.name, country], availability.percent(app.name, country))
        yield state
        yield percent


class Metrics:
    def __init__(self, store: Store, registry: Registry, availability: Availability, health: Health) -> None:
        self.store = store
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "souk_miniapp_requests",
            "Requests that reached a mini-app (commands, presses, events, routes)",
            ["app", "country", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "souk_miniapp_request_duration_seconds",
            "How long a mini-app's handler took",
            ["app"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(_States(registry, availability))
        health.observers.append(self.observe)

    def observe(self, app: str, country: str, failed: bool, seconds: float) -> None:
        self.requests.labels(app, country, "failed" if failed else "ok").inc()
        self.latency.labels(app).observe(seconds)

    def allows(self, token: str) -> bool:
        rows = select(self.store.db, "SELECT value FROM settings WHERE key = ?", [TOKEN_KEY])
        return bool(rows) and bool(token) and hmac.compare_digest(rows[0]["value"], token_hash(token))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
