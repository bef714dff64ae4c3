"""The tickets mini-app, its table of contents (entry point ``souk.plugins: tickets``).

Finding events, choosing seats on a live seat map, holding and paying,
tickets and returns, the door, organising (:mod:`.chat`); the same over HTTP,
with the QR images and the public key (:mod:`.api`); the timers and payment
outcomes it subscribes to (:mod:`.paying`, :mod:`.seatmap`, :mod:`.refunds`);
the operators' commands (:mod:`.cli`), the demo's events (:mod:`.demo`), and
what it holds about a person (:mod:`.personal_data`).
"""

from __future__ import annotations

from souk_sdk import (
    FROM_PROVIDER,
    FROM_SELF,
    PAYMENT_FAILED,
    PAYMENT_SUCCEEDED,
    Manifest,
    MiniApp,
    Subscription,
)

from . import api, chat, cli, demo, holding, mapviews, paying, personal_data, refunds, seatmap
from .hold_times import HoldSettings
from .schema import migrations

app = MiniApp(
    Manifest(
        name="tickets",
        title="Tickets",
        version="1.0.0",
        description="Events near you: choose your seats, pay in the chat, show your ticket at the door",
        countries=["*"],
        scopes=[],
        sdk=">=1.2,<2",
    ),
    migrations=migrations,
    settings=HoldSettings,
)
app.add(*chat.COMMANDS, *chat.ACTIONS, *api.ROUTES)
app.add(
    Subscription(PAYMENT_SUCCEEDED, paying.on_succeeded, FROM_PROVIDER),
    Subscription(PAYMENT_FAILED, paying.on_failed, FROM_PROVIDER),
    Subscription(holding.HOLD_EVENT, paying.on_hold_expired, FROM_SELF),
    Subscription(mapviews.REFRESH_EVENT, seatmap.on_refresh, FROM_SELF),
    Subscription(refunds.REFUND_EVENT, refunds.on_refund, FROM_SELF),
)
app.cli(cli.add_commands)
app.demo(demo.build)
app.export(personal_data.export_user)
app.erase(personal_data.erase_user)
