"""``souk tickets hold-time`` and ``souk tickets public-key``, for operators."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from typing import Any

import click
from souk_sdk.storage import write_transaction

from . import signing
from .hold_times import hold_minutes, set_hold_minutes

DATA = click.option(
    "--data", "data_dir", default=None, help="Data folder (default $SOUK_DATA or ./souk-data)"
)


def add_commands(cli: click.Group, open_database: Callable[[Any], Any]) -> None:
    @cli.group(name="tickets")
    def tickets() -> None:
        """Tickets: how long seats are held, the key tickets are signed with."""

    @tickets.command(name="hold-time")
    @click.argument("country")
    @click.argument("minutes", type=int, required=False)
    @DATA
    def hold_time(country: str, minutes: int | None, data_dir: str | None) -> None:
        """Show, or set, how many MINUTES chosen seats are held for a buyer in COUNTRY (default 10)."""
        db = open_database(data_dir)
        country = country.upper()
        if minutes is not None:
            try:
                with write_transaction(db):
                    set_hold_minutes(
                        db, country, minutes, f"cli:{getpass.getuser()}", dt.datetime.now(dt.UTC)
                    )
            except ValueError as exc:
                raise click.ClickException(str(exc)) from None
        click.echo(
            f"{country}: seats are held for {hold_minutes(db, country)} minutes while their buyer pays"
        )

    @tickets.command(name="public-key")
    @DATA
    def public_key(data_dir: str | None) -> None:
        """The public key door scanners verify ticket codes with (Ed25519, base64url and PEM)."""
        key = signing.published(open_database(data_dir))
        click.echo(f"Ed25519 key {key['key_id']}: {key['public_key']}")
        click.echo(key["pem"].rstrip())
