"""The shop mini-app, its table of contents (entry point ``souk.plugins: shop``).

Browsing, the cart, checkout and orders in chat, and the staff's back office
(:mod:`.chat`); a shop as its business's catalogue (:mod:`.businesses`); the
HTTP routes and the catalogue import (:mod:`.api`); the steps both share and
the events it answers (:mod:`.flows`); the operators' commands (:mod:`.cli`),
the demo's catalogues (:mod:`.demo`), and what it holds about a person
(:mod:`.personal_data`).
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

from . import api, businesses, chat, cli, demo, flows, orders, personal_data, uploads
from .schema import migrations

app = MiniApp(
    Manifest(
        name="shop",
        title="Shop",
        version="1.1.0",
        description="Shops of your country: browse, order and pay in chat; run your own shop",
        countries=["*"],
        scopes=["profile", "contact"],
        sdk=">=1.1,<2",
    ),
    migrations=migrations,
)
app.add(*chat.COMMANDS, *chat.ACTIONS, *uploads.ACTIONS, *api.ROUTES)
app.add(
    Subscription(PAYMENT_SUCCEEDED, flows.on_payment_succeeded, FROM_PROVIDER),
    Subscription(PAYMENT_FAILED, flows.on_payment_failed, FROM_PROVIDER),
    Subscription(orders.RESERVATION_EVENT, flows.on_reservation_expired, FROM_SELF),
)
app.cli(cli.add_commands)
app.demo(demo.build)
app.businesses(businesses.claims, businesses.adopted)
app.export(personal_data.export_user)
app.erase(personal_data.erase_user)
