"""The shop mini-app, as the core loads it (entry point ``souk.plugins: shop``)."""

from __future__ import annotations

from typing import Any

from souk_sdk import Context, Event, Manifest, hookimpl
from sqlite_utils import Migrations

from . import flows, orders
from .api import ROUTES
from .chat import ACTIONS, COMMANDS
from .cli import add_commands
from .demo import souk_demo  # noqa: F401  (the shop's part of the demo world)
from .schema import migrations


@hookimpl
def souk_manifest() -> Manifest:
    return Manifest(
        name="shop",
        title="Shop",
        version="1.0.0",
        description="Shops of your country: browse, order and pay in chat; run your own shop",
        countries=["*"],
        scopes=["profile", "contact"],
    )


@hookimpl
def souk_commands(register: Any) -> None:
    for cmd in COMMANDS:
        register(cmd)


@hookimpl
def souk_actions(register: Any) -> None:
    for handler in ACTIONS:
        register(handler)


@hookimpl
def souk_api_routes(register: Any) -> None:
    for route in ROUTES:
        register(route)


@hookimpl
def souk_migrations() -> Migrations:
    return migrations


@hookimpl
def souk_cli_commands(cli: Any, open_database: Any) -> None:
    add_commands(cli, open_database)


@hookimpl
def souk_on_event(event: Event, ctx: Context) -> Any:
    """Payment outcomes for our orders, and our own reservation timers."""
    if event.to != "shop":
        return None
    data = event.data
    if event.type == "payment.succeeded":
        return flows.payment_succeeded(ctx, event.id, data["reference"], data["payment_id"])
    if event.type == "payment.failed":
        return flows.payment_lapsed(ctx, data["reference"], "failed", data.get("failure") or "payment failed")
    if event.type == orders.RESERVATION_EVENT and event.source == "shop":
        return flows.payment_lapsed(ctx, data["order_id"], "expired", "the reservation ran out")
    return None
