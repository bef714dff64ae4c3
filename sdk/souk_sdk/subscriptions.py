"""Declared subscriptions: which events, from whom, reach a mini-app.

Events are owned.  The core stamps every event with the mini-app that emitted
it (the outbox it came from), and a mini-app receives an event only when it
subscribed to that emitter and that type.  Three kinds of source:

- another mini-app, by name: ``Subscription("order.paid", handler, source="shop")``;
- :data:`FROM_PROVIDER`: payment outcomes (``payment.succeeded``, ``payment.failed``,
  ``payment.refunded``) about payments this mini-app asked for with
  ``ctx.request_payment``, from the provider that took the request, checked by
  the core against the payment it brokered (amount, currency, reference);
- :data:`FROM_SELF`: this mini-app's own timers (``tx.schedule``), which reach
  only the mini-app that set them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

FROM_PROVIDER = "@provider"
"""The source of payment outcomes: the provider that took this mini-app's payment request."""

FROM_SELF = "@self"
"""The source of a mini-app's own timers."""

PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_FAILED = "payment.failed"
PAYMENT_REFUNDED = "payment.refunded"
PAYMENT_OUTCOMES = frozenset({PAYMENT_SUCCEEDED, PAYMENT_FAILED, PAYMENT_REFUNDED})
"""Event types only a payment provider may emit, and only about a payment it took."""

PaymentOutcome = Literal["succeeded", "failed", "refunded"]

EVENT_TYPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")
"""``word.word``: lower-case words joined by dots (matched in full), at most 64 characters."""

EventHandler = Callable[..., Awaitable[Any] | Any]


def check_event_type(type: str) -> str:
    if len(type) > 64 or not EVENT_TYPE.fullmatch(type):
        raise ValueError(f"event type {type!r}: use lower-case words joined by dots, like order.paid")
    return type


@dataclass(frozen=True)
class Subscription:
    """``handler(ctx, event)`` runs for each event of ``type`` from ``source``.

    Delivery is at least once: make the handler idempotent with
    ``tx.first_time(event.id)``.  An ``async`` handler is awaited; a plain
    function runs on a worker thread.
    """

    type: str
    handler: EventHandler
    source: str

    def __post_init__(self) -> None:
        check_event_type(self.type)
        if self.source == FROM_PROVIDER and self.type not in PAYMENT_OUTCOMES:
            raise ValueError(f"only payment outcomes come from the provider, not {self.type!r}")
        if self.type in PAYMENT_OUTCOMES and self.source != FROM_PROVIDER:
            raise ValueError(f"{self.type} comes from the provider of your payments: use on_payment")

    @property
    def is_timer(self) -> bool:
        return self.source == FROM_SELF
