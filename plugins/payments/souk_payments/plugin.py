"""The payments mini-app, as the core loads it (entry point ``souk.plugins: payments``)."""

from __future__ import annotations

from typing import Any

from souk_sdk import Context, Event, Manifest, hookimpl
from sqlite_utils import Migrations

from . import checkout
from .api import ROUTES
from .chat import ACTIONS, COMMANDS
from .cli import add_commands
from .funding import souk_funding_source  # noqa: F401  (the sandbox source, registered with this plugin)
from .schema import migrations

CHECKOUT = checkout.Checkout()


@hookimpl
def souk_manifest() -> Manifest:
    return Manifest(
        name="payments",
        title="Payments",
        version="1.0.0",
        description="Wallets, payments between people in chat, checkout for other mini-apps",
        countries=["*"],
        scopes=["payments", "profile"],
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
def souk_payment_provider(country: str) -> checkout.Checkout:
    return CHECKOUT


@hookimpl
def souk_cli_commands(cli: Any, open_database: Any) -> None:
    add_commands(cli, open_database)


@hookimpl
def souk_on_event(event: Event, ctx: Context) -> Any:
    if event.source != "payments" or event.type != checkout.EXPIRY_EVENT:
        return None

    async def expire() -> None:
        await ctx.transaction(
            lambda tx: checkout.fail(
                tx, event.data["payment_id"], "expired before it was confirmed", ctx.now(), ctx.user
            )
        )

    return expire()
