"""``souk payments check`` and ``souk payments limits``, for operators."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from typing import Any

import click
from souk_sdk.money import InvalidAmount, currency_for, format_money, parse_amount
from souk_sdk.storage import write_transaction

from .check import problems, summary
from .limits import limits_for, set_limits

DATA = click.option(
    "--data", "data_dir", default=None, help="Data folder (default $SOUK_DATA or ./souk-data)"
)


def add_commands(cli: click.Group, open_database: Callable[[Any], Any]) -> None:
    @cli.group(name="payments")
    def payments() -> None:
        """Payments: verify the ledger, set per-country limits."""

    @payments.command()
    @DATA
    def check(data_dir: str | None) -> None:
        """Verify every ledger invariant; exit 1 and say what is wrong if any fails."""
        db = open_database(data_dir)
        found = problems(db)
        if found:
            for problem in found:
                click.echo(f"PROBLEM: {problem}", err=True)
            raise SystemExit(1)
        click.echo(f"The ledger is clean: {summary(db)}.")

    @payments.command()
    @click.argument("country")
    @click.option("--max-transfer", help="Largest single transfer, in major units (e.g. 5000.00)")
    @click.option("--daily", help="Largest total a person may send in a day, in major units")
    @DATA
    def limits(country: str, max_transfer: str | None, daily: str | None, data_dir: str | None) -> None:
        """Show, or set, the person-to-person limits of COUNTRY."""
        db = open_database(data_dir)
        country = country.upper()
        try:
            currency = currency_for(country)
        except Exception as exc:
            raise click.ClickException(f"{country}: {exc}") from None
        current = limits_for(db, country)
        if max_transfer or daily:
            try:
                top = parse_amount(max_transfer, currency) if max_transfer else current.max_transfer
                total = parse_amount(daily, currency) if daily else current.daily_total
                with write_transaction(db):
                    current = set_limits(
                        db, country, top, total, f"cli:{getpass.getuser()}", dt.datetime.now(dt.UTC)
                    )
            except (InvalidAmount, ValueError) as exc:
                raise click.ClickException(str(exc)) from None
        click.echo(
            f"{country} ({currency}): at most {format_money(current.max_transfer, currency)} per "
            f"transfer, {format_money(current.daily_total, currency)} per day"
        )
