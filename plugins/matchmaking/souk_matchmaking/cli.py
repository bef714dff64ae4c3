"""``souk matchmaking like-limit`` and ``souk matchmaking reports``, for operators."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from typing import Any

import click
from souk_sdk.storage import write_transaction

from . import limits, moderation

DATA = click.option(
    "--data", "data_dir", default=None, help="Data folder (default $SOUK_DATA or ./souk-data)"
)


def add_commands(cli: click.Group, open_database: Callable[[Any], Any]) -> None:
    @cli.group(name="matchmaking")
    def matchmaking() -> None:
        """Matchmaking: the daily like limit, members' reports."""

    @matchmaking.command(name="like-limit")
    @click.argument("country")
    @click.argument("likes", type=int, required=False)
    @DATA
    def like_limit(country: str, likes: int | None, data_dir: str | None) -> None:
        """Show, or set, how many LIKES a member in COUNTRY may give a day (default 50)."""
        db = open_database(data_dir)
        country = country.upper()
        if likes is not None:
            try:
                with write_transaction(db):
                    limits.set_per_day(
                        db, country, likes, f"cli:{getpass.getuser()}", dt.datetime.now(dt.UTC)
                    )
            except ValueError as exc:
                raise click.ClickException(str(exc)) from None
        click.echo(f"{country}: {limits.per_day(db, country)} likes a day per member")

    @matchmaking.command(name="reports")
    @click.option("--all", "everything", is_flag=True, help="Reviewed ones too")
    @DATA
    def reports(everything: bool, data_dir: str | None) -> None:
        """Members' reports, oldest open first: number, when, country, reason, the name reported, who
        reported it, the note."""
        rows = moderation.listing(open_database(data_dir), everything)
        for row in rows:
            click.echo(moderation.line(row))
        if not rows:
            click.echo("No open reports.")

    @matchmaking.command(name="review")
    @click.argument("number", type=int)
    @click.argument("outcome")
    @DATA
    def review(number: int, outcome: str, data_dir: str | None) -> None:
        """Mark report NUMBER reviewed, with what was done (OUTCOME, a few words)."""
        db = open_database(data_dir)
        with write_transaction(db):
            done = moderation.review(db, number, outcome, f"cli:{getpass.getuser()}", dt.datetime.now(dt.UTC))
        if not done:
            raise click.ClickException(f"there is no open report {number}")
        click.echo(f"Report {number} reviewed: {outcome}")
