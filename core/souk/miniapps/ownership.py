"""Events are owned: who may emit an event, and who receives it.

The emitter is the mini-app whose outbox holds the event, stamped by the core
and never chosen by the emitter.  On top of that:

- an event type in another installed mini-app's namespace (``shop.order_paid``
  emitted by anyone but the shop) is refused;
- a payment outcome (``payment.succeeded``, ...) is refused unless it comes
  from the provider that took the addressee's payment request and matches it
  (reference, amount, currency: see :mod:`.payments`);
- an event addressed to its own emitter (a timer) reaches only it.

The same :func:`refusal` runs when a mini-app emits (so its author sees the
error at once) and again when the relay delivers (a mini-app can write its
own outbox table directly; the relay trusts nothing in it but the source).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from souk_sdk import FROM_PROVIDER, PAYMENT_OUTCOMES
from sqlite_utils import Database

from .payments import outcome_refusal
from .registry import InstalledApp, Registry


def refusal(
    registry: Registry, core_db: Database, source: str, type: str, target: str | None, data: dict[str, Any]
) -> str | None:
    """Why ``source`` may not emit this event; ``None`` when it may."""
    if target is not None and target not in registry.apps:
        return f"no mini-app called {target!r} to send {type!r} to"
    namespace = type.split(".", 1)[0]
    if namespace != source and namespace in registry.apps:
        return f"{type} belongs to {namespace}: {source} may not emit it"
    if type in PAYMENT_OUTCOMES:
        return outcome_refusal(core_db, source, target, data)
    return None


@dataclass
class Recipient:
    """A mini-app an event reaches, and the handlers of it that take the event."""

    app: InstalledApp
    handlers: list[Callable[..., Any]] = field(default_factory=list)
    legacy: bool = False
    """Whether its SDK 1.0 ``souk_on_event`` hook takes the event too."""


def recipients(registry: Registry, source: str, type: str, target: str | None) -> list[Recipient]:
    """Who receives an event of ``type`` from ``source`` addressed to ``target`` (or to nobody)."""
    found = []
    for app in registry.apps.values():
        if target is not None and target != app.name:
            continue
        handlers = [
            sub.handler
            for sub in app.subscriptions
            if sub.type == type
            and (sub.source == source or (sub.source == FROM_PROVIDER and target == app.name))
        ]
        legacy = registry.implements("souk_on_event", app)
        if handlers or legacy:
            found.append(Recipient(app, handlers, legacy))
    return found
