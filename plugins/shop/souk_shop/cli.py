"""``souk shop import`` (with a progress bar) and ``souk shop list``, for operators and owners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from souk_sdk.storage import write_transaction

from . import catalog, importer

DATA = click.option(
    "--data", "data_dir", default=None, help="Data folder (default $SOUK_DATA or ./souk-data)"
)


def add_commands(cli: click.Group, open_database: Callable[[Any], Any]) -> None:
    @cli.group(name="shop")
    def shop_group() -> None:
        """Shops: list them, import a catalogue."""

    @shop_group.command(name="list")
    @DATA
    def list_shops(data_dir: str | None) -> None:
        """Every shop: id, country, name, number of products; and one not yet on a business."""
        db = open_database(data_dir)
        for row in db.query(
            "SELECT s.id, s.country, s.name, s.business_id, COUNT(p.id) AS products FROM shops s "
            "LEFT JOIN products p ON p.shop_id = s.id GROUP BY s.id ORDER BY s.country, s.name"
        ):
            waiting = "" if row["business_id"] else "  (not on a business yet: souk business adopt shop)"
            click.echo(
                f"{row['id']}  {row['country']}  {row['products']:>6} products  {row['name']}{waiting}"
            )

    @shop_group.command(name="import")
    @click.argument("shop_id")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["csv", "json"]),
        default=None,
        help="Default: from the file's extension",
    )
    @DATA
    def import_file(shop_id: str, file: Path, fmt: str | None, data_dir: str | None) -> None:
        """Import FILE into the shop SHOP_ID: upsert by SKU, bad rows reported by line."""
        db = open_database(data_dir)
        try:
            shop = catalog.shop(db, shop_id)
        except Exception as exc:
            raise click.ClickException(str(exc)) from None
        data = file.read_bytes()
        kind = fmt or ("json" if file.suffix.lower() == ".json" else "csv")
        lines = max(data.count(b"\n"), 1)
        with click.progressbar(length=lines, label=f"Importing into {shop['name']}") as bar:
            try:
                with write_transaction(db):
                    report = importer.run(
                        db,
                        shop_id,
                        shop["currency"],
                        data,
                        kind,  # type: ignore[arg-type]
                        dt.datetime.now(dt.UTC),
                        progress=bar.update,
                    )
            except importer.ImportRefused as exc:
                raise click.ClickException(str(exc)) from None
            bar.update(lines)
        click.echo(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{len(report.errors)} rejected"
        )
        for error in report.errors[:50]:
            click.echo(f"  line {error['line']}: {error['sku'] or '(no SKU)'}: {error['reason']}")
        if len(report.errors) > 50:
            click.echo(f"  ... and {len(report.errors) - 50} more")
